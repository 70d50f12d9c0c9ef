import {
  Alert,
  Anchor,
  Box,
  Breadcrumbs,
  Button,
  Group,
  MultiSelect,
  Pagination,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { api, type Me, type Page } from "../api";
import { ConfirmModal } from "../manage/ConfirmModal";
import { formatTime } from "../repository/data";
import { ResultModal } from "./ResultModal";
import { RunEntriesTable } from "./RunEntriesTable";
import {
  formatDuration,
  StatsBar,
  StatusBadge,
  StatusRing,
  StatusTable,
  statParts,
  statusLabel,
} from "./status";
import type { Run, RunEntry, RunSuite } from "./types";

/** Larger than the lists elsewhere so that a page holds whole suites more often. */
const PER_PAGE = 50;

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

/** One run: what it is, its results bar, and each case's line with its attempts on demand. */
export function RunPage({ me }: { me: Me }) {
  const params = useParams();
  const client = useQueryClient();
  const [completing, setCompleting] = useState(false);
  const [recording, setRecording] = useState<{ entry: RunEntry; name: string } | null>(null);
  const code = params.code ?? "";
  const id = Number(params.id);
  const [statuses, setStatuses] = useState<string[]>([]);
  const [page, setPage] = useState(1);
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
  // Under the run's key, so whatever refreshes the run (a result recorded) refreshes its suite totals.
  const suites = useQuery({
    queryKey: ["run", code, id, "suites"],
    queryFn: () => api<Page<RunSuite>>("GET", `/v1/run/${encodeURIComponent(code)}/${id}/suites`),
  });
  const r = run.data;
  // Results and completion only make sense while the run is open; viewers never see the controls.
  const isOpen = r?.status_text === "in_progress";
  const canComplete = isOpen && me.permissions.includes("run.create");
  const canRecord = isOpen && me.permissions.includes("result.create");
  const pages = entries.data ? Math.ceil(entries.data.filtered / PER_PAGE) : 0;
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
      {(run.error ?? entries.error ?? suites.error) && (
        <Alert color="red">{(run.error ?? entries.error ?? suites.error)?.message}</Alert>
      )}
      {r && (
        <>
          <Group justify="space-between">
            <Group gap="sm">
              <Title order={2}>{r.title}</Title>
              <StatusBadge status={r.status_text} />
            </Group>
            {canComplete && (
              <Button variant="default" onClick={() => setCompleting(true)}>
                Complete run
              </Button>
            )}
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
          <Group gap="xl" align="center">
            <StatusRing stats={r.stats} />
            <StatusTable stats={r.stats} />
          </Group>
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
        <RunEntriesTable
          code={code}
          runId={id}
          entries={entries.data.entities}
          suites={suites.data?.entities}
          canRecord={canRecord}
          onRecord={(entry, name) => setRecording({ entry, name })}
        />
      )}
      {pages > 1 && (
        <Box component="nav" aria-label="Result pages">
          <Pagination total={pages} value={page} onChange={setPage} />
        </Box>
      )}
      {recording && (
        <ResultModal
          code={code}
          runId={id}
          entry={recording.entry}
          name={recording.name}
          onClose={() => setRecording(null)}
        />
      )}
      {completing && r && (
        <ConfirmModal
          title="Complete this run?"
          confirmLabel="Complete run"
          action={() => api("POST", `/v1/run/${encodeURIComponent(code)}/${id}/complete`)}
          onClose={() => setCompleting(false)}
          onDone={() => {
            setCompleting(false);
            client.invalidateQueries({ queryKey: ["run", code, id] });
            client.invalidateQueries({ queryKey: ["runs", code] });
            client.invalidateQueries({ queryKey: ["project", code] });
          }}
        >
          “{r.title}” will take no more results.{" "}
          {r.stats.untested > 0
            ? `${r.stats.untested} untested case${r.stats.untested === 1 ? " stays" : "s stay"} untested.`
            : ""}
        </ConfirmModal>
      )}
    </Stack>
  );
}
