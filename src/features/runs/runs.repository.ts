import { type Insertable, type Selectable, sql } from "kysely";
import type { Db, RunEntriesTable, RunsTable } from "../../db/database.js";
import { countFromPage } from "../../db/json-rows.js";
import { containsPattern } from "../../db/like-pattern.js";
import { rowLocked } from "../../db/row-locks.js";
import { FAILING_STATUSES } from "../results/results.incoming.js";

export type RunRow = Selectable<RunsTable>;
export type RunEntryRow = Selectable<RunEntriesTable>;

export async function findRun(db: Db, projectId: number, id: number): Promise<RunRow | undefined> {
  return db
    .selectFrom("runs")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/**
 * The run, row-locked until the transaction ends on PostgreSQL (SQLite writers are serial anyway). A batch
 * of results takes "key share": batches go side by side, while a completion or deletion ("update") waits
 * for those in flight, and a batch arriving during one waits and then reads the run completed or deleted.
 */
export async function findRunLocked(db: Db, projectId: number, id: number, mode: "key share" | "update") {
  const q = db.selectFrom("runs").selectAll().where("project_id", "=", projectId).where("id", "=", id);
  return rowLocked(db, q, mode).executeTakeFirst();
}

export async function findRunByBuild(db: Db, projectId: number, buildId: string) {
  return db
    .selectFrom("runs")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("build_id", "=", buildId)
    .executeTakeFirst();
}

/** Inserts the run unless its build_id is taken; false when another writer already owns the build. */
export async function insertRun(db: Db, row: Insertable<RunsTable>): Promise<boolean> {
  const r = await db
    .insertInto("runs")
    .values(row)
    .onConflict((oc) => oc.columns(["project_id", "build_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return r !== undefined;
}

export async function updateRun(db: Db, projectId: number, id: number, patch: Partial<RunRow>) {
  await db.updateTable("runs").set(patch).where("project_id", "=", projectId).where("id", "=", id).execute();
}

export interface RunFilter {
  search?: string | undefined;
  /** Each item: [status, outcome] where outcome narrows completed runs to passed/failed. */
  statuses?: { status: number; failed?: boolean }[] | undefined;
  milestoneId?: number | undefined;
  environmentId?: number | undefined;
  fromStart?: number | undefined;
  toStart?: number | undefined;
  buildId?: string | undefined;
}

export async function listRuns(db: Db, projectId: number, f: RunFilter, limit: number, offset: number) {
  const base = db.selectFrom("runs").where("project_id", "=", projectId).where("deleted_at", "is", null);
  let q = base;
  if (f.search) q = q.where(sql<boolean>`lower(title) like ${containsPattern(f.search)} escape '\\'`);
  if (f.milestoneId !== undefined) q = q.where("milestone_id", "=", f.milestoneId);
  if (f.environmentId !== undefined) q = q.where("environment_id", "=", f.environmentId);
  if (f.fromStart !== undefined) q = q.where("start_time", ">=", f.fromStart);
  if (f.toStart !== undefined) q = q.where("start_time", "<=", f.toStart);
  if (f.buildId !== undefined) q = q.where("build_id", "=", f.buildId);
  if (f.statuses !== undefined) {
    const wanted = f.statuses;
    q = q.where((eb) =>
      eb.or(
        wanted.map((s) => {
          const cond = eb("status", "=", s.status);
          if (s.failed === undefined) return cond;
          // From the run's kept status counts (0017): a few rows a run, where its entries were
          // read until a failing one turned up (all of them, for a run that passed).
          const failing = eb.exists(
            eb
              .selectFrom("run_status_counts as c")
              .select(sql`1`.as("one"))
              .whereRef("c.project_id", "=", "runs.project_id")
              .whereRef("c.run_id", "=", "runs.id")
              .where("c.status", "in", FAILING_STATUSES)
              .where("c.entries", ">", 0),
          );
          return eb.and([cond, s.failed ? failing : eb.not(failing)]);
        }),
      ),
    );
  }
  const count = async (qq: typeof q) =>
    Number((await qq.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow()).n);
  const [total, rows] = await Promise.all([
    count(base),
    q.selectAll().orderBy("id", "desc").limit(limit).offset(offset).execute(),
  ]);
  if (q === base) return { rows, total, filtered: total };
  return { rows, total, filtered: countFromPage(rows.length, limit, offset) ?? (await count(q)) };
}

export interface EntryCounts {
  run_id: number;
  status: string | null;
  flaky: number;
  n: number;
}

/**
 * How many of the grouped entries of `table` (a name or alias) are flaky: marked so, or passed after a
 * failed attempt, the rule listRunEntries shows per line.
 */
export function flakyEntries(table: string) {
  const col = (c: string) => sql.ref(`${table}.${c}`);
  return sql<string | number>`sum(case when ${col("marked_flaky")} = 1
    or (${col("status")} = 'passed' and ${col("failed_attempts")} > 0) then 1 else 0 end)`;
}

/** Entry counts per run and status, plus how many of them are flaky: kept by triggers (0017). */
export async function entryCounts(db: Db, projectId: number, runIds: number[]): Promise<EntryCounts[]> {
  if (runIds.length === 0) return [];
  const rows = await db
    .selectFrom("run_status_counts")
    .select(["run_id", "status", "entries", "flaky"])
    .where("project_id", "=", projectId)
    .where("run_id", "in", runIds)
    .where("entries", ">", 0)
    .execute();
  return rows.map((r) => ({
    run_id: r.run_id,
    status: r.status === "" ? null : r.status,
    n: Number(r.entries),
    flaky: Number(r.flaky),
  }));
}

export async function caseIdsOfRuns(db: Db, projectId: number, runIds: number[]) {
  const out = new Map<number, number[]>();
  if (runIds.length === 0) return out;
  const rows = await db
    .selectFrom("run_entries")
    .select(["run_id", "case_id"])
    .distinct()
    .where("project_id", "=", projectId)
    .where("run_id", "in", runIds)
    .where("case_id", "is not", null)
    .orderBy("case_id")
    .execute();
  for (const r of rows) {
    if (r.case_id === null) continue;
    const list = out.get(r.run_id) ?? [];
    list.push(r.case_id);
    out.set(r.run_id, list);
  }
  return out;
}

/** Live cases of the project with their current version: what a run pins when it is created. */
export async function caseVersionsOf(db: Db, projectId: number, ids: number[] | "all") {
  let q = db
    .selectFrom("cases")
    .select(["id", "version", "title"])
    .where("project_id", "=", projectId)
    .where("deleted_at", "is", null);
  if (ids !== "all") {
    if (ids.length === 0) return [];
    q = q.where("id", "in", ids);
  }
  return q.orderBy("id").execute();
}

export async function insertEntries(db: Db, rows: Insertable<RunEntriesTable>[]) {
  // Chunked: SQLite caps bound parameters per statement.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto("run_entries")
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(["project_id", "run_id", "entry_key"]).doNothing())
      .execute();
  }
}

export async function planCaseIds(db: Db, projectId: number, planId: number): Promise<number[] | undefined> {
  const plan = await db
    .selectFrom("plans")
    .select("id")
    .where("project_id", "=", projectId)
    .where("id", "=", planId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!plan) return undefined;
  const rows = await db
    .selectFrom("plan_cases")
    .select("case_id")
    .where("project_id", "=", projectId)
    .where("plan_id", "=", planId)
    .execute();
  return rows.map((r) => r.case_id);
}

export async function environmentsByIds(db: Db, projectId: number, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("environments")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "in", ids)
    .execute();
}

export async function milestonesByIds(db: Db, projectId: number, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("milestones")
    .select(["id", "title", "description", "deleted_at"])
    .where("project_id", "=", projectId)
    .where("id", "in", ids)
    .execute();
}
