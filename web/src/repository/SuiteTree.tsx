import {
  DndContext,
  type DragEndEvent,
  type DragOverEvent,
  PointerSensor,
  pointerWithin,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { ActionIcon, Badge, Box, Group, Menu, NavLink, Text } from "@mantine/core";
import { useState } from "react";
import { type SuiteNode, subtreeIds } from "./data";
import { WrappingName } from "./LongName";
import type { Suite } from "./types";

export interface SuiteActions {
  onAddChild(parent: Suite): void;
  onRename(suite: Suite): void;
  onDelete(node: SuiteNode): void;
  /** Opens the "Move to" dialog (the keyboard way to nest a suite elsewhere). */
  onMoveTo(node: SuiteNode): void;
  /** Places a suite under `parentId` (null: top level) at a 1-based position among the other children. */
  onMove(suite: Suite, parentId: number | null, position: number): void;
}

interface Props {
  tree: SuiteNode[];
  projectTotal: number;
  selected: number | null;
  onSelect(id: number | null): void;
  /** Absent for people who may not change the repository: no menus and no dragging. */
  actions?: SuiteActions | undefined;
}

type Zone = "before" | "inside" | "after";

/** Where a dragged suite lands, from the id of the drop zone under the pointer ("before:12"). */
function parseZone(id: string | number | undefined): { zone: Zone; target: number } | null {
  const [zone, target] = String(id ?? "").split(":");
  if ((zone === "before" || zone === "inside" || zone === "after") && target) {
    return { zone, target: Number(target) };
  }
  return null;
}

/** Parent and siblings of every suite, to turn a drop into parent_id + position. */
function indexTree(tree: SuiteNode[]) {
  const siblingsOf = new Map<number, SuiteNode[]>();
  const nodes = new Map<number, SuiteNode>();
  const walk = (list: SuiteNode[]) => {
    for (const n of list) {
      siblingsOf.set(n.suite.id, list);
      nodes.set(n.suite.id, n);
      walk(n.children);
    }
  };
  walk(tree);
  return { siblingsOf, nodes };
}

/** Position (1-based, among the siblings other than the moved suite) that puts it next to `target`. */
function positionBeside(siblings: SuiteNode[], moved: number, target: number, after: boolean): number {
  const others = siblings.filter((n) => n.suite.id !== moved);
  const index = others.findIndex((n) => n.suite.id === target);
  return index + (after ? 2 : 1);
}

/** The three invisible drop strips over a row: upper quarter, middle, lower quarter. */
function DropZones({ id, disabled }: { id: number; disabled: boolean }) {
  const before = useDroppable({ id: `before:${id}`, disabled });
  const inside = useDroppable({ id: `inside:${id}`, disabled });
  const after = useDroppable({ id: `after:${id}`, disabled });
  const strip = (top: string, height: string) =>
    ({ position: "absolute", left: 0, right: 0, top, height, pointerEvents: "none" }) as const;
  return (
    <>
      <div ref={before.setNodeRef} style={strip("0", "28%")} />
      <div ref={inside.setNodeRef} style={strip("28%", "44%")} />
      <div ref={after.setNodeRef} style={strip("72%", "28%")} />
    </>
  );
}

function DragHandle({ suite }: { suite: Suite }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: `suite:${suite.id}` });
  return (
    <ActionIcon
      ref={setNodeRef}
      variant="subtle"
      color="gray"
      size="sm"
      aria-label={`Drag suite ${suite.title}`}
      style={{ cursor: isDragging ? "grabbing" : "grab", touchAction: "none" }}
      {...attributes}
      {...listeners}
      // Keyboard users move suites through the actions menu, so the pointer-only handle stays out of the tab order.
      tabIndex={-1}
    >
      <Text size="xs" aria-hidden>
        ⠿
      </Text>
    </ActionIcon>
  );
}

