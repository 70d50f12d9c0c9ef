import { type Insertable, type Selectable, sql } from "kysely";
import type { CasesTable, CaseVersionsTable, Db } from "../../db/database.js";
import { countFromPage, jsonRow, pageOnPostgres, rowOfArray, rowsFromJson } from "../../db/json-rows.js";
import { containsPattern } from "../../db/like-pattern.js";
import { insertAsJson, onPostgres } from "../../db/pg-bulk.js";
import { rowLocked } from "../../db/row-locks.js";
import type { Store } from "../../db/store.js";
import type { CaseRow } from "./cases.present.js";

export type CaseVersionRow = Selectable<CaseVersionsTable>;

export async function findCase(db: Db, projectId: number, id: number): Promise<CaseRow | undefined> {
  return db
    .selectFrom("cases")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The case, row-locked until the transaction ends on PostgreSQL (SQLite serialises writers anyway). */
export async function findCaseForUpdate(db: Db, projectId: number, id: number): Promise<CaseRow | undefined> {
  const q = db.selectFrom("cases").selectAll().where("project_id", "=", projectId).where("id", "=", id);
  return rowLocked(db, q).executeTakeFirst();
}

/** Every column of a case, in table order: the compiler checks that none is missing or extra. */
const CASE_COLUMN_SET: Record<keyof CaseRow, true> = {
  project_id: true,
  id: true,
  suite_id: true,
  title: true,
  description: true,
  preconditions: true,
  postconditions: true,
  severity: true,
  priority: true,
  type: true,
  layer: true,
  behavior: true,
  automation: true,
  status: true,
  is_flaky: true,
  milestone_id: true,
  steps_type: true,
  steps: true,
  parameters: true,
  tags: true,
  custom_fields: true,
  attachments: true,
  external_issues: true,
  signature: true,
  position: true,
  author_id: true,
  version: true,
  created_at: true,
  updated_at: true,
  deleted_at: true,
};
export const CASE_COLUMNS = Object.keys(CASE_COLUMN_SET) as (keyof CaseRow)[];
const caseRowsFromJson = rowsFromJson<CaseRow>(CASE_COLUMNS);
const caseOfArray = rowOfArray<CaseRow>(CASE_COLUMNS);

export interface CaseFilter {
  search?: string | undefined;
  suiteId?: number | undefined;
  milestoneId?: number | undefined;
  severity?: number[] | undefined;
  priority?: number[] | undefined;
  type?: number[] | undefined;
  behavior?: number[] | undefined;
  automation?: number[] | undefined;
  status?: number[] | undefined;
  /** Cases carrying at least one of these tag titles (Verdict extension). */
  tags?: string[] | undefined;
  /** Cases linked to an issue of this tracker type (any type when undefined) and, if given, one of these ids. */
  externalIssues?: { type?: string | undefined; ids?: string[] | undefined } | undefined;
}

/** EXISTS over the JSON of cases.external_issues ([{type, issues: [{id}]}]), per dialect. */
function linkedTo(db: Db, filter: NonNullable<CaseFilter["externalIssues"]>) {
  const ids = filter.ids ?? [];
  if (onPostgres(db)) {
    const byType = filter.type === undefined ? sql`true` : sql`g->>'type' = ${filter.type}`;
    const byId = ids.length === 0 ? sql`true` : sql`i->>'id' in (${sql.join(ids)})`;
    return sql<boolean>`exists (select 1 from jsonb_array_elements(cases.external_issues::jsonb) g,
      jsonb_array_elements(g->'issues') i where ${byType} and ${byId})`;
  }
  const byType = filter.type === undefined ? sql`1` : sql`json_extract(g.value, '$.type') = ${filter.type}`;
  const byId = ids.length === 0 ? sql`1` : sql`json_extract(i.value, '$.id') in (${sql.join(ids)})`;
  return sql<boolean>`exists (select 1 from json_each(cases.external_issues) g,
    json_each(g.value, '$.issues') i where ${byType} and ${byId})`;
}

/** EXISTS over the JSON of cases.tags ([{title, internal_id}]): the case has one of the titles. */
function taggedWith(db: Db, titles: string[]) {
  if (onPostgres(db)) {
    return sql<boolean>`exists (select 1 from jsonb_array_elements(cases.tags::jsonb) t
      where t->>'title' in (${sql.join(titles)}))`;
  }
  return sql<boolean>`exists (select 1 from json_each(cases.tags) t
    where json_extract(t.value, '$.title') in (${sql.join(titles)}))`;
}

/**
 * A page of the project's live cases in id order, with the filter's count. The total is the project's
 * live cases as its row counts them (kept by triggers; counting them grew with the repository): the
 * caller's project row, read for this request, so a page costs one query fewer.
 */
export async function listCases(
  db: Db,
  project: { id: number; cases_count: number },
  filter: CaseFilter,
  limit: number,
  offset: number,
) {
  const projectId = project.id;
  let live = db.selectFrom("cases").where("project_id", "=", projectId).where("deleted_at", "is", null);
  // Without a suite or milestone to narrow it, a count reads the project's cases in id order (`id >= 1`,
  // always true, makes SQLite's primary key the best index it has): SQLite otherwise counted a search's or
  // a priority's matches through another index, cases_title or cases_suite_severity_live, reading the
  // table row by row in that index's order (a search at 100k cases: ~120 ms, against ~25 ms in id order).
  if (filter.suiteId === undefined && filter.milestoneId === undefined && !onPostgres(db))
    live = live.where("id", ">=", 1);
  let q = live;
  if (filter.search)
    q = q.where(sql<boolean>`lower(title) like ${containsPattern(filter.search)} escape '\\'`);
  if (filter.suiteId !== undefined) q = q.where("suite_id", "=", filter.suiteId);
  if (filter.milestoneId !== undefined) q = q.where("milestone_id", "=", filter.milestoneId);
  for (const key of ["severity", "priority", "type", "behavior", "automation", "status"] as const) {
    const ids = filter[key];
    if (ids !== undefined) q = q.where(key, "in", ids);
  }
  if (filter.tags !== undefined && filter.tags.length > 0) q = q.where(taggedWith(db, filter.tags));
  if (filter.externalIssues) q = q.where(linkedTo(db, filter.externalIssues));
  const filtered = q !== live;
  const total = Number(project.cases_count);
  const count = q.select((eb) => eb.fn.countAll<string | number>().as("n"));
  if (onPostgres(db)) {
    const query = q
      .select([...CASE_COLUMNS, "id as k"])
      .orderBy("id")
      .limit(limit)
      .offset(offset);
    const page = { query, columns: CASE_COLUMNS, order: "asc", limit, offset } as const;
    const found = await pageOnPostgres(db, page, {}, filtered ? count : undefined);
    return { rows: found.rows.map(caseOfArray), total, filtered: found.count ?? total };
  }
  const page = q.select(jsonRow(db, CASE_COLUMNS)).orderBy("id").limit(limit).offset(offset);
  const rows = caseRowsFromJson(await page.execute());
  if (!filtered) return { rows, total, filtered: total };
  const known = countFromPage(rows.length, limit, offset);
  return { rows, total, filtered: known ?? Number((await count.executeTakeFirstOrThrow()).n) };
}

/**
 * One past the last position in the suite. Written as the top row of the live-position index rather
 * than max(): PostgreSQL, before it has statistics on a freshly filled table, aggregated over every
 * case of the suite for max() (~2 ms a suite of 200) instead of reading the index's last entry.
 */
export async function nextCasePosition(db: Db, projectId: number, suiteId: number | null): Promise<number> {
  const row = await db
    .selectFrom("cases")
    .select("position")
    .where("project_id", "=", projectId)
    .where("suite_id", suiteId === null ? "is" : "=", suiteId)
    .where("deleted_at", "is", null)
    .orderBy("position", "desc")
    .limit(1)
    .executeTakeFirst();
  return (row?.position ?? 0) + 1;
}

/**
 * nextCasePosition for several suites (null: cases outside any suite). PostgreSQL answers them in one
 * round trip (a lateral lookup per suite id); SQLite's in-process lookups cost less than building that.
 */
export async function nextCasePositions(
  db: Db,
  projectId: number,
  suiteIds: (number | null)[],
): Promise<Map<number | null, number>> {
  const out = new Map<number | null, number>();
  const ids = [...new Set(suiteIds)];
  const inSuites = ids.filter((id): id is number => id !== null);
  if (onPostgres(db) && inSuites.length > 1) {
    const { rows } = await sql<{ suite_id: string | number; position: number | null }>`
      select s.id as suite_id, (select c.position from cases c
        where c.project_id = ${projectId} and c.suite_id = s.id and c.deleted_at is null
        order by c.position desc limit 1) as position
      from unnest(${inSuites}::bigint[]) as s(id)`.execute(db);
    for (const r of rows) out.set(Number(r.suite_id), (r.position ?? 0) + 1);
  }
  for (const id of ids) if (!out.has(id)) out.set(id, await nextCasePosition(db, projectId, id));
  return out;
}

/** SQLite's cached prepared statements on the transaction's connection (see Store.prepare). */
type Prepare = NonNullable<Store["prepare"]>;

/** Rows per statement in insertPrepared: 50 rows of a case (32 columns) stay far under SQLite's 32766 bound values. */
const PREPARED_CHUNK = 50;

/**
 * Rows that all have the same keys, through cached statements: for SQLite bulk inserts (cases created by
 * automated results), where building and parsing multi-row statements per batch cost more than the
 * inserts themselves. Chunks of 50 rows a statement, not one row: the live-case counter trigger on
 * `cases` makes every insert statement open a statement journal and copy each page it first touches
 * (~25 µs a one-row statement, against ~12 µs a row in a 50-row one); the rest goes row by row.
 */
function insertPrepared(prepare: Prepare, table: string, rows: object[]) {
  const columns = Object.keys(rows[0] ?? {});
  if (columns.length === 0) return;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const head = `insert into ${table} (${columns.join(", ")}) values `;
  const push = (out: unknown[], row: object) => {
    const r = row as Record<string, unknown>;
    for (const c of columns) out.push(r[c] ?? null);
  };
  let i = 0;
  if (rows.length >= PREPARED_CHUNK) {
    const many = prepare(head + Array.from({ length: PREPARED_CHUNK }, () => tuple).join(", "));
    for (; i + PREPARED_CHUNK <= rows.length; i += PREPARED_CHUNK) {
      const values: unknown[] = [];
      for (let k = i; k < i + PREPARED_CHUNK; k++) push(values, rows[k] as object);
      many.run(values);
    }
  }
  if (i === rows.length) return;
  const one = prepare(head + tuple);
  for (; i < rows.length; i++) {
    const values: unknown[] = [];
    push(values, rows[i] as object);
    one.run(values);
  }
}

export async function insertCases(db: Db, rows: Insertable<CasesTable>[], prepare?: Prepare): Promise<void> {
  if (prepare) return insertPrepared(prepare, "cases", rows);
  if (onPostgres(db)) {
    await insertAsJson(db, "cases", rows);
    return;
  }
  // SQLite without a cached statement: chunked, as SQLite caps bound parameters per statement (32,766)
  // and a case has 30 columns.
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto("cases")
      .values(rows.slice(i, i + 500))
      .execute();
}

export async function updateCaseRow(
  db: Db,
  projectId: number,
  id: number,
  patch: Partial<Omit<CaseRow, "project_id" | "id">>,
): Promise<void> {
  await db.updateTable("cases").set(patch).where("project_id", "=", projectId).where("id", "=", id).execute();
}

/** Live cases directly in the given suites; `lock` row-locks them until the transaction ends (PostgreSQL). */
export async function liveCasesInSuites(
  db: Db,
  projectId: number,
  suiteIds: number[],
  lock = false,
): Promise<CaseRow[]> {
  if (suiteIds.length === 0) return [];
  const q = db
    .selectFrom("cases")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("suite_id", "in", suiteIds)
    .where("deleted_at", "is", null)
    .orderBy("id");
  return (lock ? rowLocked(db, q) : q).execute();
}

export async function markCasesDeletedInSuites(db: Db, projectId: number, suiteIds: number[], at: number) {
  if (suiteIds.length === 0) return;
  await db
    .updateTable("cases")
    .set({ deleted_at: at })
    .where("project_id", "=", projectId)
    .where("suite_id", "in", suiteIds)
    .where("deleted_at", "is", null)
    .execute();
}

export async function insertVersions(db: Db, rows: CaseVersionRow[], prepare?: Prepare): Promise<void> {
  if (prepare) return insertPrepared(prepare, "case_versions", rows);
  if (onPostgres(db)) {
    await insertAsJson(db, "case_versions", rows);
    return;
  }
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto("case_versions")
      .values(rows.slice(i, i + 500))
      .execute();
}

/** Writes a version unless the case already has one with that number (see reviseCase). */
export async function insertVersionIfMissing(db: Db, row: CaseVersionRow): Promise<void> {
  await db
    .insertInto("case_versions")
    .values(row)
    .onConflict((oc) => oc.columns(["project_id", "case_id", "version"]).doNothing())
    .execute();
}

export async function listVersions(db: Db, projectId: number, caseId: number, limit: number, offset: number) {
  const base = db
    .selectFrom("case_versions")
    .where("project_id", "=", projectId)
    .where("case_id", "=", caseId);
  const [t, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    base.selectAll().orderBy("version").limit(limit).offset(offset).execute(),
  ]);
  return { rows, total: Number(t.n) };
}

