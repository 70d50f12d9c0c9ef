import { fail } from "../../http/errors.js";
import { MAX_ROW_ID } from "../../http/schema-bounds.js";
import { FAILING_STATUSES } from "../results/results.incoming.js";
import { QqlError } from "./qql.errors.js";
import type { Field, LookupTable } from "./qql.fields.js";
import type { Operator } from "./qql.lexer.js";
import type { FieldRef, Value } from "./qql.parser.js";
import { boolOf, dateSpanOf, type Env, numberOf, textOf } from "./qql.values.js";

/**
 * A QQL query resolved against an entity's fields: conditions over qualified columns (`e.` the
 * entity's table, `lk.` a looked-up row), free of SQL; search.repository.ts compiles it to Kysely.
 */
export type CmpOp = "=" | "!=" | ">" | ">=" | "<" | "<=";
export type Cond =
  | { k: "and" | "or"; items: Cond[] }
  | { k: "not"; item: Cond }
  | { k: "const"; value: boolean }
  | { k: "cmp"; col: string; op: CmpOp; value: number | string }
  | { k: "in"; col: string; values: (number | string)[] }
  | { k: "null"; col: string }
  /** Case-insensitive equality of text. */
  | { k: "ieq"; col: string; text: string }
  /** Case-insensitive substring. */
  | { k: "contains"; col: string; text: string }
  /** EXISTS a row of `table` (as lk) joined on [lk column, e column] pairs that meets `where`. */
  | { k: "lookup"; table: LookupTable | "run_status_counts"; join: [string, string][]; where: Cond }
  /** EXISTS a tag in the JSON tag list that meets the test (any tag when null). */
  | { k: "tag"; col: string; test: { op: "ieq" | "contains"; text: string } | null };

export interface AnalyzeEnv extends Env {
  /** The projects the caller may read, by upper-case code. */
  projects: Map<string, number>;
}

export type PositiveOp = "=" | ">" | ">=" | "<" | "<=" | "~" | "in";
export const NEGATION: Partial<Record<Operator | "notin", PositiveOp>> = {
  "!=": "=",
  "!~": "~",
  notin: "in",
};
const RESULT_STATUS_IDS: Record<number, string> = {
  1: "passed",
  2: "failed",
  3: "blocked",
  5: "skipped",
  7: "in_progress",
  8: "invalid",
};

export const TRUE: Cond = { k: "const", value: true };
const FALSE: Cond = { k: "const", value: false };
export const and = (...items: Cond[]): Cond => ({ k: "and", items });
const or = (items: Cond[]): Cond => (items.length === 1 ? (items[0] as Cond) : { k: "or", items });
export const not = (item: Cond): Cond => ({ k: "not", item });
export const isNull = (col: string): Cond => ({ k: "null", col });

export interface Leaf {
  field: FieldRef;
  op: PositiveOp;
  values: Value[];
  env: AnalyzeEnv;
}

function opError(l: Leaf, allowed: string): never {
  throw new QqlError(l.field.pos, `"${l.op}" does not apply to ${l.field.name}; use ${allowed}`);
}

function only(l: Leaf, ops: PositiveOp[], allowed: string) {
  if (!ops.includes(l.op)) opError(l, allowed);
}

/** The column a nullable field must have set for a condition on it to hold (else null). */
export function guardColumn(f: Field): string | null {
  switch (f.type) {
    case "number":
    case "text":
    case "date":
      return f.nullable ? f.col : null;
    case "ref":
    case "user":
      return f.col;
    default:
      return null;
  }
}

function lookupJoin(f: Extract<Field, { type: "ref" | "user" }>): [string, string][] {
  if (f.type === "user") return [["lk.id", f.col]];
  return f.projectScoped
    ? [
        ["lk.project_id", "e.project_id"],
        ["lk.id", f.col],
      ]
    : [["lk.id", f.col]];
}

function enumValue(l: Leaf, f: Extract<Field, { type: "enum" }>, v: Value): number | string {
  const name = textOf(v, l.field.name).trim().toLowerCase();
  const choice = f.choices.find((c) => c.names.some((n) => n.toLowerCase() === name));
  if (!choice) {
    const labels = f.choices.map((c) => `"${c.names[1] ?? c.names[0]}"`).join(", ");
    throw new QqlError(v.pos, `unknown ${l.field.name} "${textOf(v, l.field.name)}"; use one of ${labels}`);
  }
  return choice.stored;
}

