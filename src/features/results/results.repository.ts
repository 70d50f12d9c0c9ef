import { type Insertable, type Selectable, sql } from "kysely";
import type { Db, ResultsTable, RunEntriesTable } from "../../db/database.js";
import { countFromPage, jsonRow, pageOnPostgres, rowOfArray, rowsFromJson } from "../../db/json-rows.js";
import { insertAsJson, onPostgres, overKeys } from "../../db/pg-bulk.js";
import { selectIn } from "../../db/prepared.js";
import { rowLocked } from "../../db/row-locks.js";
import type { Store } from "../../db/store.js";
import { isFailing } from "./results.incoming.js";

/** SQLite's prepared statements on the transaction's connection (see Store.prepare). */
export type Prepare = NonNullable<Store["prepare"]>;

const RESULT_COLUMNS = [
  "hash",
  "project_id",
  "run_id",
  "entry_key",
  "case_id",
  "idem_key",
  "status",
  "title",
  "signature",
  "comment",
  "stacktrace",
  "error_context",
  "start_time",
  "end_time",
  "duration_ms",
  "thread",
  "steps_type",
  "steps",
  "attachments",
  "params",
  "param_groups",
  "fields",
  "suite_path",
  "is_api",
  "attempt",
  "is_flaky",
  "muted",
  "author_id",
  "created_at",
  "updated_at",
  "deleted_at",
] as const;
const ENTRY_COLUMNS = [
  "project_id",
  "run_id",
  "entry_key",
  "case_id",
  "case_version",
  "title",
  "params",
  "status",
  "last_result_hash",
  "attempts",
  "failed_attempts",
  "marked_flaky",
  "muted",
  "updated_at",
] as const;

const ENTRY_MERGE = `status = excluded.status, last_result_hash = excluded.last_result_hash,
  attempts = run_entries.attempts + excluded.attempts,
  failed_attempts = run_entries.failed_attempts + excluded.failed_attempts,
  marked_flaky = case when run_entries.marked_flaky = 1 or excluded.marked_flaky = 1 then 1 else 0 end,
  muted = excluded.muted, case_version = coalesce(run_entries.case_version, excluded.case_version),
  updated_at = excluded.updated_at`;

/**
 * A row's values in column order, missing ones as null: a function compiled once per column list (our
 * own constant names), so each row is read by plain property loads into an array of the exact size,
 * instead of a keyed lookup per column through a closure.
 */
function valuesOf(columns: readonly string[]): (row: object) => unknown[] {
  const read = columns.map((c) => `r[${JSON.stringify(c)}] ?? null`).join(", ");
  return new Function("r", `return [${read}];`) as (row: object) => unknown[];
}
const resultValues = valuesOf(RESULT_COLUMNS);
const entryValues = valuesOf(ENTRY_COLUMNS);

/** A row with every column, missing ones as null: insertAsJson takes its column list from the first row. */
function objectOf(columns: readonly string[]): (row: object) => object {
  const read = columns.map((c) => `${JSON.stringify(c)}: r[${JSON.stringify(c)}] ?? null`).join(", ");
  return new Function("r", `return { ${read} };`) as (row: object) => object;
}
const allResultColumns = objectOf(RESULT_COLUMNS);
const allEntryColumns = objectOf(ENTRY_COLUMNS);

export type ResultRow = Selectable<ResultsTable>;

/** The columns of a result its Qase read model shows (presentResults): a list page reads only these. */
const PRESENTED_COLUMN_SET = {
  hash: true,
  comment: true,
  stacktrace: true,
  run_id: true,
  case_id: true,
  steps: true,
  status: true,
  is_api: true,
  duration_ms: true,
  end_time: true,
  attachments: true,
  title: true,
  signature: true,
  start_time: true,
  params: true,
  fields: true,
  suite_path: true,
  attempt: true,
  is_flaky: true,
  muted: true,
  thread: true,
  author_id: true,
} satisfies Partial<Record<keyof ResultRow, true>>;
export type PresentedResultRow = Pick<ResultRow, keyof typeof PRESENTED_COLUMN_SET>;
const PRESENTED_COLUMNS = Object.keys(PRESENTED_COLUMN_SET) as (keyof PresentedResultRow)[];
const presentedRowsFromJson = rowsFromJson<PresentedResultRow>(PRESENTED_COLUMNS);
const presentedOfArray = rowOfArray<PresentedResultRow>(PRESENTED_COLUMNS);
export type NewResult = Insertable<ResultsTable>;

