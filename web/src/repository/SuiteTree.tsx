import { ActionIcon, Badge, Box, Group, Menu, NavLink, Text } from "@mantine/core";
import { useState } from "react";
import type { SuiteNode } from "./data";
import type { Suite } from "./types";

export interface SuiteActions {
  onAddChild(parent: Suite): void;
  onRename(suite: Suite): void;
  onDelete(node: SuiteNode): void;
}

interface Props {
  tree: SuiteNode[];
  projectTotal: number;
  selected: number | null;
  onSelect(id: number | null): void;
  /** Absent for people who may not change the repository: no menus at all. */
  actions?: SuiteActions | undefined;
}

/** The suites of a project as a nested list with case counts; "All cases" sits on top. */
export function SuiteTree({ tree, projectTotal, selected, onSelect, actions }: Props) {
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const row = (node: SuiteNode) => {
    const { suite } = node;
    const open = !collapsed.has(suite.id);
    return (
      <Box key={suite.id} component="li" style={{ listStyle: "none" }}>
        <Group gap={0} wrap="nowrap" pl={node.depth * 14}>
          {node.children.length > 0 ? (
            <ActionIcon
              variant="subtle"
              color="gray"
              size="sm"
              aria-label={`${open ? "Collapse" : "Expand"} ${suite.title}`}
              aria-expanded={open}
              onClick={() => toggle(suite.id)}
            >
              <Text size="xs" aria-hidden>
                {open ? "▾" : "▸"}
              </Text>
            </ActionIcon>
          ) : (
            <Box w={22} />
          )}
          <NavLink
            component="button"
            type="button"
            label={suite.title}
            active={selected === suite.id}
            aria-current={selected === suite.id ? "true" : undefined}
            onClick={() => onSelect(suite.id)}
            rightSection={
              <Badge size="sm" variant="light" color="gray" title="Cases in this suite and below">
                {node.total}
              </Badge>
            }
            style={{ flex: 1, minWidth: 0 }}
          />
          {actions && (
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="sm"
                  aria-label={`Actions for suite ${suite.title}`}
                >
                  ⋯
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => actions.onAddChild(suite)}>Add child suite</Menu.Item>
                <Menu.Item onClick={() => actions.onRename(suite)}>Rename</Menu.Item>
                <Menu.Item color="red" onClick={() => actions.onDelete(node)}>
                  Delete
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          )}
        </Group>
        {open && node.children.length > 0 && (
          <Box component="ul" p={0} m={0}>
            {node.children.map(row)}
          </Box>
        )}
      </Box>
    );
  };

  return (
    <Box component="nav" aria-label="Suites">
      <NavLink
        component="button"
        type="button"
        label="All cases"
        active={selected === null}
        aria-current={selected === null ? "true" : undefined}
        onClick={() => onSelect(null)}
        rightSection={
          <Badge size="sm" variant="light" color="gray">
            {projectTotal}
          </Badge>
        }
      />
      <Box component="ul" p={0} m={0}>
        {tree.map(row)}
      </Box>
      {tree.length === 0 && (
        <Text size="sm" c="dimmed" px="sm" py="xs">
          No suites yet.
        </Text>
      )}
    </Box>
  );
}