function runStatus(l: Leaf, v: Value): Cond {
  const name = textOf(v, l.field.name)
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  // From the run's kept status counts (0017), a few rows a run, rather than reading its lines.
  const failing: Cond = {
    k: "lookup",
    table: "run_status_counts",
    join: [
      ["lk.project_id", "e.project_id"],
      ["lk.run_id", "e.id"],
    ],
    where: and(
      { k: "in", col: "lk.status", values: [...FAILING_STATUSES] },
      { k: "cmp", col: "lk.entries", op: ">", value: 0 },
    ),
  };
  const status = (n: number): Cond => ({ k: "cmp", col: "e.status", op: "=", value: n });
  if (name === "in_progress" || name === "active") return status(0);
  if (name === "aborted" || name === "abort") return status(2);
  if (name === "passed") return and(status(1), not(failing));
  if (name === "failed") return and(status(1), failing);
  if (name === "complete" || name === "completed") return status(1);
  throw new QqlError(
    v.pos,
    `unknown run status "${textOf(v, l.field.name)}"; use one of "In Progress", "Passed", "Failed", "Aborted"`,
  );
}

function resultStatus(l: Leaf, v: Value): string {
  if (v.kind === "number") {
    const s = RESULT_STATUS_IDS[v.value];
    if (s === undefined) throw new QqlError(v.pos, `unknown result status id ${v.value}`);
    return s;
  }
  return textOf(v, l.field.name).trim().toLowerCase().replace(/\s+/g, "_");
}

function projectIds(l: Leaf): Cond {
  const { projects } = l.env;
  if (l.op === "~") {
    const text = textOf(l.values[0] as Value, "project").toUpperCase();
    const ids = [...projects].filter(([code]) => code.includes(text)).map(([, id]) => id);
    return ids.length === 0 ? FALSE : { k: "in", col: "e.project_id", values: ids };
  }
  only(l, ["=", "in"], "=, !=, ~, !~, in or not in with project codes");
  const ids = l.values.map((v) => {
    const code = textOf(v, "project").trim().toUpperCase();
    const id = projects.get(code);
    // 403 rather than an empty answer: the caller named a project it cannot read (or that does not exist).
    if (id === undefined) throw fail.forbidden(`You have no access to project ${code} (position ${v.pos})`);
    return id;
  });
  return { k: "in", col: "e.project_id", values: ids };
}

/**
 * A comparison of an integer column with any number QQL accepts. PostgreSQL types the parameter as the
 * column, so 1.5, or a number past the column's range, would fail the whole statement; the comparison is
 * rewritten to what it means over integers (`> 1.5` is `> 1`, `= 1.5` holds for no row, `< 1e23` for
 * every row with a value), on both databases alike.
 */
function integerCmp(col: string, op: Exclude<CmpOp, "!=">, value: number, max: number): Cond {
  const min = -max - 1;
  const every = not(isNull(col));
  const cmp = (o: CmpOp, v: number): Cond => ({ k: "cmp", col, op: o, value: v });
  switch (op) {
    case "=":
      return Number.isInteger(value) && value >= min && value <= max ? cmp("=", value) : FALSE;
    case ">":
      return value >= max ? FALSE : value < min ? every : cmp(">", Math.floor(value));
    case ">=":
      return value > max ? FALSE : value <= min ? every : cmp(">=", Math.ceil(value));
    case "<":
      return value <= min ? FALSE : value > max ? every : cmp("<", Math.ceil(value));
    case "<=":
      return value < min ? FALSE : value >= max ? every : cmp("<=", Math.floor(value));
  }
}

/** `in` over an integer column: only the listed numbers such a column can hold. */
function integerIn(col: string, values: number[], max: number): Cond {
  const held = values.filter((v) => Number.isInteger(v) && v >= -max - 1 && v <= max);
  return held.length === 0 ? FALSE : { k: "in", col, values: held };
}

