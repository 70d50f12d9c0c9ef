import { Alert, Anchor, Loader, Pagination, Stack, Table, Text } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { api, type Page } from "../api";
import { formatDuration, StatusBadge } from "../runs/status";
import { formatTime } from "./data";

const PER_PAGE = 20;

interface CaseResult {
  hash: string;
  run_id: number;
  status: string;
  time_spent_ms: number;
  end_time: string | null;
  start_time: string | null;
  comment: string | null;
  attempt: number;
}

/** A run's title for the link (cached per run; the results page names each run once). */
function RunLink({ code, id }: { code: string; id: number }) {
  const run = useQuery({
    queryKey: ["run-title", code, id],
    queryFn: () => api<{ title: string }>("GET", `/v1/run/${encodeURIComponent(code)}/${id}`),
    staleTime: 5 * 60_000,
  });
  return (
    <Anchor component={Link} to={`/projects/${code}/runs/${id}`}>
      {run.data ? `#${id} ${run.data.title}` : `Run #${id}`}
    </Anchor>
  );
}

/** The results of one case across all runs, newest first, a page at a time. */
export function CaseResults({ code, caseId }: { code: string; caseId: number }) {
  const [page, setPage] = useState(1);
  const results = useQuery({
    queryKey: ["case-results", code, caseId, page],
    queryFn: () =>
      api<Page<CaseResult>>(
        "GET",
        `/v1/result/${encodeURIComponent(code)}?case_id=${caseId}&limit=${PER_PAGE}&offset=${(page - 1) * PER_PAGE}`,
      ),
    placeholderData: keepPreviousData,
  });
  const data = results.data;
  const pages = data ? Math.ceil(data.filtered / PER_PAGE) : 0;
  return (
    <Stack gap="sm">
      {results.error && <Alert color="red">{results.error.message}</Alert>}
      {results.isPending && <Loader size="sm" aria-label="Loading results" />}
      {data && (
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="result-count">
          {data.filtered} result{data.filtered === 1 ? "" : "s"}
          {results.isFetching && " …"}
        </Text>
      )}
      {data && data.count === 0 && <Text c="dimmed">This case has no results in any run yet.</Text>}
      {data && data.count > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label="Results of this case">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Status</Table.Th>
                <Table.Th>Run</Table.Th>
                <Table.Th>Time</Table.Th>
                <Table.Th>Duration</Table.Th>
                <Table.Th>Comment</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.entities.map((r) => (
                <Table.Tr key={r.hash}>
                  <Table.Td>
                    <StatusBadge status={r.status} />
                  </Table.Td>
                  <Table.Td>
                    <RunLink code={code} id={r.run_id} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    {(r.end_time ?? r.start_time) ? formatTime((r.end_time ?? r.start_time) as string) : "—"}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{formatDuration(r.time_spent_ms)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {r.comment ?? ""}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && <Pagination aria-label="Result pages" total={pages} value={page} onChange={setPage} />}
    </Stack>
  );
}
