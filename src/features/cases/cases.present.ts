import type { Static } from "@sinclair/typebox";
import type { Selectable } from "kysely";
import type { CasesTable } from "../../db/database.js";
import { iso, plain } from "../../db/time.js";
import type { Case } from "./cases.schemas.js";

export type CaseRow = Selectable<CasesTable>;
export type CaseOut = Static<typeof Case>;

/** How steps are kept in cases.steps: the read shape, with attachments as hashes. */
export interface StoredStep {
  hash: string;
  shared_step_hash: string | null;
  shared_step_nested_hash: string | null;
  position: number;
  action: string;
  expected_result: string | null;
  data: string | null;
  attachments: string[];
  steps: StoredStep[];
}

export interface ParamSingle {
  title: string;
  values: string[];
}

export type StoredParameter =
  | { type: "single"; shared_id: null; item: ParamSingle }
  | { type: "group"; shared_id: null; items: ParamSingle[] }
  | { type: "shared"; shared_id: string };

export interface StoredTag {
  title: string;
  internal_id: number;
}

export interface StoredExternalIssues {
  type: string;
  issues: { id: string }[];
}

function json<T>(text: string, fallback: T): T {
  // The column defaults, as most cases keep them: a fresh value each time, as JSON.parse gives.
  if (text === "[]") return [] as T;
  if (text === "{}") return {} as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function stepOut(s: StoredStep): CaseOut["steps"][number] {
  return { ...s, attachments: s.attachments.map((hash) => ({ hash })), steps: s.steps.map(stepOut) };
}

/** A case row in Qase's TestCase shape; also the snapshot kept in case_versions. */
export function presentCase(row: CaseRow): CaseOut {
  const parameters = json<StoredParameter[]>(row.parameters, []);
  const params: Record<string, string[]> = {};
  for (const p of parameters) if (p.type === "single") params[p.item.title] = p.item.values;
  const custom = json<Record<string, string | null>>(row.custom_fields, {});
  const automation = Number(row.automation);
  return {
    id: Number(row.id),
    position: Number(row.position),
    title: row.title,
    description: row.description,
    preconditions: row.preconditions,
    postconditions: row.postconditions,
    severity: Number(row.severity),
    priority: Number(row.priority),
    type: Number(row.type),
    layer: Number(row.layer),
    is_flaky: Number(row.is_flaky),
    behavior: Number(row.behavior),
    automation,
    isManual: automation !== 2,
    isToBeAutomated: automation === 1,
    status: Number(row.status),
    milestone_id: row.milestone_id === null ? null : Number(row.milestone_id),
    suite_id: row.suite_id === null ? null : Number(row.suite_id),
    custom_fields: Object.entries(custom).map(([id, value]) => ({ id: Number(id), value })),
    attachments: json<string[]>(row.attachments, []).map((hash) => ({ hash })),
    steps_type: row.steps_type,
    steps: json<StoredStep[]>(row.steps, []).map(stepOut),
    params,
    parameters,
    tags: json<StoredTag[]>(row.tags, []),
    member_id: row.author_id === null ? null : Number(row.author_id),
    author_id: row.author_id === null ? null : Number(row.author_id),
    created_at: iso(Number(row.created_at)) ?? "",
    updated_at: iso(Number(row.updated_at)) ?? "",
    deleted: row.deleted_at === null ? null : iso(Number(row.deleted_at)),
    created: plain(Number(row.created_at)),
    updated: plain(Number(row.updated_at)),
    external_issues: json<StoredExternalIssues[]>(row.external_issues, []),
    version: Number(row.version),
  };
}

/** Fields a client edits; derived ones (isManual, params, member_id...) follow from these. */
const CONTENT_FIELDS = [
  "title",
  "description",
  "preconditions",
  "postconditions",
  "severity",
  "priority",
  "type",
  "layer",
  "is_flaky",
  "behavior",
  "automation",
  "status",
  "milestone_id",
  "suite_id",
  "custom_fields",
  "attachments",
  "steps_type",
  "steps",
  "parameters",
  "tags",
  "external_issues",
] as const;

/** Which content fields differ between two states of a case. */
export function changedFields(before: CaseOut, after: CaseOut): string[] {
  return CONTENT_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}
