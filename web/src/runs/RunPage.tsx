import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Group,
  MultiSelect,
  Pagination,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Fragment, type ReactNode, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { api, type Page } from "../api";
import { caseKey, formatTime } from "../repository/data";
import { EntryResults } from "./EntryResults";
import { formatDuration, StatsBar, StatsLegend, StatusBadge, statParts, statusLabel } from "./status";
import type { Run, RunEntry } from "./types";

const PER_PAGE = 25;

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function entryName(code: string, e: RunEntry): string {
  const params = Object.entries(e.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  const title = e.title ?? (e.case_id !== null ? caseKey(code, e.case_id) : "Untitled test");
  return params ? `${title} [${params}]` : title;
}

/** One run: what it is, its results bar, and each case's line with its attempts on demand. */
export function RunPage() {
  const params = useParams();
  const code = params.code ?? "";
  const id = Number(params.id);
  const [statuses, setStatuses] = useState<string[]>([]);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const run = useQuery({
    queryKey: ["run", code, id],
    queryFn: () => api<Run>("GET", `/v1/run/${encodeURIComponent(code)}/${id}`),
  });
  const entries = useQuery({
    queryKey: ["run-entries", code, id, statuses, page],
    queryFn: () => {
      const q = new URLSearchParams({ limit: String(PER_PAGE), offset: String((page - 1) * PER_PAGE) });
      if (statuses.length > 0) q.set("status", statuses.join(","));
      return api<Page<RunEntry>>("GET", `/v1/run/${encodeURIComponent(code)}/${id}/entries?${q}`);
    },
    placeholderData: keepPreviousData,
  });
  const r = run.data;
  const pages = entries.data ? Math.ceil(entries.data.filtered / PER_PAGE) : 0;
  const toggle = (key: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <Stack>
      <Breadcrumbs separator="›">
        <Anchor component={Link} to={`/projects/${code}`}>
          {code}
        </Anchor>
        <Anchor component={Link} to={`/projects/${code}/runs`}>
          Runs
        </Anchor>
        <Text size="sm">Run {id}</Text>
      </Breadcrumbs>
      {(run.error ?? entries.error) && <Alert color="red">{(run.error ?? entries.error)?.message}</Alert>}
      {r && (
        <>
          <Group gap="sm">
            <Title order={2}>{r.title}</Title>
            <StatusBadge status={r.status_text} />
          </Group>
          {r.description && <Text style={{ whiteSpace: "pre-wrap" }}>{r.description}</Text>}
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
            <Fact label="Environment">{r.environment?.title ?? "—"}</Fact>
            <Fact label="Started">{r.start_time ? formatTime(r.start_time) : "—"}</Fact>
            <Fact label="Finished">{r.end_time ? formatTime(r.end_time) : "—"}</Fact>
            <Fact label="Duration">{r.end_time ? formatDuration(r.elapsed_time) : "—"}</Fact>
            <Fact label="Build">{r.build_id ?? "—"}</Fact>
            <Fact label="Reporter">{r.reporter ?? (r.is_autotest ? "automated" : "manual")}</Fact>
          </SimpleGrid>
          <StatsBar stats={r.stats} />
          <StatsLegend stats={r.stats} />
          <MultiSelect
            label="Show statuses"
            placeholder="All"
            clearable
            maw={480}
            data={statParts(r.stats).map((p) => ({ value: p.status, label: statusLabel(p.status) }))}
            value={statuses}
            onChange={(v) => {
              setStatuses(v);
              setPage(1);
            }}
          />
        </>
      )}
      {entries.data && entries.data.count === 0 && <Text c="dimmed">No cases here.</Text>}
      {entries.data && entries.data.count > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="Run results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40} />
                <Table.Th>Case</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Attempts</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.data.entities.map((e) => {
                const key = `${e.case_id}:${e.last_result_hash}:${JSON.stringify(e.params)}`;
                const name = entryName(code, e);
                const expanded = open.has(key);
                return (
                  <Fragment key={key}>
                    <Table.Tr>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          aria-label={`${expanded ? "Hide" : "Show"} results of ${name}`}
                          aria-expanded={expanded}
                          onClick={() => toggle(key)}
                        >
                          {expanded ? "▾" : "▸"}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          {e.case_id !== null && (
                            <Anchor component={Link} to={`/projects/${code}/cases/${e.case_id}`} size="sm">
                              {caseKey(code, e.case_id)}
                            </Anchor>
                          )}
                          <Text size="sm">{name}</Text>
                          {e.is_flaky && (
                            <Badge color="yellow" variant="filled" size="sm" radius="sm" tt="none">
                              Flaky
                            </Badge>
                          )}
                          {e.muted && (
                            <Badge color="gray" size="sm" radius="sm" tt="none">
                              Muted
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={e.status} />
                      </Table.Td>
                      <Table.Td>{e.attempts}</Table.Td>
                    </Table.Tr>
                    {expanded && (
                      <Table.Tr>
                        <Table.Td colSpan={4}>
                          <EntryResults code={code} runId={id} entry={e} />
                        </Table.Td>
                      </Table.Tr>
                    )}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && <Pagination aria-label="Result pages" total={pages} value={page} onChange={setPage} />}
    </Stack>
  );
}
