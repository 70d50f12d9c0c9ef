import { Alert, Checkbox, Group, Pagination, Stack, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Page } from "../api";
import { caseKey } from "../repository/data";
import type { TestCase } from "../repository/types";

const PER_PAGE = 10;

/**
 * Choose cases from the repository: search and page through it on the server, tick cases; the choice
 * survives paging and searching because it is a set of ids, not a set of rows on screen.
 */
export function CasePicker({
  code,
  value,
  onChange,
  error,
}: {
  code: string;
  value: number[];
  onChange(ids: number[]): void;
  error?: string | undefined;
}) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const cases = useQuery({
    queryKey: ["cases", code, "pick", debounced, page],
    queryFn: () => {
      const q = new URLSearchParams({ limit: String(PER_PAGE), offset: String((page - 1) * PER_PAGE) });
      if (debounced) q.set("search", debounced);
      return api<Page<TestCase>>("GET", `/v1/case/${encodeURIComponent(code)}?${q}`);
    },
    placeholderData: keepPreviousData,
  });
  const chosen = new Set(value);
  const rows = cases.data?.entities ?? [];
  const allOnPage = rows.length > 0 && rows.every((c) => chosen.has(c.id));
  const someOnPage = rows.some((c) => chosen.has(c.id));
  const pages = cases.data ? Math.ceil(cases.data.filtered / PER_PAGE) : 0;
  const toggle = (ids: number[], on: boolean) => {
    const next = new Set(chosen);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    onChange([...next]);
  };

  return (
    <Stack gap="xs" role="group" aria-label="Cases to include">
      <Group justify="space-between" align="flex-end">
        <TextInput
          label="Find cases"
          placeholder="Words in the title"
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
        />
        <Text size="sm" aria-live="polite" data-testid="picked-count">
          {value.length} selected
        </Text>
      </Group>
      {error && (
        <Text size="sm" c="red" role="alert">
          {error}
        </Text>
      )}
      {cases.error && <Alert color="red">{cases.error.message}</Alert>}
      {cases.data && cases.data.count === 0 && <Text c="dimmed">No cases found.</Text>}
      {rows.length > 0 && (
        <Table aria-label="Pick cases" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>
                <Checkbox
                  aria-label="Select all cases on this page"
                  checked={allOnPage}
                  indeterminate={someOnPage && !allOnPage}
                  onChange={(e) =>
                    toggle(
                      rows.map((c) => c.id),
                      e.currentTarget.checked,
                    )
                  }
                />
              </Table.Th>
              <Table.Th>ID</Table.Th>
              <Table.Th>Title</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Checkbox
                    aria-label={`Select ${c.title}`}
                    checked={chosen.has(c.id)}
                    onChange={(e) => toggle([c.id], e.currentTarget.checked)}
                  />
                </Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>{caseKey(code, c.id)}</Table.Td>
                <Table.Td>{c.title}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {pages > 1 && (
        <Pagination size="sm" aria-label="Case picker pages" total={pages} value={page} onChange={setPage} />
      )}
    </Stack>
  );
}
