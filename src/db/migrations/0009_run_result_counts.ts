// Frozen in time: never edit after release; add a new migration instead.
// Result lists count their total from a per-run counter instead of scanning every result of the
// project, and filter by run and status through one index in page order; case totals read an index.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("runs")
    .addColumn("results_count", "integer", (c: any) => c.notNull().defaultTo(0))
    .execute();
  await sql`update runs set results_count = (
    select count(*) from results
    where results.project_id = runs.project_id and results.run_id = runs.id and results.deleted_at is null
  )`.execute(db);
  await db.schema
    .createIndex("results_run_status")
    .on("results")
    .columns(["project_id", "run_id", "status", "seq"])
    .execute();
  // Counting a project's live cases reads this index alone instead of every case row.
  await db.schema.createIndex("cases_live").on("cases").columns(["project_id", "deleted_at"]).execute();
  // The repository's usual view: one suite's cases of some severity, in id order.
  await db.schema
    .createIndex("cases_suite_severity")
    .on("cases")
    .columns(["project_id", "suite_id", "severity", "id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("cases_suite_severity").execute();
  await db.schema.dropIndex("cases_live").execute();
  await db.schema.dropIndex("results_run_status").execute();
  await db.schema.alterTable("runs").dropColumn("results_count").execute();
}