/** The suites of a project as a nested list with case counts; "All cases" sits on top. */
export function SuiteTree({ tree, projectTotal, selected, onSelect, actions }: Props) {
  const [collapsed, setCollapsed] = useState<Set<number>>(new Set());
  const [dragging, setDragging] = useState<SuiteNode | null>(null);
  const [over, setOver] = useState<{ zone: Zone; target: number } | null>(null);
  // A drag starts after 6px of movement, so that a click on the handle stays a click.
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }));
  const { siblingsOf, nodes } = indexTree(tree);
  const blocked = new Set(dragging ? subtreeIds(dragging) : []);

  const toggle = (id: number) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const drop = (e: DragEndEvent) => {
    const moved = dragging;
    const zone = parseZone(e.over?.id);
    setDragging(null);
    setOver(null);
    if (!moved || !zone || !actions || blocked.has(zone.target)) return;
    const target = nodes.get(zone.target);
    if (!target) return;
    if (zone.zone === "inside") {
      if (moved.suite.parent_id === target.suite.id) return;
      setCollapsed((prev) => new Set([...prev].filter((id) => id !== target.suite.id)));
      actions.onMove(moved.suite, target.suite.id, target.children.length + 1);
      return;
    }
    const siblings = siblingsOf.get(target.suite.id) ?? [];
    const position = positionBeside(siblings, moved.suite.id, target.suite.id, zone.zone === "after");
    actions.onMove(moved.suite, target.suite.parent_id, position);
  };

  const moveBy = (node: SuiteNode, by: -1 | 1) => {
    const siblings = siblingsOf.get(node.suite.id) ?? [];
    const index = siblings.findIndex((n) => n.suite.id === node.suite.id);
    // Among the others, moving up takes the place of the previous one; down goes after the next one.
    actions?.onMove(node.suite, node.suite.parent_id, by < 0 ? index : index + 2);
  };

  const row = (node: SuiteNode) => {
    const { suite } = node;
    const open = !collapsed.has(suite.id);
    const siblings = siblingsOf.get(suite.id) ?? [];
    const index = siblings.indexOf(node);
    const isOver = over?.target === suite.id && !blocked.has(suite.id) ? over.zone : null;
    return (
      <Box key={suite.id} component="li" style={{ listStyle: "none" }} data-suite-id={suite.id}>
        <Group
          gap={0}
          wrap="nowrap"
          pl={node.depth * 14}
          pos="relative"
          bg={isOver === "inside" ? "var(--mantine-color-blue-light)" : undefined}
          style={{
            borderTop: `2px solid ${isOver === "before" ? "var(--mantine-color-blue-filled)" : "transparent"}`,
            borderBottom: `2px solid ${isOver === "after" ? "var(--mantine-color-blue-filled)" : "transparent"}`,
            opacity: blocked.has(suite.id) ? 0.5 : 1,
          }}
        >
          {actions && <DropZones id={suite.id} disabled={blocked.has(suite.id)} />}
          {actions && <DragHandle suite={suite} />}
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
            <Box w={22} style={{ flexShrink: 0 }} />
          )}
          <NavLink
            component="button"
            type="button"
            label={<WrappingName text={suite.title} />}
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
                <Menu.Item disabled={index <= 0} onClick={() => moveBy(node, -1)}>
                  Move up
                </Menu.Item>
                <Menu.Item disabled={index === siblings.length - 1} onClick={() => moveBy(node, 1)}>
                  Move down
                </Menu.Item>
                <Menu.Item onClick={() => actions.onMoveTo(node)}>Move to…</Menu.Item>
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

  const list = (
    <Box component="ul" p={0} m={0}>
      {tree.map(row)}
    </Box>
  );

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
      {actions ? (
        <DndContext
          sensors={sensors}
          collisionDetection={pointerWithin}
          onDragStart={(e) => setDragging(nodes.get(Number(String(e.active.id).split(":")[1])) ?? null)}
          onDragOver={(e: DragOverEvent) => setOver(parseZone(e.over?.id))}
          onDragCancel={() => {
            setDragging(null);
            setOver(null);
          }}
          onDragEnd={drop}
          accessibility={{
            screenReaderInstructions: {
              draggable:
                "Drag with a mouse or finger onto a suite to nest it, or above or below a suite to reorder. " +
                "With a keyboard, use Move up, Move down and Move to in the suite's actions menu.",
            },
          }}
        >
          {list}
        </DndContext>
      ) : (
        list
      )}
      {tree.length === 0 && (
        <Text size="sm" c="dimmed" px="sm" py="xs">
          No suites yet.
        </Text>
      )}
    </Box>
  );
}
