import { Badge, Box, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { enumOption } from "../repository/data";
import type { CaseEnum, CustomField, Step, SystemField } from "../repository/types";
import type { ProposedCase, ProposedParameter, ProposedStep, ReviewedCase } from "./types";

/** What the diff needs to name things: enum titles, suite paths, milestone and custom field titles. */
export interface DiffContext {
  fields: SystemField[] | undefined;
  customFields: CustomField[] | undefined;
  suitePaths: Map<number, string>;
  milestones: Map<number, string>;
}

type Change = "changed" | "unchanged" | "added" | "removed";

const CHANGE: Record<Change, { label: string; color: string }> = {
  changed: { label: "Changed", color: "yellow" },
  unchanged: { label: "Unchanged", color: "gray" },
  added: { label: "Added", color: "green" },
  removed: { label: "Removed", color: "red" },
};

function ChangeBadge({ change }: { change: Change }) {
  return (
    <Badge color={CHANGE[change].color} variant="light" radius="sm" tt="none" size="sm">
      {CHANGE[change].label}
    </Badge>
  );
}

function Value({ label, text }: { label: string; text: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {text === "" ? (
        <Text size="sm" c="dimmed">
          None
        </Text>
      ) : (
        <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          {text}
        </Text>
      )}
    </div>
  );
}

/** One proposed field: its name, whether it changes, and the value now beside the proposed one. */
function FieldChange({
  label,
  before,
  after,
  note,
}: {
  label: string;
  /** Undefined when there is nothing to compare with (a proposed new case). */
  before: string | undefined;
  after: string;
  note?: ReactNode;
}) {
  const change: Change = before === undefined ? "added" : before === after ? "unchanged" : "changed";
  return (
    <Paper withBorder p="sm" role="group" aria-label={label} data-change={change}>
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Text fw={600} size="sm">
          {label}
        </Text>
        {before !== undefined && <ChangeBadge change={change} />}
      </Group>
      <SimpleGrid cols={{ base: 1, sm: before === undefined ? 1 : 2 }} spacing="sm">
        {before !== undefined && <Value label="Current" text={before} />}
        <Value label="Proposed" text={after} />
      </SimpleGrid>
      {note && (
        <Text size="xs" c="dimmed" mt={4}>
          {note}
        </Text>
      )}
    </Paper>
  );
}

const TEXT_FIELDS = [
  ["title", "Title"],
  ["description", "Description"],
  ["preconditions", "Preconditions"],
  ["postconditions", "Postconditions"],
] as const;

const ENUMS = ["severity", "priority", "type", "layer", "behavior", "status"] as const;

function enumTitle(ctx: DiffContext, slug: CaseEnum, id: number): string {
  return enumOption(ctx.fields, slug, id)?.title ?? `unknown (${id})`;
}

function enumLabel(ctx: DiffContext, slug: CaseEnum): string {
  return ctx.fields?.find((f) => f.slug === slug)?.title ?? slug.charAt(0).toUpperCase() + slug.slice(1);
}

function parametersText(list: ProposedParameter[] | null | undefined): string {
  const one = (p: { title: string; values: string[] }) => `${p.title}: ${p.values.join(", ")}`;
  return (list ?? [])
    .map((p) =>
      p.type === "single"
        ? one(p.item)
        : p.type === "group"
          ? `group (${p.items.map(one).join("; ")})`
          : `shared parameter ${p.shared_id}`,
    )
    .join("\n");
}

function customText(field: CustomField | undefined, value: string | null | undefined): string {
  if (!value) return "";
  if (field?.type === "checkbox") return value === "1" ? "Yes" : "No";
  if (field && ["selectbox", "radio", "multiselect"].includes(field.type) && field.value) {
    try {
      const options = new Map(
        (JSON.parse(field.value) as { id: number; title: string }[]).map((o) => [String(o.id), o.title]),
      );
      return value
        .split(",")
        .map((v) => options.get(v.trim()) ?? v)
        .join(", ");
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * The automation a proposal leads to, worked out as the server does: is_manual and is_to_be_automated
 * each fall back to what the case has (or the default automation for a new case).
 */
function proposedAutomation(p: ProposedCase, current: number): number | undefined {
  if (p.is_manual === undefined && p.is_to_be_automated === undefined) return undefined;
  const manual = p.is_manual ?? (p.is_to_be_automated === true ? true : current !== 2);
  const toBe = p.is_to_be_automated ?? (manual ? current === 1 : false);
  return !manual ? 2 : toBe ? 1 : 0;
}

/** Every field the review proposes, each against the case it changes (or alone for a new case). */
export function FieldChanges({
  proposed,
  before,
  ctx,
}: {
  proposed: ProposedCase;
  before: ReviewedCase | null;
  ctx: DiffContext;
}) {
  const rows: { key: string; label: string; before: string | undefined; after: string; note?: string }[] = [];
  const was = (fn: (c: ReviewedCase) => string) => (before ? fn(before) : undefined);
  for (const [key, label] of TEXT_FIELDS) {
    const v = proposed[key];
    if (v !== undefined) rows.push({ key, label, before: was((c) => c[key] ?? ""), after: v ?? "" });
  }
  if (proposed.suite_id !== undefined) {
    const path = (id: number | null) =>
      id === null ? "No suite" : (ctx.suitePaths.get(id) ?? `Suite ${id}`);
    rows.push({
      key: "suite",
      label: "Suite",
      before: was((c) => path(c.suite_id)),
      after: path(proposed.suite_id),
    });
  }
  if (proposed.milestone_id !== undefined) {
    const name = (id: number | null) =>
      id === null ? "No milestone" : (ctx.milestones.get(id) ?? `Milestone ${id}`);
    rows.push({
      key: "milestone",
      label: "Milestone",
      before: was((c) => name(c.milestone_id)),
      after: name(proposed.milestone_id),
    });
  }
  for (const slug of ENUMS) {
    const v = proposed[slug];
    // A null enum proposes no value: the case keeps its own.
    if (v === undefined || v === null) continue;
    rows.push({
      key: slug,
      label: enumLabel(ctx, slug),
      before: was((c) => enumTitle(ctx, slug, c[slug])),
      after: enumTitle(ctx, slug, v),
    });
  }
  const defaultAutomation = Number(ctx.fields?.find((f) => f.slug === "automation")?.default_value ?? 0);
  const automation = proposedAutomation(proposed, before?.automation ?? defaultAutomation);
  if (automation !== undefined) {
    rows.push({
      key: "automation",
      label: enumLabel(ctx, "automation"),
      before: was((c) => enumTitle(ctx, "automation", c.automation)),
      after: enumTitle(ctx, "automation", automation),
    });
  }
  if (proposed.is_flaky !== undefined && proposed.is_flaky !== null) {
    const yes = (n: number) => (n ? "Yes" : "No");
    rows.push({
      key: "flaky",
      label: "Flaky",
      before: was((c) => yes(c.is_flaky)),
      after: yes(proposed.is_flaky),
    });
  }
  if (proposed.steps_type !== undefined) {
    const kind = (t: string | null) => (t === "gherkin" ? "Gherkin" : "Classic");
    rows.push({
      key: "steps_type",
      label: "Steps type",
      before: was((c) => kind(c.steps_type)),
      after: kind(proposed.steps_type),
    });
  }
  if (proposed.tags !== undefined) {
    rows.push({
      key: "tags",
      label: "Tags",
      before: was((c) => c.tags.map((t) => t.title).join(", ")),
      after: (proposed.tags ?? []).join(", "),
    });
  }
  if (proposed.parameters !== undefined) {
    rows.push({
      key: "parameters",
      label: "Parameters",
      before: was((c) => parametersText(c.parameters)),
      after: parametersText(proposed.parameters),
    });
  }
  if (proposed.attachments !== undefined) {
    const names = new Map((before?.attachments ?? []).map((a) => [a.hash, a.filename ?? a.hash]));
    const list = (hashes: string[]) => hashes.map((h) => names.get(h) ?? `file ${h.slice(0, 12)}`).join("\n");
    rows.push({
      key: "attachments",
      label: "Attachments",
      before: was((c) => list(c.attachments.map((a) => a.hash))),
      after: list(proposed.attachments),
    });
  }
  for (const cf of proposed.custom_fields ?? []) {
    const field = ctx.customFields?.find((f) => f.id === cf.id);
    rows.push({
      key: `custom-${cf.id}`,
      label: field?.title ?? `Custom field ${cf.id}`,
      before: was((c) => customText(field, c.custom_fields.find((x) => x.id === cf.id)?.value)),
      after: customText(field, cf.value),
    });
  }
  if (proposed.is_muted !== undefined) {
    rows.push({
      key: "muted",
      label: "Muted",
      before: undefined,
      after: proposed.is_muted ? "Yes" : "No",
      note: "Kept on the review only: Verdict cases have no muted flag, so merging does not apply it.",
    });
  }
  if (rows.length === 0) return <Text c="dimmed">This review proposes no field changes.</Text>;
  return (
    <Stack gap="xs">
      {rows.map((r) => (
        <FieldChange key={r.key} label={r.label} before={r.before} after={r.after} note={r.note} />
      ))}
    </Stack>
  );
}

interface FlatStep {
  number: string;
  text: string;
}

function stepText(action: string, data: string, expected: string, shared: string | null): string {
  return [
    action || (shared ? `Shared step ${shared}` : ""),
    data ? `Data: ${data}` : "",
    expected ? `Expected result: ${expected}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

function flatCase(steps: Step[], prefix = ""): FlatStep[] {
  return steps.flatMap((s, i) => {
    const number = `${prefix}${i + 1}`;
    return [
      {
        number,
        text: stepText(s.action, s.data ?? "", s.expected_result ?? "", s.shared_step_hash),
      },
      ...flatCase(s.steps, `${number}.`),
    ];
  });
}

function flatProposed(steps: ProposedStep[], prefix = ""): FlatStep[] {
  return steps.flatMap((s, i) => {
    const number = `${prefix}${i + 1}`;
    return [
      {
        number,
        text: stepText(s.action ?? s.value ?? "", s.data ?? "", s.expected_result ?? "", s.shared ?? null),
      },
      ...flatProposed(s.steps ?? [], `${number}.`),
    ];
  });
}

/**
 * The proposed steps against the case's, step by step in their numbered places (1, 1.1, 2...): a place
 * only one side has is an added or removed step.
 */
export function StepChanges({ proposed, before }: { proposed: ProposedStep[]; before: Step[] | null }) {
  const after = flatProposed(proposed);
  const was = before === null ? [] : flatCase(before);
  const numbers = [...was.map((s) => s.number)];
  for (const s of after) if (!numbers.includes(s.number)) numbers.push(s.number);
  const key = (n: string) => n.split(".").map(Number);
  numbers.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (x[i] ?? -1) - (y[i] ?? -1);
      if (d !== 0) return d;
    }
    return 0;
  });
  if (numbers.length === 0) return <Text c="dimmed">The proposal has no steps.</Text>;
  return (
    <Box component="ol" m={0} p={0} style={{ listStyle: "none" }}>
      {numbers.map((n) => {
        const old = was.find((s) => s.number === n);
        const now = after.find((s) => s.number === n);
        const change: Change =
          before === null || !old
            ? "added"
            : !now
              ? "removed"
              : old.text === now.text
                ? "unchanged"
                : "changed";
        return (
          <Paper
            key={n}
            component="li"
            withBorder
            p="sm"
            mb="xs"
            ml={`${(n.split(".").length - 1) * 16}px`}
            aria-label={`Step ${n}`}
            data-change={change}
          >
            <Group justify="space-between" mb={4} wrap="nowrap">
              <Text fw={600} size="sm">
                Step {n}
              </Text>
              {before !== null && <ChangeBadge change={change} />}
            </Group>
            <SimpleGrid cols={{ base: 1, sm: before === null ? 1 : 2 }} spacing="sm">
              {before !== null && <Value label="Current" text={old?.text ?? ""} />}
              <Value label="Proposed" text={now?.text ?? ""} />
            </SimpleGrid>
          </Paper>
        );
      })}
    </Box>
  );
}

export function DiffHeading({ children }: { children: ReactNode }) {
  return (
    <Title order={3} size="h4">
      {children}
    </Title>
  );
}
