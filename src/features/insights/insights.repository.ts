import { sql } from "kysely";
import type { Db } from "../../db/database.js";

/** A run's lines that have a result, each with its latest live result's duration (entry status = latest). */
export async function caseOutcomes(db: Db, projectId: number, runIds: number[]) {
  // One read for both runs: run_entries by primary key, each latest result by its unique hash.
  const rows = await db
    .selectFrom("run_entries as e")
    .leftJoin("results as r", (j) =>
      j.onRef("r.hash", "=", "e.last_result_hash").on("r.deleted_at", "is", null),
    )
    .select(["e.run_id", "e.case_id", "e.status", "r.duration_ms"])
    .where("e.project_id", "=", projectId)
    .where("e.run_id", "in", runIds)
    .where("e.case_id", "is not", null)
    .where("e.status", "is not", null)
    .execute();
  return rows.map((r) => ({
    runId: Number(r.run_id),
    caseId: Number(r.case_id),
    status: r.status ?? "",
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  }));
}

/** The latest live run of the plan before `beforeId`. */
export async function previousRunOfPlan(db: Db, projectId: number, planId: number, beforeId: number) {
  const row = await db
    .selectFrom("runs")
    .select("id")
    .where("project_id", "=", projectId)
    .where("id", "<", beforeId)
    .where("plan_id", "=", planId)
    .where("deleted_at", "is", null)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.id);
}

/**
 * Live runs before `beforeId` whose lower-cased title is like `pattern`, newest first: candidates the
 * service checks exactly (the pattern only narrows what is read, walking the primary key backwards).
 */
export async function earlierRunsLike(
  db: Db,
  projectId: number,
  beforeId: number,
  pattern: string,
  limit: number,
) {
  const rows = await db
    .selectFrom("runs")
    .select(["id", "title"])
    .where("project_id", "=", projectId)
    .where("id", "<", beforeId)
    .where("deleted_at", "is", null)
    .where(sql<boolean>`lower(title) like ${pattern} escape '\\'`)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), title: r.title }));
}

/** Cut at the SQL side: a signature reads the message's start and the stack's top frames only. */
const MESSAGE_CHARS = 4000;
const STACK_CHARS = 16000;

/** The run's live failing results (results_run_status_live), oldest first, error texts cut short. */
export async function failingResults(db: Db, projectId: number, runId: number, statuses: readonly string[]) {
  const rows = await db
    .selectFrom("results")
    .select([
      "hash",
      "case_id",
      "start_time",
      "end_time",
      "created_at",
      sql<string | null>`substr(comment, 1, ${sql.lit(MESSAGE_CHARS)})`.as("message"),
      sql<string | null>`substr(stacktrace, 1, ${sql.lit(STACK_CHARS)})`.as("stack"),
    ])
    .where("project_id", "=", projectId)
    .where("run_id", "=", runId)
    .where("status", "in", [...statuses])
    .where("deleted_at", "is", null)
    .orderBy("seq")
    .execute();
  return rows.map((r) => ({
    hash: r.hash,
    caseId: r.case_id === null ? null : Number(r.case_id),
    at: Number(r.start_time ?? r.end_time ?? r.created_at),
    message: r.message,
    stack: r.stack,
  }));
}