export async function findVersion(db: Db, projectId: number, caseId: number, version: number) {
  return db
    .selectFrom("case_versions")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("case_id", "=", caseId)
    .where("version", "=", version)
    .executeTakeFirst();
}

/** Which of the ids name live rows of a per-project table the case links to. */
export async function liveIds(db: Db, table: "suites" | "milestones", projectId: number, ids: number[]) {
  if (ids.length === 0) return new Set<number>();
  const rows = await db
    .selectFrom(table)
    .select("id")
    .where("project_id", "=", projectId)
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .execute();
  return new Set(rows.map((r) => Number(r.id)));
}

export async function existingUserIds(db: Db, ids: number[]) {
  if (ids.length === 0) return new Set<number>();
  const rows = await db.selectFrom("users").select("id").where("id", "in", ids).execute();
  return new Set(rows.map((r) => Number(r.id)));
}

/** One id per distinct tag title, creating the missing ones (sorted, one statement: no lock cycles). */
export async function ensureTags(db: Db, titles: string[], at: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const unique = [...new Set(titles)].sort();
  if (unique.length === 0) return out;
  await db
    .insertInto("tags")
    .values(unique.map((title) => ({ title, created_at: at })))
    .onConflict((oc) => oc.column("title").doNothing())
    .execute();
  const rows = await db.selectFrom("tags").select(["id", "title"]).where("title", "in", unique).execute();
  for (const r of rows) out.set(r.title, Number(r.id));
  return out;
}
