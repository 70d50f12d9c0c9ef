import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Group,
  Pagination,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Link, useLocation, useSearchParams } from "react-router-dom";
import { ApiError, api, type Page, type Project } from "../api";
import { SEARCH_INPUT } from "../shortcuts/Shortcuts";
import { type SearchAnswer, toHit } from "./hits";

const PER_PAGE = 20;

function examples(code: string): string[] {
  return [
    `entity = "case" and project = "${code}" and automation = "manual"`,
    `entity = "run" and project = "${code}" and status = "failed" order by started desc`,
    `entity = "result" and status = "failed" and ended >= now("-7d")`,
    `entity = "defect" and status = "open"`,
  ];
}

/**
 * Searches every project the user may read with a QQL query (GET /v1/search). The query and page live
 * in the address (?q=...&page=N), so a search can be shared, reloaded and gone back to.
 */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const q = params.get("q") ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);

  const projects = useQuery({
    queryKey: ["projects", "search-examples"],
    queryFn: () => api<Page<Project>>("GET", "/v1/project?limit=1"),
  });
  const code = projects.data?.entities[0]?.code ?? "DEMO";

  const search = useQuery({
    queryKey: ["search", q, page],
    queryFn: () => {
      const query = new URLSearchParams({
        query: q,
        limit: String(PER_PAGE),
        offset: String((page - 1) * PER_PAGE),
      });
      return api<SearchAnswer>("GET", `/v1/search?${query}`);
    },
    enabled: q !== "",
    placeholderData: keepPreviousData,
    retry: false,
  });

  const run = (query: string, toPage = 1) => {
    const next = new URLSearchParams();
    if (query.trim()) next.set("q", query.trim());
    if (toPage > 1) next.set("page", String(toPage));
    setParams(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(draft);
  };

  const error = search.error;
  const fieldError =
    error instanceof ApiError
      ? (error.fieldError("query") ?? error.message)
      : error
        ? String(error)
        : undefined;
  const hits = search.data?.entities.map(toHit) ?? [];
  const pages = search.data ? Math.ceil(search.data.total / PER_PAGE) : 0;
  const total = search.data?.total ?? 0;
  const status =
    q === ""
      ? ""
      : search.isFetching
        ? "Searching…"
        : error
          ? "The query could not be run."
          : total === 0
            ? "Nothing matches."
            : `${total} ${total === 1 ? "match" : "matches"}`;

  return (
    <Stack>
      <Title order={2}>Search</Title>
      <search aria-label="QQL search">
        <form onSubmit={submit}>
          <Stack gap="xs">
            <Textarea
              {...SEARCH_INPUT}
              // The "/" shortcut from a page without a search box lands here.
              autoFocus={(location.state as { focusSearch?: boolean } | null)?.focusSearch === true}
              label="QQL query"
              description='One entity (case, run, result, defect or plan) and conditions, e.g. entity = "case" and title ~ "login"'
              value={draft}
              onChange={(e) => setDraft(e.currentTarget.value)}
              onKeyDown={(e) => {
                // Enter searches, as in a search field; Shift+Enter makes a new line in a long query.
                if (e.key === "Enter" && !e.shiftKey) {
                  e.preventDefault();
                  run(draft);
                }
              }}
              error={fieldError}
              autosize
              minRows={2}
              maxRows={6}
              maxLength={1000}
              spellCheck={false}
              // Mantine's error red (red-6) is 3.6:1 on white; the message must be readable (WCAG AA 4.5:1).
              styles={{
                input: {
                  fontFamily: "var(--mantine-font-family-monospace)",
                  color: "var(--mantine-color-text)",
                },
                error: { color: "var(--mantine-color-red-9)" },
              }}
            />
            <Group>
              <Button type="submit" disabled={!draft.trim()} loading={search.isFetching}>
                Search
              </Button>
            </Group>
          </Stack>
        </form>
      </search>
      <Stack gap={4}>
        <Text size="sm" fw={500} id="qql-examples">
          Examples
        </Text>
        <Group
          component="ul"
          gap="xs"
          m={0}
          p={0}
          aria-labelledby="qql-examples"
          style={{ listStyle: "none" }}
        >
          {examples(code).map((example) => (
            <li key={example} style={{ maxWidth: "100%" }}>
              <Button
                variant="light"
                size="compact-sm"
                maw="100%"
                styles={{
                  label: {
                    whiteSpace: "normal",
                    textAlign: "left",
                    fontFamily: "var(--mantine-font-family-monospace)",
                    fontWeight: 400,
                    fontSize: "var(--mantine-font-size-xs)",
                  },
                }}
                h="auto"
                py={4}
                onClick={() => {
                  setDraft(example);
                  run(example);
                }}
              >
                {example}
              </Button>
            </li>
          ))}
        </Group>
      </Stack>
      <Text size="sm" c="dimmed" role="status">
        {status}
      </Text>
      {q === "" && (
        <Alert color="gray">Type a query or pick an example to search every project you can read.</Alert>
      )}
      {hits.length > 0 && !error && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover aria-label="Search results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Title</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Project</Table.Th>
                <Table.Th>ID</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {hits.map((h) => (
                <Table.Tr key={h.key}>
                  <Table.Td>
                    <Anchor component={Link} to={h.to}>
                      {h.title || "(untitled)"}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{h.kind}</Badge>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/projects/${encodeURIComponent(h.project)}`}>
                      {h.project}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{h.id}</Table.Td>
                  <Table.Td>{h.detail}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && !error && (
        <Box component="nav" aria-label="Search result pages">
          <Pagination total={pages} value={page} onChange={(p) => run(q, p)} />
        </Box>
      )}
    </Stack>
  );
}