/** The condition for a positive operator (=, >, ~, in...) on one field. */
export function positive(f: Field, l: Leaf): Cond {
  const name = l.field.name;
  const each = (fn: (v: Value) => Cond) => or(l.values.map(fn));
  switch (f.type) {
    case "number": {
      only(l, ["=", ">", ">=", "<", "<=", "in"], "= != > >= < <= in or not in");
      const nums = l.values.map((v) => numberOf(v, l.env, name));
      if (l.op === "in") return integerIn(f.col, nums, f.max);
      return integerCmp(f.col, l.op as Exclude<CmpOp, "!=">, nums[0] as number, f.max);
    }
    case "text":
      only(l, ["=", "~", "in"], "= != ~ !~ in or not in");
      return l.op === "~"
        ? { k: "contains", col: f.col, text: textOf(l.values[0] as Value, name) }
        : each((v) => ({ k: "ieq", col: f.col, text: textOf(v, name) }));
    case "date": {
      only(l, ["=", ">", ">=", "<", "<=", "in"], "= != > >= < <= in or not in");
      return each((v) => {
        const { from, to } = dateSpanOf(v, l.env, name);
        const cmp = (op: CmpOp, value: number): Cond => ({ k: "cmp", col: f.col, op, value });
        if (l.op === ">") return cmp(">=", to);
        if (l.op === ">=") return cmp(">=", from);
        if (l.op === "<") return cmp("<", from);
        if (l.op === "<=") return cmp("<", to);
        return and(cmp(">=", from), cmp("<", to));
      });
    }
    case "bool":
      only(l, ["=", "in"], "= or != with true or false");
      return each((v) => ({ k: "cmp", col: f.col, op: "=", value: boolOf(v, name) ? 1 : 0 }));
    case "present":
      only(l, ["=", "in"], "= or != with true or false");
      return each((v) => (boolOf(v, name) ? not(isNull(f.col)) : isNull(f.col)));
    case "enum":
      only(l, ["=", "in"], "= != in or not in");
      return { k: "in", col: f.col, values: l.values.map((v) => enumValue(l, f, v)) };
    case "ref":
    case "user": {
      const texts = f.type === "user" ? ["email", "name"] : f.texts;
      const join = lookupJoin(f);
      const table = f.type === "user" ? "users" : f.table;
      if (l.op === "~") {
        const text = textOf(l.values[0] as Value, name);
        return {
          k: "lookup",
          table,
          join,
          where: or(texts.map((c) => ({ k: "contains", col: `lk.${c}`, text }))),
        };
      }
      if (l.op !== "=" && l.op !== "in")
        return integerCmp(
          f.col,
          l.op as Exclude<CmpOp, "!=">,
          numberOf(l.values[0] as Value, l.env, name),
          MAX_ROW_ID,
        );
      return each((v) => {
        if (v.kind === "string") {
          const byText = texts.map((c): Cond => ({ k: "ieq", col: `lk.${c}`, text: v.value }));
          return { k: "lookup", table, join, where: or(byText) };
        }
        return integerCmp(f.col, "=", numberOf(v, l.env, name), MAX_ROW_ID);
      });
    }
    case "project":
      return projectIds(l);
    case "tags":
      only(l, ["=", "~", "in"], "= != ~ !~ in or not in");
      if (l.op === "~")
        return { k: "tag", col: f.col, test: { op: "contains", text: textOf(l.values[0] as Value, name) } };
      return each((v) => ({ k: "tag", col: f.col, test: { op: "ieq", text: textOf(v, name) } }));
    case "runStatus":
      only(l, ["=", "in"], "= != in or not in");
      return each((v) => runStatus(l, v));
    case "resultStatus":
      only(l, ["=", "~", "in"], "= != ~ !~ in or not in");
      if (l.op === "~") return { k: "contains", col: f.col, text: textOf(l.values[0] as Value, name) };
      return { k: "in", col: f.col, values: l.values.map((v) => resultStatus(l, v)) };
  }
}

/** Conditions on a nullable column hold only when it is set, so `not (...)` also holds for unset. */
export function twoValued(f: Field, c: Cond): Cond {
  const guard = guardColumn(f);
  return guard === null ? c : and(not(isNull(guard)), c);
}

export function emptiness(f: Field): Cond {
  switch (f.type) {
    case "number":
    case "date":
      return f.nullable ? isNull(f.col) : FALSE;
    case "text":
      return or([isNull(f.col), { k: "cmp", col: f.col, op: "=", value: "" }]);
    case "ref":
    case "user":
    case "present":
      return isNull(f.col);
    case "tags":
      return not({ k: "tag", col: f.col, test: null });
    default:
      return FALSE;
  }
}
