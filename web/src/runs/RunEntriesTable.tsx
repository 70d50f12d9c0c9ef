import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Group,
  Table,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from "@mantine/core";
import { Fragment, useState } from "react";
import { Link } from "react-router-dom";
import { caseKey } from "../repository/data";
import { EntryResults } from "./EntryResults";
import { type SuiteGroup, useSuiteGroups } from "./entry-suites";
import { StatusBadge } from "./status";
import type { RunEntry } from "./types";

export function entryName(code: string, e: RunEntry): string {
  const params = Object.entries(e.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  const title = e.title ?? (e.case_id !== null ? caseKey(code, e.case_id) : "Untitled test");
  return params ? `${title} [${params}]` : title;
}

function entryKey(e: RunEntry): string {
  return `${e.case_id}:${e.last_result_hash}:${JSON.stringify(e.params)}`;
}

function groupTitle(g: SuiteGroup): string {
  if (g.path) return g.path;
  return g.withoutCase ? "Tests without a case" : "Cases outside suites";
}

/** "2 passed, 1 failed" for a group's lines, in the order statuses first appear. */
function groupCounts(entries: RunEntry[]): { status: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.status ?? "untested", (counts.get(e.status ?? "untested") ?? 0) + 1);
  return [...counts].map(([status, count]) => ({ status, count }));
}

function SuiteHeader({
  group,
  columns,
  collapsed,
  onToggle,
}: {
  group: SuiteGroup;
  columns: number;
  collapsed: boolean;
  onToggle(): void;
}) {
  const title = groupTitle(group);
  const counts = groupCounts(group.entries);
  return (
    <Table.Tr bg="var(--mantine-color-gray-0)">
      <Table.Th colSpan={columns} scope="rowgroup">
        <Group gap="xs" wrap="wrap">
          <UnstyledButton onClick={onToggle} aria-expanded={!collapsed}>
            <Group gap="xs" wrap="nowrap">
              <Text span aria-hidden w={16}>
                {collapsed ? "▸" : "▾"}
              </Text>
              <Text span fw={600} size="sm">
                {title}
              </Text>
            </Group>
          </UnstyledButton>
          <Text span size="xs" c="dimmed">
            {group.entries.length} on this page
          </Text>
          {counts.map((c) => (
            <Group key={c.status} gap={4} wrap="nowrap">
              <StatusBadge status={c.status} />
              <Text span size="xs">
                {c.count}
              </Text>
            </Group>
          ))}
        </Group>
      </Table.Th>
    </Table.Tr>
  );
}

/**
 * The loaded page of a run's lines in one table, a row group per suite with a header that folds it;
 * a page whose cases are all outside suites stays one flat list. Each line shows its attempts on demand.
 */
export function RunEntriesTable({
  code,
  runId,
  entries,
  canRecord,
  onRecord,
}: {
  code: string;
  runId: number;
  entries: RunEntry[];
  canRecord: boolean;
  onRecord(entry: RunEntry, name: string): void;
}) {
  const groups = useSuiteGroups(code, entries);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const flip = (set: Set<string>, key: string) => {
    const next = new Set(set);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    return next;
  };
  const columns = canRecord ? 5 : 4;
  // One group without a suite needs no heading: the page reads as the flat list it is.
  const headed = groups.length > 1 || (groups[0]?.path ?? null) !== null;

  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label="Run results">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>
              <VisuallyHidden>Details</VisuallyHidden>
            </Table.Th>
            <Table.Th>Case</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Attempts</Table.Th>
            {canRecord && (
              <Table.Th w={120}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        {groups.map((g) => {
          const folded = headed && collapsed.has(g.key);
          return (
            <Table.Tbody key={g.key} aria-label={headed ? groupTitle(g) : undefined}>
              {headed && (
                <SuiteHeader
                  group={g}
                  columns={columns}
                  collapsed={folded}
                  onToggle={() => setCollapsed((prev) => flip(prev, g.key))}
                />
              )}
              {!folded &&
                g.entries.map((e) => {
                  const key = entryKey(e);
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
                            onClick={() => setOpen((prev) => flip(prev, key))}
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
                              <Badge color="yellow" variant="light" size="sm" radius="sm" tt="none">
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
                        {canRecord && (
                          <Table.Td>
                            {e.case_id !== null && (
                              <Button
                                size="xs"
                                variant="light"
                                aria-label={`Add result for ${name}`}
                                onClick={() => onRecord(e, name)}
                              >
                                Add result
                              </Button>
                            )}
                          </Table.Td>
                        )}
                      </Table.Tr>
                      {expanded && (
                        <Table.Tr>
                          <Table.Td colSpan={columns}>
                            <EntryResults code={code} runId={runId} entry={e} />
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
            </Table.Tbody>
          );
        })}
      </Table>
    </Table.ScrollContainer>
  );
}
