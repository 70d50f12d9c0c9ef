import {
  Alert,
  Anchor,
  Checkbox,
  Loader,
  MultiSelect,
  Pagination,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
} from "@mantine/core";
import { useDebouncedValue, useHotkeys } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link } from "react-router-dom";
import { api, type Page } from "../api";
import { SEARCH_INPUT } from "../shortcuts/Shortcuts";
import { caseKey, enumField } from "./data";
import { EnumBadge } from "./EnumBadge";
import { WrappingName } from "./LongName";
import { FILTER_ENUMS, type SystemField, type TestCase } from "./types";

export const CASES_PER_PAGE = 25;

export interface CaseQuery {
  suite: number | null;
  search: string;
  /** Selected option slugs per filterable enum. */
  filters: Record<(typeof FILTER_ENUMS)[number], string[]>;
  /** Tag titles; a case matches when it has any of them. */
  tags: string[];
  page: number;
}

function casesUrl(code: string, q: CaseQuery): string {
  const params = new URLSearchParams({
    limit: String(CASES_PER_PAGE),
    offset: String((q.page - 1) * CASES_PER_PAGE),
  });
  if (q.suite !== null) params.set("suite_id", String(q.suite));
  if (q.search.trim()) params.set("search", q.search.trim());
  for (const key of FILTER_ENUMS) if (q.filters[key].length > 0) params.set(key, q.filters[key].join(","));
  if (q.tags.length > 0) params.set("tags", q.tags.join(","));
  return `/v1/case/${encodeURIComponent(code)}?${params}`;
}

/** One page of the cases of a suite (or of the project), filtered on the server. */
export function CaseList({
  code,
  query,
  onChange,
  fields,
  suiteTitles,
  selection,
}: {
  code: string;
  query: CaseQuery;
  onChange(next: CaseQuery): void;
  fields: SystemField[] | undefined;
  suiteTitles: Map<number, string>;
  /** Ticked case ids, kept across pages and filters; without it the list has no checkboxes. */
  selection?: { ids: number[]; onChange(ids: number[]): void } | undefined;
}) {
  const [search, setSearch] = useState(query.search);
  const [debounced] = useDebouncedValue(search, 300);
  useEffect(() => {
    if (debounced !== query.search) onChange({ ...query, search: debounced, page: 1 });
  }, [debounced, query, onChange]);

  // j and k walk the case links of this page; Enter opens the focused one.
  const step = (by: 1 | -1) => {
    const links = [...document.querySelectorAll<HTMLElement>("[data-case-link]")];
    const at = links.indexOf(document.activeElement as HTMLElement);
    links[
      at < 0 ? (by > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + by))
    ]?.focus();
  };
  useHotkeys([
    ["j", () => step(1)],
    ["k", () => step(-1)],
  ]);

  const cases = useQuery({
    queryKey: ["cases", code, query],
    queryFn: () => api<Page<TestCase>>("GET", casesUrl(code, query)),
    placeholderData: keepPreviousData,
  });
  const filtering =
    query.search.trim() !== "" ||
    query.tags.length > 0 ||
    FILTER_ENUMS.some((k) => query.filters[k].length > 0);
  const pages = cases.data ? Math.ceil(cases.data.filtered / CASES_PER_PAGE) : 0;
  const ticked = new Set(selection?.ids ?? []);
  const rows = cases.data?.entities ?? [];
  const allTicked = rows.length > 0 && rows.every((c) => ticked.has(c.id));
  const tick = (ids: number[], on: boolean) => {
    const next = new Set(ticked);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    selection?.onChange([...next]);
  };

  return (
    <Stack gap="sm">
      <TextInput
        label="Search cases"
        placeholder="Words in the title"
        {...SEARCH_INPUT}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
      />
      <SimpleGrid cols={{ base: 2, sm: 3, xl: 5 }} spacing="xs">
        {FILTER_ENUMS.map((key) => {
          const field = enumField(fields, key);
          return (
            <MultiSelect
              key={key}
              label={field?.title ?? key}
              placeholder="Any"
              clearable
              data={(field?.options ?? []).map((o) => ({ value: o.slug, label: o.title }))}
              value={query.filters[key]}
              onChange={(v) => onChange({ ...query, filters: { ...query.filters, [key]: v }, page: 1 })}
            />
          );
        })}
        <TagsInput
          label="Tags"
          placeholder="Any"
          description={query.tags.length > 1 ? "Any of these" : undefined}
          clearable
          maxTags={20}
          // Commas separate tags in the API's filter, so they cannot be part of one here.
          splitChars={[","]}
          value={query.tags}
          onChange={(tags) => onChange({ ...query, tags, page: 1 })}
        />
      </SimpleGrid>
      {cases.error && <Alert color="red">{cases.error.message}</Alert>}
      {cases.isPending && <Loader size="sm" aria-label="Loading cases" />}
      {cases.data && (
        <Text size="sm" c="dimmed" aria-live="polite" data-testid="case-count">
          {`${cases.data.filtered}${filtering ? " matching" : ""} case${cases.data.filtered === 1 ? "" : "s"}`}
          {cases.isFetching && " …"}
        </Text>
      )}
      {cases.data && cases.data.count === 0 && (
        <Text c="dimmed">{filtering ? "No cases match these filters." : "No cases here yet."}</Text>
      )}
      {cases.data && cases.data.count > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover aria-label="Cases">
            <Table.Thead>
              <Table.Tr>
                {selection && (
                  <Table.Th w={40}>
                    <Checkbox
                      aria-label="Select all cases on this page"
                      checked={allTicked}
                      indeterminate={!allTicked && rows.some((c) => ticked.has(c.id))}
                      onChange={(e) =>
                        tick(
                          rows.map((c) => c.id),
                          e.currentTarget.checked,
                        )
                      }
                    />
                  </Table.Th>
                )}
                <Table.Th>ID</Table.Th>
                <Table.Th>Title</Table.Th>
                {query.suite === null && <Table.Th>Suite</Table.Th>}
                {FILTER_ENUMS.map((k) => (
                  <Table.Th key={k}>{enumField(fields, k)?.title ?? k}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {cases.data.entities.map((c) => (
                <Table.Tr key={c.id}>
                  {selection && (
                    <Table.Td>
                      <Checkbox
                        aria-label={`Select case ${caseKey(code, c.id)}`}
                        checked={ticked.has(c.id)}
                        onChange={(e) => tick([c.id], e.currentTarget.checked)}
                      />
                    </Table.Td>
                  )}
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{caseKey(code, c.id)}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/projects/${code}/cases/${c.id}`} data-case-link>
                      <WrappingName text={c.title} />
                    </Anchor>
                  </Table.Td>
                  {query.suite === null && (
                    <Table.Td>
                      {c.suite_id === null ? "—" : <WrappingName text={suiteTitles.get(c.suite_id) ?? ""} />}
                    </Table.Td>
                  )}
                  {FILTER_ENUMS.map((k) => (
                    <Table.Td key={k}>
                      <EnumBadge fields={fields} slug={k} id={c[k]} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && (
        <Pagination
          aria-label="Case pages"
          total={pages}
          value={query.page}
          onChange={(page) => onChange({ ...query, page })}
        />
      )}
    </Stack>
  );
}
