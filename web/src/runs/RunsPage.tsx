import {
  Alert,
  Anchor,
  Button,
  Group,
  Pagination,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { Me } from "../api";
import { ProjectHeader } from "../manage/ProjectHeader";
import { usePagedSearch } from "../manage/usePagedSearch";
import { formatTime } from "../repository/data";
import { NewRunModal } from "./NewRunModal";
import { StatsBar, StatusBadge } from "./status";
import type { Run } from "./types";

const PER_PAGE = 20;
const FILTERS = [
  { value: "", label: "All" },
  { value: "in_progress", label: "In progress" },
  { value: "passed", label: "Passed" },
  { value: "failed", label: "Failed" },
  { value: "aborted", label: "Aborted" },
];

/** A project's test runs, newest first: status, results bar, environment, start time. */
export function RunsPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState("");
  const list = usePagedSearch<Run>({
    queryKey: ["runs", code, status],
    path: `/v1/run/${encodeURIComponent(code)}`,
    params: { status },
    perPage: PER_PAGE,
  });
  const runs = list.query;
  const pages = list.pages;

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="runs"
        actions={
          me.permissions.includes("run.create") && <Button onClick={() => setCreating(true)}>New run</Button>
        }
      />
      {runs.error && <Alert color="red">{runs.error.message}</Alert>}
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Search runs"
          placeholder="Words in the title"
          value={list.search}
          onChange={(e) => list.setSearch(e.currentTarget.value)}
        />
        <SegmentedControl
          aria-label="Run status"
          data={FILTERS}
          value={status}
          onChange={(v) => {
            setStatus(v);
            list.firstPage();
          }}
        />
      </Group>
      {runs.data && runs.data.count === 0 && (
        <Text c="dimmed">{runs.data.total === 0 ? "No runs yet." : "No runs match."}</Text>
      )}
      {runs.data && runs.data.count > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover aria-label="Runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>ID</Table.Th>
                <Table.Th>Title</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th w={220}>Results</Table.Th>
                <Table.Th>Environment</Table.Th>
                <Table.Th>Milestone</Table.Th>
                <Table.Th>Started</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.data.entities.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.id}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/projects/${code}/runs/${r.id}`}>
                      {r.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={r.status_text} />
                  </Table.Td>
                  <Table.Td>
                    <StatsBar stats={r.stats} size="sm" />
                    <Text size="xs" c="dimmed" mt={2}>
                      {r.stats.total - r.stats.untested} of {r.stats.total} tested
                      {r.stats.flaky > 0 ? ` · ${r.stats.flaky} flaky` : ""}
                    </Text>
                  </Table.Td>
                  <Table.Td>{r.environment?.title ?? "—"}</Table.Td>
                  <Table.Td>{r.milestone?.title ?? "—"}</Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    {r.start_time ? formatTime(r.start_time) : "—"}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && (
        <Pagination aria-label="Run pages" total={pages} value={list.page} onChange={list.setPage} />
      )}
      {creating && (
        <NewRunModal
          code={code}
          onClose={() => setCreating(false)}
          onCreated={(id) => navigate(`/projects/${code}/runs/${id}`)}
        />
      )}
    </Stack>
  );
}
