import { Badge, Box, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { enumOption } from "../repository/data";
import type { CaseEnum, CustomField, Step, SystemField } from "../repository/types";
import { asCaseSteps, proposedAutomation } from "./proposal";
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

/**
 * The inside of one proposed field or step: its name, whether it changes, and the value now beside the
 * proposed one; `before` is undefined when there is nothing to compare with (a proposed new case).
 */
function ChangeBody({
  label,
  change,
  before,
  after,
}: {
  label: string;
  change: Change;
  before: string | undefined;
  after: string;
}) {
  return (
    <>
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
    </>
  );
}

/** One proposed field against the case's value. */
function FieldChange({
  label,
  before,
  after,
  note,
}: {
  label: string;
  before: string | undefined;
  after: string;
  note?: ReactNode;
}) {
  const change: Change = before === undefined ? "added" : before === after ? "unchanged" : "changed";
  return (
    <Paper withBorder p="sm" role="group" aria-label={label} data-change={change}>
      <ChangeBody label={label} change={change} before={before} after={after} />
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
  /** A proposed value (undefined: not proposed) against the case's, both shown by `text`. */
  const compare = <T,>(
    key: string,
    label: string,
    after: T | undefined,
    read: (c: ReviewedCase) => T,
    text: (v: T) => string,
  ) => {
    if (after !== undefined)
      rows.push({ key, label, before: before ? text(read(before)) : undefined, after: text(after) });
  };
  const text = (v: string | null) => v ?? "";
  for (const [key, label] of TEXT_FIELDS) compare(key, label, proposed[key], (c) => c[key], text);
  const suite = (id: number | null) => (id === null ? "No suite" : (ctx.suitePaths.get(id) ?? `Suite ${id}`));
  compare("suite", "Suite", proposed.suite_id, (c) => c.suite_id, suite);
  const milestone = (id: number | null) =>
    id === null ? "No milestone" : (ctx.milestones.get(id) ?? `Milestone ${id}`);
  compare("milestone", "Milestone", proposed.milestone_id, (c) => c.milestone_id, milestone);
  // A null enum or flaky flag proposes no value: the case keeps its own.
  for (const slug of ENUMS) {
    const title = (id: number) => enumTitle(ctx, slug, id);
    compare(slug, enumLabel(ctx, slug), proposed[slug] ?? undefined, (c) => c[slug], title);
  }
  const defaultAutomation = Number(ctx.fields?.find((f) => f.slug === "automation")?.default_value ?? 0);
  compare(
    "automation",
    enumLabel(ctx, "automation"),
    proposedAutomation(proposed, before?.automation ?? defaultAutomation),
    (c) => c.automation,
    (id) => enumTitle(ctx, "automation", id),
  );
  const yes = (n: number) => (n ? "Yes" : "No");
  compare("flaky", "Flaky", proposed.is_flaky ?? undefined, (c) => c.is_flaky, yes);
  const kind = (t: string | null) => (t === "gherkin" ? "Gherkin" : "Classic");
  compare("steps_type", "Steps type", proposed.steps_type, (c) => c.steps_type, kind);
  const tags = proposed.tags === undefined ? undefined : (proposed.tags ?? []);
  const joined = (list: string[]) => list.join(", ");
  compare("tags", "Tags", tags, (c) => c.tags.map((t) => t.title), joined);
  compare("parameters", "Parameters", proposed.parameters, (c) => c.parameters, parametersText);
  const names = new Map((before?.attachments ?? []).map((a) => [a.hash, a.filename ?? a.hash]));
  const files = (hashes: string[]) => hashes.map((h) => names.get(h) ?? `file ${h.slice(0, 12)}`).join("\n");
  compare("attachments", "Attachments", proposed.attachments, (c) => c.attachments.map((a) => a.hash), files);
  for (const cf of proposed.custom_fields ?? []) {
    const field = ctx.customFields?.find((f) => f.id === cf.id);
    compare(
      `custom-${cf.id}`,
      field?.title ?? `Custom field ${cf.id}`,
      cf.value,
      (c) => c.custom_fields.find((x) => x.id === cf.id)?.value ?? null,
      (v) => customText(field, v),
    );
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

/**
 * The proposed steps against the case's, step by step in their numbered places (1, 1.1, 2...): a place
 * only one side has is an added or removed step.
 */
export function StepChanges({ proposed, before }: { proposed: ProposedStep[]; before: Step[] | null }) {
  const after = flatCase(asCaseSteps(proposed));
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
            <ChangeBody
              label={`Step ${n}`}
              change={change}
              before={before === null ? undefined : (old?.text ?? "")}
              after={now?.text ?? ""}
            />
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
