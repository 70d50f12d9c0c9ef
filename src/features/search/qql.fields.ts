import { MAX_ROW_ID } from "../../http/schema-bounds.js";
import { type CaseEnum, ENUM_FIELDS } from "../system-fields/system-fields.catalog.js";

/**
 * What each QQL entity offers: field names (as Qase's qql_help lists them, plus the camelCase and
 * snake_case spellings of the read models) and how each maps onto the entity's table, aliased `e`.
 */
export const ENTITIES = ["case", "defect", "run", "result", "plan"] as const;
export type Entity = (typeof ENTITIES)[number];

export type EntityTable = "cases" | "defects" | "runs" | "results" | "plans";
/** Tables a reference field looks into, aliased `lk`. */
export type LookupTable = "suites" | "milestones" | "environments" | "plans" | "runs" | "cases" | "users";

/** One enum option: the stored value and every name QQL accepts for it (slug, label, id). */
export interface Choice {
  stored: number | string;
  names: string[];
}

export type Field =
  /** An integer column; max is the largest value it can hold (comparisons past it are rewritten). */
  | { type: "number"; col: string; nullable: boolean; max: number }
  | { type: "text"; col: string; nullable: boolean }
  | { type: "date"; col: string; nullable: boolean }
  | { type: "bool"; col: string }
  /** True when the column is set (e.g. a run is public when it has a public hash). */
  | { type: "present"; col: string }
  | { type: "enum"; col: string; label: string; choices: Choice[] }
  /** A link to another row: numbers compare its id, strings its title (or other text columns). */
  | { type: "ref"; col: string; table: LookupTable; texts: string[]; projectScoped: boolean }
  | { type: "user"; col: string }
  | { type: "project" }
  | { type: "tags"; col: string }
  | { type: "runStatus" }
  | { type: "resultStatus"; col: string };

export interface EntityDef {
  table: EntityTable;
  /** The column that identifies a row within its project, for stable paging. */
  key: string;
  fields: Record<string, Field>;
}

const num = (col: string, nullable = false, max = MAX_ROW_ID): Field => ({
  type: "number",
  col,
  nullable,
  max,
});
const text = (col: string, nullable = false): Field => ({ type: "text", col, nullable });
const date = (col: string, nullable = false): Field => ({ type: "date", col, nullable });
const user = (col = "e.author_id"): Field => ({ type: "user", col });
const ref = (col: string, table: LookupTable, texts = ["title"]): Field => ({
  type: "ref",
  col,
  table,
  texts,
  projectScoped: table !== "users",
});

function caseEnum(field: CaseEnum, extra: Record<string, string[]> = {}): Field {
  const f = ENUM_FIELDS[field];
  return {
    type: "enum",
    col: `e.${field}`,
    label: f.title,
    choices: f.options.map((o) => ({
      stored: o.id,
      names: [o.slug, o.title, String(o.id), ...(extra[o.slug] ?? [])],
    })),
  };
}

const DEFECT_STATUS: Field = {
  type: "enum",
  col: "e.status",
  label: "Defect status",
  choices: [
    { stored: "open", names: ["open", "Open"] },
    { stored: "in_progress", names: ["in_progress", "In progress", "in-progress"] },
    { stored: "resolved", names: ["resolved", "Resolved"] },
    { stored: "invalid", names: ["invalid", "Invalid"] },
  ],
};

/** The same field under several names. */
function alias(fields: Record<string, Field>, names: Record<string, string[]>) {
  const out = { ...fields };
  for (const [name, others] of Object.entries(names)) {
    const f = fields[name];
    if (f) for (const o of others) out[o] = f;
  }
  return out;
}

const COMMON = {
  project: { type: "project" } as Field,
  author: user(),
};
const COMMON_ALIASES = {
  author: ["createdBy", "author_id", "authorId", "author.id", "author.email", "author.name"],
};
const CREATED = { created: date("e.created_at"), updated: date("e.updated_at") };
const CREATED_ALIASES = { created: ["createdAt", "created_at"], updated: ["updatedAt", "updated_at"] };

