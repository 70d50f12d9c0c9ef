import { type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import type { Db, Dialect } from "../../db/database.js";
import { countFromPage } from "../../db/json-rows.js";
import { containsPattern } from "../../db/like-pattern.js";
import type { SearchPlan } from "./qql.analyze.js";
import type { Cond } from "./qql.conditions.js";

/** Compiles an analyzed QQL condition to SQL; the only dialect difference is reading JSON tags. */
function compile(c: Cond, dialect: Dialect): RawBuilder<SqlBool> {
  const rec = (x: Cond) => compile(x, dialect);
  switch (c.k) {
    case "and":
    case "or":
      if (c.items.length === 0) return c.k === "and" ? sql<SqlBool>`1 = 1` : sql<SqlBool>`1 = 0`;
      return sql<SqlBool>`(${sql.join(c.items.map(rec), c.k === "and" ? sql` and ` : sql` or `)})`;
    case "not":
      return sql<SqlBool>`not (${rec(c.item)})`;
    case "const":
      return c.value ? sql<SqlBool>`1 = 1` : sql<SqlBool>`1 = 0`;
    case "cmp":
      return sql<SqlBool>`${sql.ref(c.col)} ${sql.raw(c.op === "!=" ? "<>" : c.op)} ${c.value}`;
    case "in":
      if (c.values.length === 0) return sql<SqlBool>`1 = 0`;
      return sql<SqlBool>`${sql.ref(c.col)} in (${sql.join(c.values)})`;
    case "null":
      return sql<SqlBool>`${sql.ref(c.col)} is null`;
    case "ieq":
      return sql<SqlBool>`lower(${sql.ref(c.col)}) = ${c.text.toLowerCase()}`;
    case "contains":
      return sql<SqlBool>`lower(${sql.ref(c.col)}) like ${containsPattern(c.text)} escape '\\'`;
    case "lookup": {
      const on = c.join.map(([inner, outer]) => sql`${sql.ref(inner)} = ${sql.ref(outer)}`);
      return sql<SqlBool>`exists (select 1 from ${sql.table(c.table)} as lk
        where ${sql.join(on, sql` and `)} and ${rec(c.where)})`;
    }
    case "tag": {
      const col = sql.ref(c.col);
      const title = dialect === "postgres" ? sql`t->>'title'` : sql`json_extract(t.value, '$.title')`;
      let test = sql`1 = 1`;
      if (c.test?.op === "ieq") test = sql`lower(${title}) = ${c.test.text.toLowerCase()}`;
      if (c.test?.op === "contains")
        test = sql`lower(${title}) like ${containsPattern(c.test.text)} escape '\\'`;
      return dialect === "postgres"
        ? sql<SqlBool>`exists (select 1 from jsonb_array_elements(${col}::jsonb) t where ${test})`
        : sql<SqlBool>`exists (select 1 from json_each(${col}) t where ${test})`;
    }
  }
}

/** Unset values sort last in both directions, the same on SQLite and PostgreSQL. */
function ordered<DB, TB extends keyof DB, O>(q: SelectQueryBuilder<DB, TB, O>, plan: SearchPlan) {
  let out = q;
  for (const o of plan.order) {
    out = out.orderBy(sql`${sql.ref(o.col)} ${sql.raw(o.desc ? "desc" : "asc")} nulls last`);
  }
  return out;
}

export interface SearchPage {
  limit: number;
  offset: number;
}

/** The live rows of one table matching the plan inside the given projects, and how many match. */
async function pageOf<DB, TB extends keyof DB, R>(
  base: SelectQueryBuilder<DB, TB, object>,
  rows: (q: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, R>,
  plan: SearchPlan,
  page: SearchPage,
): Promise<{ rows: R[]; total: number }> {
  const found = (await ordered(rows(base), plan).limit(page.limit).offset(page.offset).execute()) as R[];
  // A page that is not full tells the count; otherwise every match is counted.
  const known = countFromPage(found.length, page.limit, page.offset);
  if (known !== null) return { rows: found, total: known };
  const count = await base.select(sql<string | number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  return { rows: found, total: Number((count as { n: string | number }).n) };
}

/** Live rows of the given projects matching the plan; every searched table names itself `e`. */
function live(plan: SearchPlan, dialect: Dialect, projectIds: number[]): RawBuilder<SqlBool> {
  const projects = projectIds.length > 0 ? projectIds : [-1];
  return sql<SqlBool>`e.project_id in (${sql.join(projects)}) and e.deleted_at is null and ${compile(plan.where, dialect)}`;
}

type Search<R> = (
  db: Db,
  dialect: Dialect,
  plan: SearchPlan,
  projectIds: number[],
  page: SearchPage,
) => Promise<{ rows: R[]; total: number }>;

export const searchCases = ((db, dialect, plan, ids, page) =>
  pageOf(
    db.selectFrom("cases as e").where(live(plan, dialect, ids)),
    (q) => q.selectAll("e"),
    plan,
    page,
  )) satisfies Search<unknown>;

export const searchDefects = ((db, dialect, plan, ids, page) =>
  pageOf(
    db.selectFrom("defects as e").where(live(plan, dialect, ids)),
    (q) => q.selectAll("e"),
    plan,
    page,
  )) satisfies Search<unknown>;

export const searchRuns = ((db, dialect, plan, ids, page) =>
  pageOf(
    db.selectFrom("runs as e").where(live(plan, dialect, ids)),
    (q) => q.selectAll("e"),
    plan,
    page,
  )) satisfies Search<unknown>;

export const searchPlans = ((db, dialect, plan, ids, page) =>
  pageOf(
    db.selectFrom("plans as e").where(live(plan, dialect, ids)),
    (q) => q.selectAll("e"),
    plan,
    page,
  )) satisfies Search<unknown>;

/** Results of deleted runs are hidden, as in GET /v1/result. */
export const searchResults = ((db, dialect, plan, ids, page) =>
  pageOf(
    db
      .selectFrom("results as e")
      .innerJoin("runs as run", (j) =>
        j.onRef("run.project_id", "=", "e.project_id").onRef("run.id", "=", "e.run_id"),
      )
      .where("run.deleted_at", "is", null)
      .where(live(plan, dialect, ids)),
    (q) => q.selectAll("e"),
    plan,
    page,
  )) satisfies Search<unknown>;
