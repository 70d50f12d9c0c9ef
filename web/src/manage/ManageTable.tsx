import { Alert, Button, Center, Group, Loader, Pagination, Table, Text } from "@mantine/core";
import type { CSSProperties, ReactNode } from "react";
import type { Page } from "../api";
import { MANAGE_PAGE } from "./data";

export interface Column<T> {
  header: ReactNode;
  cell(row: T): ReactNode;
  /** Dates and counts read badly when they wrap. */
  nowrap?: boolean;
  style?: CSSProperties;
}

/** What the table needs of a list query (a TanStack Query result fits as it is). */
export interface ListQuery<T> {
  data: Page<T> | undefined;
  error: Error | null;
  isPending: boolean;
}

/**
 * One page of a list: loader, error, empty text, a horizontally scrolling table (so that it works on a
 * phone) and the pager. Row buttons go in `actions`; leave it out for readers who may not change rows.
 */
export function ManageTable<T>({
  label,
  query,
  columns,
  rowKey,
  actions,
  empty,
  page,
  onPage,
  pageSize = MANAGE_PAGE,
  minWidth = 560,
  pagerLabel = `${label} pages`,
}: {
  /** The table's accessible name. */
  label: string;
  query: ListQuery<T>;
  columns: Column<T>[];
  rowKey(row: T): string | number;
  actions?: ((row: T) => ReactNode) | false;
  /** Shown when the page has no rows. */
  empty: ReactNode;
  page: number;
  onPage(page: number): void;
  pageSize?: number;
  minWidth?: number;
  pagerLabel?: string;
}) {
  const { data, error, isPending } = query;
  const pages = data ? Math.ceil(data.filtered / pageSize) : 0;
  return (
    <>
      {error && <Alert color="red">{error.message}</Alert>}
      {isPending && (
        <Center h={120}>
          <Loader aria-label={`Loading ${label.toLowerCase()}`} />
        </Center>
      )}
      {data && data.count === 0 && <Text c="dimmed">{empty}</Text>}
      {data && data.count > 0 && (
        <Table.ScrollContainer minWidth={minWidth}>
          <Table striped aria-label={label}>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed for the table's life
                  <Table.Th key={i}>{c.header}</Table.Th>
                ))}
                {actions && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.entities.map((row) => (
                <Table.Tr key={rowKey(row)}>
                  {columns.map((c, i) => (
                    <Table.Td
                      // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed for the table's life
                      key={i}
                      style={{ ...(c.nowrap ? { whiteSpace: "nowrap" } : {}), ...c.style }}
                    >
                      {c.cell(row)}
                    </Table.Td>
                  ))}
                  {actions && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap" justify="flex-end">
                        {actions(row)}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && <Pagination aria-label={pagerLabel} total={pages} value={page} onChange={onPage} />}
    </>
  );
}

/** A row's title with its description under it, as most lists show them. */
export function TitleCell({ title, description }: { title: string; description?: string | null }) {
  return (
    <>
      <Text size="sm" fw={500}>
        {title}
      </Text>
      {description && (
        <Text size="xs" c="dimmed" lineClamp={2}>
          {description}
        </Text>
      )}
    </>
  );
}

/** The usual pair of row buttons, named after the row for screen readers and tests. */
export function EditDeleteButtons({
  name,
  onEdit,
  onDelete,
}: {
  name: string;
  onEdit(): void;
  onDelete(): void;
}) {
  return (
    <>
      <Button size="xs" variant="light" aria-label={`Edit ${name}`} onClick={onEdit}>
        Edit
      </Button>
      <Button size="xs" variant="subtle" color="red" aria-label={`Delete ${name}`} onClick={onDelete}>
        Delete
      </Button>
    </>
  );
}
