import { sql } from "kysely";
import type { Db } from "../../src/db/database.js";

/**
 * A run's stats and time as kept (0017) and as aggregated from its entries and results, to compare. Run
 * ids are numbered per project: give the project when the store holds several.
 */
export async function keptAndCounted(db: Db, runId: number, projectId?: number) {
  const kept = await db
    .selectFrom("run_status_counts")
    .select(["status", "entries", "flaky"])
    .where("run_id", "=", runId)
    .$if(projectId !== undefined, (q) => q.where("project_id", "=", projectId as number))
    .where("entries", "<>", 0)
    .orderBy("status")
    .execute();
  const counted = await db
    .selectFrom("run_entries as e")
    .select([
      sql<string>`coalesce(e.status, '')`.as("status"),
      (eb) => eb.fn.countAll<number>().as("entries"),
      sql<number>`sum(case when e.marked_flaky = 1 or (e.status = 'passed' and e.failed_attempts > 0)
        then 1 else 0 end)`.as("flaky"),
    ])
    .where("e.run_id", "=", runId)
    .$if(projectId !== undefined, (q) => q.where("e.project_id", "=", projectId as number))
    .groupBy(sql`coalesce(e.status, '')`)
    .orderBy("status")
    .execute();
  const run = await db
    .selectFrom("runs")
    .select(["results_count", "time_spent_ms"])
    .where("id", "=", runId)
    .$if(projectId !== undefined, (q) => q.where("project_id", "=", projectId as number))
    .executeTakeFirstOrThrow();
  const results = await db
    .selectFrom("results")
    .select([(eb) => eb.fn.countAll<number>().as("n"), (eb) => eb.fn.sum<number>("duration_ms").as("ms")])
    .where("run_id", "=", runId)
    .$if(projectId !== undefined, (q) => q.where("project_id", "=", projectId as number))
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  const num = (rows: { status: string; entries: unknown; flaky: unknown }[]) =>
    rows.map((r) => ({ status: r.status, entries: Number(r.entries), flaky: Number(r.flaky) }));
  return {
    kept: { statuses: num(kept), results: Number(run.results_count), ms: Number(run.time_spent_ms) },
    counted: { statuses: num(counted), results: Number(results.n), ms: Number(results.ms ?? 0) },
  };
}
