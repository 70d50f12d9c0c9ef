import { Alert, Anchor, Badge, Group, Pagination, Stack, Table, Text } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { api, type Page } from "../api";
import { enumField, formatTime, useSystemFields, useUserName } from "./data";
import { CASE_ENUMS, type CaseEnum, type CaseVersion } from "./types";

const PER_PAGE = 20;

const LABELS: Record<string, string> = {
  suite_id: "Suite",
  milestone_id: "Milestone",
  is_flaky: "Flaky",
  steps_type: "Steps type",
  custom_fields: "Custom fields",
  external_issues: "External issues",
};

function Who({ id }: { id: number | null }) {
  return <>{useUserName(id)}</>;
}

/** The versions of a case, newest first: who, when, which fields; each one can be opened as it was. */
export function CaseHistory({ code, caseId, current }: { code: string; caseId: number; current: number }) {
  const fields = useSystemFields();
  const [page, setPage] = useState(1);
  // Versions are numbered 1..current and listed oldest first; read the page that ends at the newest.
  const end = Math.max(0, current - (page - 1) * PER_PAGE);
  const offset = Math.max(0, end - PER_PAGE);
  const versions = useQuery({
    queryKey: ["versions", code, caseId, offset, end],
    queryFn: () =>
      api<Page<CaseVersion>>(
        "GET",
        `/v1/case/${encodeURIComponent(code)}/${caseId}/versions?limit=${Math.max(1, end - offset)}&offset=${offset}`,
      ),
    placeholderData: keepPreviousData,
  });
  const label = (f: string) =>
    (CASE_ENUMS as readonly string[]).includes(f)
      ? (enumField(fields.data, f as CaseEnum)?.title ?? f)
      : (LABELS[f] ?? f.charAt(0).toUpperCase() + f.slice(1).replaceAll("_", " "));

  return (
    <Stack>
      {versions.error && <Alert color="red">{versions.error.message}</Alert>}
      {versions.data && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label="Versions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>What changed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...versions.data.entities].reverse().map((v) => (
                <Table.Tr key={v.version}>
                  <Table.Td>
                    <Anchor component={Link} to={`/projects/${code}/cases/${caseId}/versions/${v.version}`}>
                      Version {v.version}
                    </Anchor>
                    {v.version === current && (
                      <Badge ml="xs" size="xs" variant="light">
                        current
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{formatTime(v.changed_at)}</Table.Td>
                  <Table.Td>
                    <Who id={v.changed_by} />
                  </Table.Td>
                  <Table.Td>
                    {v.changes.length === 0 ? (
                      <Text size="sm">Created</Text>
                    ) : (
                      <Group gap={4}>
                        {v.changes.map((f) => (
                          <Badge key={f} variant="outline" radius="sm" tt="none" color="gray">
                            {label(f)}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {current > PER_PAGE && (
        <Pagination
          aria-label="Version pages"
          total={Math.ceil(current / PER_PAGE)}
          value={page}
          onChange={setPage}
        />
      )}
    </Stack>
  );
}