/** Results of a run already stored under these client ids (a retried batch). */
export async function existingByIdem(
  db: Db,
  projectId: number,
  runId: number,
  keys: string[],
  prepare?: Prepare,
) {
  const out = new Map<string, { hash: string; case_id: number | null }>();
  if (prepare) {
    const rows = selectIn<{ idem_key: string; hash: string; case_id: number | null }>(
      prepare,
      (marks) =>
        `select idem_key, hash, case_id from results where project_id = ? and run_id = ? and idem_key in (${marks})`,
      [projectId, runId],
      keys,
    );
    for (const r of rows) out.set(r.idem_key, { hash: r.hash, case_id: r.case_id });
    return out;
  }
  const rows = await overKeys(db, keys, (op, k) =>
    db
      .selectFrom("results")
      .select(["idem_key", "hash", "case_id"])
      .where("project_id", "=", projectId)
      .where("run_id", "=", runId)
      .where("idem_key", op, k)
      .execute(),
  );
  for (const r of rows) if (r.idem_key !== null) out.set(r.idem_key, { hash: r.hash, case_id: r.case_id });
  return out;
}

/** Code-unit order, nulls last: the same on every server, whatever its locale. */
function byKey(a: string | null | undefined, b: string | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return a < b ? -1 : 1;
}

/**
 * Inserts results; a row whose client id another writer stored meanwhile is skipped (the unique index
 * decides), and only the hashes actually inserted come back.
 */
export async function insertResults(db: Db, rows: NewResult[], prepare?: Prepare): Promise<Set<string>> {
  const inserted = new Set<string>();
  if (prepare) {
    // One cached statement run per row beats building 200-row statements on SQLite (no parsing, no
    // SQL text per batch).
    const stmt = prepare(
      `insert into results (${RESULT_COLUMNS.join(", ")}) values (${RESULT_COLUMNS.map(() => "?").join(", ")})
       on conflict (project_id, run_id, idem_key) do nothing`,
    );
    for (const row of rows) if (stmt.run(resultValues(row)).changes === 1) inserted.add(row.hash);
    return inserted;
  }
  if (onPostgres(db)) {
    // In client-id order: two batches holding some of the same ids (a retry beside its original, shards
    // resending) then wait for each other in one order instead of in a circle (a deadlock).
    const ordered = [...rows].sort((a, b) => byKey(a.idem_key, b.idem_key));
    const got = await insertAsJson<{ hash: string }>(
      db,
      "results",
      ordered.map(allResultColumns),
      sql`on conflict (project_id, run_id, idem_key) do nothing returning hash`,
    );
    for (const r of got) inserted.add(r.hash);
    return inserted;
  }
  // 30 columns a row: 200 rows stay under SQLite's bound-parameter cap.
  for (let i = 0; i < rows.length; i += 200) {
    const got = await db
      .insertInto("results")
      .values(rows.slice(i, i + 200))
      .onConflict((oc) => oc.columns(["project_id", "run_id", "idem_key"]).doNothing())
      .returning("hash")
      .execute();
    for (const r of got) inserted.add(r.hash);
  }
  return inserted;
}

export async function entryAttempts(
  db: Db,
  projectId: number,
  runId: number,
  keys: string[],
  prepare?: Prepare,
) {
  const out = new Map<string, number>();
  if (prepare) {
    const rows = selectIn<{ entry_key: string; attempts: number }>(
      prepare,
      (marks) =>
        `select entry_key, attempts from run_entries where project_id = ? and run_id = ? and entry_key in (${marks})`,
      [projectId, runId],
      keys,
    );
    for (const r of rows) out.set(r.entry_key, r.attempts);
    return out;
  }
  const rows = await overKeys(db, keys, (op, k) =>
    db
      .selectFrom("run_entries")
      .select(["entry_key", "attempts"])
      .where("project_id", "=", projectId)
      .where("run_id", "=", runId)
      .where("entry_key", op, k)
      .execute(),
  );
  for (const r of rows) out.set(r.entry_key, r.attempts);
  return out;
}

/**
 * Adds a batch's outcome to run entries in one statement per chunk: the newest result sets the status;
 * attempt and failure counters add up, so concurrent batches into one run never lose a count.
 */
