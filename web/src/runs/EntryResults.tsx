import { Alert, Badge, Box, Button, Code, Group, Loader, Paper, Stack, Text } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Me, type Page } from "../api";
import { formatTime } from "../repository/data";
import { Attachments } from "./Attachments";
import { LinkDefectModal } from "./LinkDefect";
import { formatDuration, StatusBadge, stepStatus } from "./status";
import type { Result, ResultStep, RunEntry } from "./types";

/** Results a defect can be filed for. */
const FAILING = new Set(["failed", "invalid", "blocked"]);

function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** Every attempt recorded for one line of a run (a case, or a reporter's test without a case). */
function useEntryResults(code: string, runId: number, entry: RunEntry) {
  return useQuery({
    queryKey: ["entry-results", code, runId, entry.case_id, entry.last_result_hash, entry.params],
    queryFn: async (): Promise<Result[]> => {
      const project = encodeURIComponent(code);
      if (entry.case_id !== null) {
        const page = await api<Page<Result>>(
          "GET",
          `/v1/result/${project}?run=${runId}&case_id=${entry.case_id}&limit=100`,
        );
        return page.entities
          .filter((r) => sameParams(r.params, entry.params))
          .sort((a, b) => b.attempt - a.attempt);
      }
      if (entry.last_result_hash === null) return [];
      return [await api<Result>("GET", `/v1/result/${project}/${entry.last_result_hash}`)];
    },
  });
}

function Steps({ steps, prefix }: { steps: ResultStep[]; prefix: string }) {
  return (
    <Box component="ol" p={0} m={0} pl={prefix ? "md" : 0}>
      {steps.map((s, i) => {
        const n = `${prefix}${i + 1}`;
        return (
          <Box component="li" key={n} style={{ listStyle: "none" }} aria-label={`Result step ${n}`} mb={4}>
            <Group gap="xs" align="flex-start" wrap="nowrap">
              <Text size="sm" c="dimmed" w={32}>
                {n}
              </Text>
              <StatusBadge status={stepStatus(s.status)} />
              <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm">{s.action ?? ""}</Text>
                {s.expected_result && (
                  <Text size="xs" c="dimmed">
                    Expected: {s.expected_result}
                  </Text>
                )}
                {s.comment && <Text size="xs">{s.comment}</Text>}
                <Attachments items={s.attachments ?? []} label={`Attachments of step ${n}`} />
              </Stack>
              {s.duration_ms !== null && (
                <Text size="xs" c="dimmed">
                  {formatDuration(s.duration_ms)}
                </Text>
              )}
            </Group>
            {s.steps.length > 0 && <Steps steps={s.steps} prefix={`${n}.`} />}
          </Box>
        );
      })}
    </Box>
  );
}

/**
 * A passed result carrying a stack trace: a reporter that retried within one report (JUnit's flakyFailure,
 * Playwright's retries) sent one result for all its tries, the earlier failure's message and stack inside.
 */
function foldedRetry(r: Result): boolean {
  return r.status === "passed" && r.stacktrace !== null && r.stacktrace !== "";
}

function Failure({ comment, stacktrace }: { comment: string | null; stacktrace: string | null }) {
  return (
    <>
      {comment && (
        <Text size="sm" mb="xs" style={{ whiteSpace: "pre-wrap" }}>
          {comment}
        </Text>
      )}
      {stacktrace && (
        <Code block aria-label="Stack trace" mb="xs" style={{ maxHeight: 320, overflow: "auto" }}>
          {stacktrace}
        </Code>
      )}
    </>
  );
}

/** The failed try that came before a pass on retry, apart from the pass so it is not read as its error. */
function EarlierTry({ result }: { result: Result }) {
  return (
    <Paper
      withBorder
      p="xs"
      mb="xs"
      bg="var(--mantine-color-gray-0)"
      style={{ borderLeft: "3px solid var(--mantine-color-red-filled)" }}
      role="group"
      aria-label={`Earlier try of attempt ${result.attempt}`}
    >
      <Group gap="sm" mb="xs">
        <Text fw={600} size="sm">
          Earlier try
        </Text>
        <StatusBadge status="failed" />
        <Text size="sm">
          Failed, then passed on a retry. The reporter sent both tries as this one result.
        </Text>
      </Group>
      <Failure comment={result.comment} stacktrace={result.stacktrace} />
    </Paper>
  );
}

/** The results of one run line, newest attempt first, with duration, stack trace and steps. */
export function EntryResults({ code, runId, entry }: { code: string; runId: number; entry: RunEntry }) {
  const results = useEntryResults(code, runId, entry);
  // The signed-in user, as App loaded it: only those who may write defects get "Link to defect".
  const me = useQueryClient().getQueryData<Me | null>(["me"]);
  const canLink = me?.permissions.includes("defect.write") === true;
  const [linking, setLinking] = useState<Result | null>(null);
  const [linked, setLinked] = useState<Record<string, number>>({});
  const name = entry.title ?? "Result";
  if (results.error) return <Alert color="red">{results.error.message}</Alert>;
  if (!results.data) return <Loader size="sm" aria-label="Loading results" />;
  if (results.data.length === 0) return <Text c="dimmed">No results yet.</Text>;
  return (
    <Stack gap="xs">
      {results.data.map((r) => (
        <Paper key={r.hash} withBorder p="sm" aria-label={`Attempt ${r.attempt}`} role="group">
          <Group gap="sm" mb="xs">
            <Text fw={600} size="sm">
              Attempt {r.attempt}
            </Text>
            <StatusBadge status={r.status} />
            {r.is_flaky && (
              <Badge color="yellow" variant="light" radius="sm" tt="none">
                Flaky
              </Badge>
            )}
            {r.muted && (
              <Badge color="gray" radius="sm" tt="none">
                Muted
              </Badge>
            )}
            <Text size="sm" c="dimmed">
              Duration {formatDuration(r.time_spent_ms)}
              {r.end_time ? ` · finished ${formatTime(r.end_time)}` : ""}
            </Text>
            {linked[r.hash] !== undefined && (
              <Text size="sm" role="status">
                Linked to defect #{linked[r.hash]}
              </Text>
            )}
            {canLink && FAILING.has(r.status) && (
              <Button size="compact-sm" variant="light" ml="auto" onClick={() => setLinking(r)}>
                Link to defect
              </Button>
            )}
          </Group>
          {foldedRetry(r) ? (
            <EarlierTry result={r} />
          ) : (
            <Failure comment={r.comment} stacktrace={r.stacktrace} />
          )}
          {r.attachments.length > 0 && (
            <Box mb="xs">
              <Attachments items={r.attachments} label="Attachments" />
            </Box>
          )}
          {r.steps && r.steps.length > 0 && <Steps steps={r.steps} prefix="" />}
        </Paper>
      ))}
      {linking && (
        <LinkDefectModal
          code={code}
          name={name}
          result={linking}
          onClose={() => setLinking(null)}
          onLinked={(id) => {
            setLinked((prev) => ({ ...prev, [linking.hash]: id }));
            setLinking(null);
          }}
        />
      )}
    </Stack>
  );
}
