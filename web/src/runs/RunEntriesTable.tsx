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
import { Fragment, useMemo, useState } from "react";
import { Link } from "react-router-dom";
import { caseKey } from "../repository/data";
import { EntryResults } from "./EntryResults";
import { type SuiteGroup, suiteGroups } from "./entry-suites";
import { StatusBadge, statParts } from "./status";
import type { RunEntry, RunSuite } from "./types";

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
  const totals = group.totals?.stats;
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
            {totals ? `${group.entries.length} of ${totals.total}` : group.entries.length} on this page
          </Text>
          {/* The whole run's counts for the suite, whichever page its lines are on. */}
          {totals &&
            statParts(totals).map((c) => (
              <Group key={c.status} gap={4} wrap="nowrap">
                <StatusBadge status={c.status} />
                <Text span size="xs">
                  {c.count}
                </Text>
              </Group>
            ))}
          {totals && totals.flaky > 0 && (
            <Group gap={4} wrap="nowrap">
              <Badge color="yellow" variant="light" radius="sm" tt="none">
                Flaky
              </Badge>
              <Text span size="xs">
                {totals.flaky}
              </Text>
            </Group>
          )}
        </Group>
      </Table.Th>
    </Table.Tr>
  );
}

/**
 * The loaded page of a run's lines in one table, a row group per suite with a header that folds it and
 * shows the suite's counts over the whole run; a page whose cases are all outside suites stays one flat
 * list. Each line shows its attempts on demand.
 */
export function RunEntriesTable({
  code,
  runId,
  entries,
  suites,
  canRecord,
  onRecord,
}: {
  code: string;
  runId: number;
  entries: RunEntry[];
  /** The run's totals per suite; undefined while loading. */
  suites: RunSuite[] | undefined;
  canRecord: boolean;
  onRecord(entry: RunEntry, name: string): void;
}) {
  const groups = useMemo(() => suiteGroups(entries, suites), [entries, suites]);
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
            {/* Status before the case: on a phone the table scrolls sideways, and status is what one reads first. */}
            <Table.Th>Status</Table.Th>
            <Table.Th>Case</Table.Th>
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
                          <StatusBadge status={e.status} />
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