export async function upsertEntries(db: Db, rows: Insertable<RunEntriesTable>[], prepare?: Prepare) {
  if (prepare) {
    const stmt = prepare(
      `insert into run_entries (${ENTRY_COLUMNS.join(", ")}) values (${ENTRY_COLUMNS.map(() => "?").join(", ")})
       on conflict (project_id, run_id, entry_key) do update set ${ENTRY_MERGE}`,
    );
    for (const row of rows) stmt.run(entryValues(row));
    return;
  }
  if (onPostgres(db)) {
    // Rows are one per entry key (the caller merges a batch's attempts), as one statement requires; in
    // key order, so that two batches updating some of the same entries lock them in one order.
    await insertAsJson(
      db,
      "run_entries",
      [...rows].sort((a, b) => byKey(a.entry_key, b.entry_key)).map(allEntryColumns),
      sql`on conflict (project_id, run_id, entry_key) do update set ${sql.raw(ENTRY_MERGE)}`,
    );
    return;
  }
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto("run_entries")
      .values(rows.slice(i, i + 500))
      .onConflict((oc) =>
        oc.columns(["project_id", "run_id", "entry_key"]).doUpdateSet({
          status: sql`excluded.status`,
          last_result_hash: sql`excluded.last_result_hash`,
          attempts: sql`run_entries.attempts + excluded.attempts`,
          failed_attempts: sql`run_entries.failed_attempts + excluded.failed_attempts`,
          marked_flaky: sql`case when run_entries.marked_flaky = 1 or excluded.marked_flaky = 1 then 1 else 0 end`,
          muted: sql`excluded.muted`,
          case_version: sql`coalesce(run_entries.case_version, excluded.case_version)`,
          updated_at: sql`excluded.updated_at`,
        }),
      )
      .execute();
  }
}

/** Rebuilds one entry from its live results, after a result was edited or deleted. */
export async function recomputeEntry(db: Db, projectId: number, runId: number, key: string, at: number) {
  const live = await db
    .selectFrom("results")
    .select(["hash", "status", "is_flaky", "muted"])
    .where("project_id", "=", projectId)
    .where("run_id", "=", runId)
    .where("entry_key", "=", key)
    .where("deleted_at", "is", null)
    .orderBy("seq")
    .execute();
  const last = live[live.length - 1];
  await db
    .updateTable("run_entries")
    .set({
      status: last?.status ?? null,
      last_result_hash: last?.hash ?? null,
      attempts: live.length,
      failed_attempts: live.filter((r) => isFailing(r.status)).length,
      marked_flaky: live.some((r) => r.is_flaky === 1) ? 1 : 0,
      muted: last?.muted ?? 0,
      updated_at: at,
    })
    .where("project_id", "=", projectId)
    .where("run_id", "=", runId)
    .where("entry_key", "=", key)
    .execute();
}

export async function findResult(db: Db, projectId: number, hash: string): Promise<ResultRow | undefined> {
  return db
    .selectFrom("results")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("hash", "=", hash)
    .executeTakeFirst();
}

/**
 * The result, row-locked until the transaction ends on PostgreSQL, for an edit or a delete: two such
 * writers at once would otherwise both read it live and both move the run's totals. A locked read waits
 * for the other writer and then reads its version (deleted, say). SQLite serialises writers anyway.
 */
export async function findResultForUpdate(db: Db, projectId: number, hash: string) {
  const q = db.selectFrom("results").selectAll().where("project_id", "=", projectId).where("hash", "=", hash);
  return rowLocked(db, q).executeTakeFirst();
}

export async function updateResultRow(db: Db, seq: number, patch: Partial<ResultRow>) {
  await db.updateTable("results").set(patch).where("seq", "=", seq).execute();
}

export interface ResultFilter {
  statuses?: string[] | undefined;
  runs?: number[] | undefined;
  caseIds?: number[] | undefined;
  members?: number[] | undefined;
  api?: boolean | undefined;
  fromEnd?: number | undefined;
  toEnd?: number | undefined;
}

/** The project's deleted runs: few, as only a person deletes a run, and read from their own index (0016). */
const deletedRuns = (db: Db, projectId: number) =>
  db.selectFrom("runs").select("id").where("project_id", "=", projectId).where("deleted_at", "is not", null);

/** Deleted runs' ids past which they are excluded by a subquery rather than bound one by one. */
const DELETED_RUNS_INLINE = 500;

/**
 * The live results a filter keeps, deleted runs' results hidden: when the filter names runs, by keeping
 * only those still live; otherwise by excluding the project's deleted runs, few as only a person deletes
 * one. Driven from the project's live runs instead, a case's history or the newest results read every
 * result of the project, run by run, then sorted them (at 300k results in 3,000 runs, up to 45 ms a
 * page); excluded, SQLite reads them from the index that fits the filter, in seq order (0016).
 */