export const ENTITY_DEFS: Record<Entity, EntityDef> = {
  case: {
    table: "cases",
    key: "e.id",
    fields: alias(
      {
        ...COMMON,
        ...CREATED,
        id: num("e.id"),
        title: text("e.title"),
        description: text("e.description", true),
        preconditions: text("e.preconditions", true),
        postconditions: text("e.postconditions", true),
        suite: ref("e.suite_id", "suites"),
        milestone: ref("e.milestone_id", "milestones"),
        severity: caseEnum("severity"),
        priority: caseEnum("priority"),
        type: caseEnum("type"),
        layer: caseEnum("layer"),
        behavior: caseEnum("behavior"),
        automation: caseEnum("automation", { "is-not-automated": ["Not automated"] }),
        status: caseEnum("status"),
        isFlaky: { type: "bool", col: "e.is_flaky" },
        tags: { type: "tags", col: "e.tags" },
      },
      {
        ...COMMON_ALIASES,
        ...CREATED_ALIASES,
        suite: ["suite_id", "suiteId", "suite.id", "suite.title"],
        milestone: ["milestone_id", "milestoneId", "milestone.id", "milestone.title"],
        isFlaky: ["is_flaky"],
        tags: ["tag"],
      },
    ),
  },
  defect: {
    table: "defects",
    key: "e.id",
    fields: alias(
      {
        ...COMMON,
        ...CREATED,
        id: num("e.id"),
        title: text("e.title"),
        actual_result: text("e.actual_result"),
        status: DEFECT_STATUS,
        severity: caseEnum("severity"),
        milestone: ref("e.milestone_id", "milestones"),
        resolved: date("e.resolved_at", true),
        tags: { type: "tags", col: "e.tags" },
      },
      {
        ...COMMON_ALIASES,
        ...CREATED_ALIASES,
        actual_result: ["actualResult"],
        milestone: ["milestone_id", "milestoneId", "milestone.id", "milestone.title"],
        resolved: ["resolvedAt", "resolved_at"],
        tags: ["tag"],
      },
    ),
  },
  run: {
    table: "runs",
    key: "e.id",
    fields: alias(
      {
        ...COMMON,
        id: num("e.id"),
        title: text("e.title"),
        description: text("e.description", true),
        status: { type: "runStatus" },
        environment: ref("e.environment_id", "environments", ["title", "slug"]),
        milestone: ref("e.milestone_id", "milestones"),
        plan: ref("e.plan_id", "plans"),
        started: date("e.start_time", true),
        ended: date("e.end_time", true),
        isAutotest: { type: "bool", col: "e.is_autotest" },
        isPublic: { type: "present", col: "e.public_hash" },
        tags: { type: "tags", col: "e.tags" },
      },
      {
        ...COMMON_ALIASES,
        environment: [
          "environment_id",
          "environmentId",
          "environment.id",
          "environment.title",
          "environment.slug",
        ],
        milestone: ["milestone_id", "milestoneId", "milestone.id", "milestone.title"],
        plan: ["plan_id", "planId", "plan.id", "plan.title"],
        started: ["startTime", "start_time"],
        ended: ["endTime", "end_time"],
        isAutotest: ["is_autotest"],
        isPublic: ["public"],
        tags: ["tag"],
      },
    ),
  },
  result: {
    table: "results",
    key: "e.seq",
    fields: alias(
      {
        ...COMMON,
        hash: text("e.hash"),
        status: { type: "resultStatus", col: "e.status" },
        run: ref("e.run_id", "runs"),
        case: ref("e.case_id", "cases"),
        caseId: num("e.case_id", true),
        // bigint on PostgreSQL; past 2^53 a JavaScript number is no longer an exact integer.
        timeSpent: num("e.duration_ms", true, Number.MAX_SAFE_INTEGER),
        ended: date("e.end_time", true),
        comment: text("e.comment", true),
        stacktrace: text("e.stacktrace", true),
      },
      {
        ...COMMON_ALIASES,
        hash: ["result_hash", "resultHash"],
        run: ["run_id", "runId", "run.id", "run.title"],
        case: ["case.id", "case.title"],
        caseId: ["case_id"],
        timeSpent: ["duration", "time_spent", "time_spent_ms", "time"],
        ended: ["endTime", "end_time"],
      },
    ),
  },
  plan: {
    table: "plans",
    key: "e.id",
    fields: alias(
      {
        ...COMMON,
        ...CREATED,
        id: num("e.id"),
        title: text("e.title"),
        description: text("e.description", true),
      },
      { ...COMMON_ALIASES, ...CREATED_ALIASES },
    ),
  },
};

/** A field by name, case-insensitively (isflaky = isFlaky); undefined when the entity has none. */
export function fieldOf(entity: Entity, name: string): Field | undefined {
  const fields = ENTITY_DEFS[entity].fields;
  if (Object.hasOwn(fields, name)) return fields[name];
  const lower = name.toLowerCase();
  const key = Object.keys(fields).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : fields[key];
}

/** The canonical field names of an entity, for "unknown field" messages. */
export function fieldNames(entity: Entity): string[] {
  const fields = ENTITY_DEFS[entity].fields;
  const seen = new Set<Field>();
  const names: string[] = [];
  for (const [name, f] of Object.entries(fields)) {
    if (seen.has(f)) continue;
    seen.add(f);
    names.push(name);
  }
  return names;
}
