import {
  closestCenter,
  DndContext,
  type DragEndEvent,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import {
  arrayMove,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { ActionIcon, Box, Button, Group, Paper, Stack, Text, Textarea } from "@mantine/core";
import type { Step } from "./types";

/** The API nests steps this deep (top level included). */
const MAX_DEPTH = 5;

export interface StepDraft {
  key: number;
  action: string;
  expected_result: string;
  data: string;
  /** A shared-step reference is kept as it is; the editor does not change it. */
  shared: string | null;
  /** Attachment hashes are carried through an edit so that saving does not drop them. */
  attachments: string[];
  steps: StepDraft[];
}

let nextKey = 1;

export function emptyStep(): StepDraft {
  return {
    key: nextKey++,
    action: "",
    expected_result: "",
    data: "",
    shared: null,
    attachments: [],
    steps: [],
  };
}

export function draftSteps(steps: Step[]): StepDraft[] {
  return steps.map((s) => ({
    key: nextKey++,
    action: s.action,
    expected_result: s.expected_result ?? "",
    data: s.data ?? "",
    shared: s.shared_step_hash,
    attachments: s.attachments.map((a) => a.hash),
    steps: draftSteps(s.steps),
  }));
}

export interface StepBody {
  action: string;
  expected_result: string | null;
  data: string | null;
  shared?: string;
  attachments?: string[];
  steps: StepBody[];
}

export function stepBodies(steps: StepDraft[]): StepBody[] {
  return steps.map((s) => ({
    action: s.action,
    expected_result: s.expected_result || null,
    data: s.data || null,
    ...(s.shared ? { shared: s.shared } : {}),
    ...(s.attachments.length > 0 ? { attachments: s.attachments } : {}),
    steps: stepBodies(s.steps),
  }));
}

/** The API's name of a step field ("steps.0.steps.1.action") for its position path. */
export function stepField(path: number[], name: string): string {
  return `${path.map((i) => `steps.${i}`).join(".")}.${name}`;
}

/** Every field name the editor shows, so that the form can tell which server errors it placed. */
export function stepFieldNames(steps: StepDraft[], path: number[] = []): string[] {
  return steps.flatMap((s, i) => {
    const p = [...path, i];
    return [
      ...["action", "value", "expected_result", "data"].map((n) => stepField(p, n)),
      ...stepFieldNames(s.steps, p),
    ];
  });
}

function edit(
  steps: StepDraft[],
  path: number[],
  fn: (list: StepDraft[], index: number) => StepDraft[],
): StepDraft[] {
  const [head, ...rest] = path;
  if (head === undefined) return steps;
  if (rest.length === 0) return fn(steps, head);
  return steps.map((s, i) => (i === head ? { ...s, steps: edit(s.steps, rest, fn) } : s));
}

function StepRow({
  step,
  path,
  siblings,
  onChange,
  errorOf,
}: {
  step: StepDraft;
  path: number[];
  siblings: number;
  onChange(fn: (steps: StepDraft[]) => StepDraft[]): void;
  errorOf(field: string): string | undefined;
}) {
  const n = path.map((i) => i + 1).join(".");
  const index = path[path.length - 1] ?? 0;
  const set = (patch: Partial<StepDraft>) =>
    onChange((all) => edit(all, path, (list, i) => list.map((s, j) => (j === i ? { ...s, ...patch } : s))));
  const move = (by: number) =>
    onChange((all) =>
      edit(all, path, (list, i) => {
        const next = [...list];
        const [item] = next.splice(i, 1);
        if (item) next.splice(i + by, 0, item);
        return next;
      }),
    );
  const remove = () => onChange((all) => edit(all, path, (list, i) => list.filter((_, j) => j !== i)));
  const sortable = useSortable({ id: step.key });
  const addChild = () =>
    onChange((all) =>
      edit(all, path, (list, i) =>
        list.map((s, j) => (j === i ? { ...s, steps: [...s.steps, emptyStep()] } : s)),
      ),
    );

  return (
    <Paper
      ref={sortable.setNodeRef}
      withBorder
      p="sm"
      component="li"
      style={{
        listStyle: "none",
        transform: CSS.Translate.toString(sortable.transform),
        transition: sortable.transition,
        position: "relative",
        zIndex: sortable.isDragging ? 2 : undefined,
        boxShadow: sortable.isDragging ? "var(--mantine-shadow-md)" : undefined,
      }}
      aria-label={`Step ${n}`}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Group gap={4} wrap="nowrap">
            <ActionIcon
              ref={sortable.setActivatorNodeRef}
              variant="subtle"
              color="gray"
              aria-label={`Drag step ${n}`}
              style={{ cursor: sortable.isDragging ? "grabbing" : "grab", touchAction: "none" }}
              {...sortable.attributes}
              {...sortable.listeners}
            >
              <Text size="sm" aria-hidden>
                ⠿
              </Text>
            </ActionIcon>
            <Text fw={600} size="sm">
              Step {n}
              {step.shared ? " (shared step)" : ""}
            </Text>
          </Group>
          <Group gap={4} wrap="nowrap">
            <ActionIcon
              variant="subtle"
              aria-label={`Move step ${n} up`}
              disabled={index === 0}
              onClick={() => move(-1)}
            >
              ↑
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              aria-label={`Move step ${n} down`}
              disabled={index === siblings - 1}
              onClick={() => move(1)}
            >
              ↓
            </ActionIcon>
            <ActionIcon variant="subtle" color="red" aria-label={`Remove step ${n}`} onClick={remove}>
              ✕
            </ActionIcon>
          </Group>
        </Group>
        <Textarea
          label="Action"
          aria-label={`Step ${n} action`}
          autosize
          minRows={1}
          value={step.action}
          onChange={(e) => set({ action: e.currentTarget.value })}
          error={errorOf(stepField(path, "action")) ?? errorOf(stepField(path, "value"))}
        />
        <Group grow align="flex-start" gap="xs">
          <Textarea
            label="Data"
            aria-label={`Step ${n} data`}
            autosize
            minRows={1}
            value={step.data}
            onChange={(e) => set({ data: e.currentTarget.value })}
            error={errorOf(stepField(path, "data"))}
          />
          <Textarea
            label="Expected result"
            aria-label={`Step ${n} expected result`}
            autosize
            minRows={1}
            value={step.expected_result}
            onChange={(e) => set({ expected_result: e.currentTarget.value })}
            error={errorOf(stepField(path, "expected_result"))}
          />
        </Group>
        {step.steps.length > 0 && (
          <StepListEditor steps={step.steps} path={path} onChange={onChange} errorOf={errorOf} />
        )}
        {path.length < MAX_DEPTH && (
          <Box>
            <Button
              variant="subtle"
              size="compact-sm"
              onClick={addChild}
              aria-label={`Add sub-step to step ${n}`}
            >
              + Sub-step
            </Button>
          </Box>
        )}
      </Stack>
    </Paper>
  );
}

/** 1-based place of a step among its siblings, for announcements. */
function indexOf(steps: StepDraft[], key: string | number): number {
  return steps.findIndex((s) => s.key === key) + 1;
}

function StepListEditor({
  steps,
  path,
  onChange,
  errorOf,
}: {
  steps: StepDraft[];
  path: number[];
  onChange(fn: (steps: StepDraft[]) => StepDraft[]): void;
  errorOf(field: string): string | undefined;
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  // Each list of siblings sorts on its own: a step keeps its parent when dragged.
  const drop = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const reorder = (list: StepDraft[]) => {
      const from = list.findIndex((s) => s.key === active.id);
      const to = list.findIndex((s) => s.key === over.id);
      return from < 0 || to < 0 ? list : arrayMove(list, from, to);
    };
    onChange((all) =>
      path.length === 0
        ? reorder(all)
        : edit(all, path, (list, i) => list.map((s, j) => (j === i ? { ...s, steps: reorder(s.steps) } : s))),
    );
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={drop}
      accessibility={{
        screenReaderInstructions: {
          draggable:
            "To pick up a step, press space or enter. Use the up and down arrow keys to move it, " +
            "space or enter to drop it, escape to cancel.",
        },
        announcements: {
          onDragStart: ({ active }) => `Picked up step ${indexOf(steps, active.id)}.`,
          onDragOver: ({ active, over }) =>
            over ? `Step ${indexOf(steps, active.id)} is over place ${indexOf(steps, over.id)}.` : "",
          onDragEnd: ({ active, over }) =>
            over ? `Step ${indexOf(steps, active.id)} dropped at place ${indexOf(steps, over.id)}.` : "",
          onDragCancel: ({ active }) => `Moving step ${indexOf(steps, active.id)} was cancelled.`,
        },
      }}
    >
      <SortableContext items={steps.map((s) => s.key)} strategy={verticalListSortingStrategy}>
        <Stack component="ol" gap="xs" p={0} m={0} pl={path.length > 0 ? "md" : 0}>
          {steps.map((s, i) => (
            <StepRow
              key={s.key}
              step={s}
              path={[...path, i]}
              siblings={steps.length}
              onChange={onChange}
              errorOf={errorOf}
            />
          ))}
        </Stack>
      </SortableContext>
    </DndContext>
  );
}

/** Steps with nested sub-steps: add, remove, reorder among siblings; server errors at each field. */
export function StepsEditor({
  steps,
  onChange,
  errorOf,
}: {
  steps: StepDraft[];
  onChange(fn: (steps: StepDraft[]) => StepDraft[]): void;
  errorOf(field: string): string | undefined;
}) {
  return (
    <Stack gap="xs">
      {steps.length === 0 && (
        <Text size="sm" c="dimmed">
          No steps yet.
        </Text>
      )}
      <StepListEditor steps={steps} path={[]} onChange={onChange} errorOf={errorOf} />
      <Box>
        <Button variant="default" size="xs" onClick={() => onChange((all) => [...all, emptyStep()])}>
          Add step
        </Button>
      </Box>
    </Stack>
  );
}