export async function scopeResults(db: Db, projectId: number, f: ResultFilter) {
  const liveRuns = db
    .selectFrom("runs")
    .select("id")
    .where("project_id", "=", projectId)
    .where("deleted_at", "is", null);
  let q = db
    .selectFrom("results as r")
    .where("r.project_id", "=", projectId)
    .where("r.deleted_at", "is", null);
  if (f.runs) {
    const named = f.runs.length === 0 ? [] : await liveRuns.where("id", "in", f.runs).execute();
    // None alive: match nothing (ids are positive), still answer with the page shape.
    q = q.where("r.run_id", "in", named.length === 0 ? [-1] : named.map((r) => r.id));
  } else {
    // PostgreSQL plans the subquery well (a hashed list of the few deleted runs) and is spared a round trip.
    const deleted = onPostgres(db) ? null : (await deletedRuns(db, projectId).execute()).map((r) => r.id);
    if (deleted === null || deleted.length > DELETED_RUNS_INLINE)
      q = q.where("r.run_id", "not in", deletedRuns(db, projectId));
    else if (deleted.length > 0) q = q.where("r.run_id", "not in", deleted);
  }
  if (f.statuses) {
    // With cases named, SQLite must read their history, not every result of the status in seq order,
    // which it prefers without statistics: `+` keeps it off the status index (PostgreSQL plans well).
    const status = f.caseIds && !onPostgres(db) ? sql<string>`+r.status` : sql.ref("r.status");
    q = q.where(status, "in", f.statuses);
  }
  if (f.caseIds) q = q.where("r.case_id", "in", f.caseIds);
  if (f.members) q = q.where("r.author_id", "in", f.members);
  if (f.api !== undefined) q = q.where("r.is_api", "=", f.api ? 1 : 0);
  if (f.fromEnd !== undefined) q = q.where("r.end_time", ">=", f.fromEnd);
  if (f.toEnd !== undefined) q = q.where("r.end_time", "<=", f.toEnd);
  return q;
}

/** A page of results newest first (a case's history reads top-down), the live total, the filter's count. */
export async function listResults(db: Db, projectId: number, f: ResultFilter, limit: number, offset: number) {
  const q = await scopeResults(db, projectId, f);
  const filtered = Object.values(f).some((v) => v !== undefined);
  // The total comes from the runs' counters: counting every result of a project grew with the table.
  const total = db
    .selectFrom("runs")
    .select((eb) => eb.fn.sum<string | number | null>("results_count").as("n"))
    .where("project_id", "=", projectId)
    .where("deleted_at", "is", null);
  const count = q.select((eb) => eb.fn.countAll<string | number>().as("n"));
  // Not error_context (up to 262,144 characters a result) nor the bookkeeping columns: the page does
  // not show them.
  if (onPostgres(db)) {
    const query = q
      .select([...PRESENTED_COLUMNS.map((c) => `r.${c}` as const), "r.seq as k"])
      .orderBy("r.seq", "desc")
      .limit(limit)
      .offset(offset);
    const page = { query, columns: PRESENTED_COLUMNS, order: "desc", limit, offset } as const;
    const found = await pageOnPostgres(db, page, { total }, filtered ? count : undefined);
    const all = Number(found.scalars.total ?? 0);
    return { rows: found.rows.map(presentedOfArray), total: all, filtered: found.count ?? all };
  }
  const page = q
    .select(jsonRow(db, PRESENTED_COLUMNS, "r"))
    .orderBy("r.seq", "desc")
    .limit(limit)
    .offset(offset);
  const rows = presentedRowsFromJson(await page.execute());
  const all = Number((await total.executeTakeFirstOrThrow()).n ?? 0);
  // Unfiltered, the live results are the total: no need to count them one by one.
  if (!filtered) return { rows, total: all, filtered: all };
  const known = countFromPage(rows.length, limit, offset);
  return { rows, total: all, filtered: known ?? Number((await count.executeTakeFirstOrThrow()).n) };
}

/**
 * Keeps runs.results_count and runs.time_spent_ms in step with the run's live results (ingestion adds,
 * deletion subtracts, an edit of a result's time moves the time).
 */
export async function addToRunTotals(db: Db, projectId: number, runId: number, results: number, ms: number) {
  if (results === 0 && ms === 0) return;
  await db
    .updateTable("runs")
    .set({ results_count: sql`results_count + ${results}`, time_spent_ms: sql`time_spent_ms + ${ms}` })
    .where("project_id", "=", projectId)
    .where("id", "=", runId)
    .execute();
}
