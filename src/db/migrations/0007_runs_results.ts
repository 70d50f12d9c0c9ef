// Frozen in time: never edit after release; add a new migration instead.
// Test runs, their entries (one current status per case and parameter set) and every result received.
import { type Kysely, PostgresAdapter } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  const project = (c: any) => c.notNull().references("projects.id").onDelete("cascade");

  await db.schema
    .createTable("runs")
    .addColumn("project_id", "integer", project)
    .addColumn("id", "integer", (c: any) => c.notNull())
    .addColumn("title", "text", (c: any) => c.notNull())
    .addColumn("description", "text")
    // 0 in progress, 1 completed, 2 aborted (Qase reads status == 1 as "completed").
    .addColumn("status", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("is_autotest", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("environment_id", "integer")
    .addColumn("milestone_id", "integer")
    .addColumn("plan_id", "integer")
    .addColumn("author_id", "integer")
    .addColumn("tags", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("configurations", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("custom_fields", "text", (c: any) => c.notNull().defaultTo("{}"))
    // CI build that owns the run: shards of one build report into one run.
    .addColumn("build_id", "text")
    // Reporter that created the run (X-Client: reporter name and version).
    .addColumn("client", "text")
    .addColumn("public_hash", "text")
    .addColumn("external_issue", "text")
    .addColumn("start_time", time)
    .addColumn("end_time", time)
    .addColumn("created_at", time, (c: any) => c.notNull())
    .addColumn("updated_at", time, (c: any) => c.notNull())
    .addColumn("deleted_at", time)
    .addPrimaryKeyConstraint("runs_pk", ["project_id", "id"])
    .execute();
  await db.schema.createIndex("runs_build").on("runs").columns(["project_id", "build_id"]).unique().execute();
  await db.schema.createIndex("runs_public").on("runs").column("public_hash").unique().execute();
  await db.schema.createIndex("runs_start").on("runs").columns(["project_id", "start_time"]).execute();

  // One line of a run: a case (at the version the run pinned) and parameter set, or an unlinked test.
  await db.schema
    .createTable("run_entries")
    .addColumn("project_id", "integer", project)
    .addColumn("run_id", "integer", (c: any) => c.notNull())
    .addColumn("entry_key", "text", (c: any) => c.notNull())
    .addColumn("case_id", "integer")
    .addColumn("case_version", "integer")
    .addColumn("title", "text")
    .addColumn("params", "text")
    .addColumn("status", "text")
    .addColumn("last_result_hash", "text")
    .addColumn("attempts", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("failed_attempts", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("marked_flaky", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("muted", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("updated_at", time, (c: any) => c.notNull())
    .addPrimaryKeyConstraint("run_entries_pk", ["project_id", "run_id", "entry_key"])
    .execute();
  await db.schema
    .createIndex("run_entries_case")
    .on("run_entries")
    .columns(["project_id", "case_id"])
    .execute();

  const results = db.schema.createTable("results");
  await (pg
    ? results.addColumn("seq", "bigint", (c: any) => c.primaryKey().generatedByDefaultAsIdentity())
    : results.addColumn("seq", "integer", (c: any) => c.primaryKey().autoIncrement())
  )
    .addColumn("hash", "text", (c: any) => c.notNull().unique())
    .addColumn("project_id", "integer", project)
    .addColumn("run_id", "integer", (c: any) => c.notNull())
    .addColumn("entry_key", "text", (c: any) => c.notNull())
    .addColumn("case_id", "integer")
    // The client's id (v2 `id`): one result per key and run, whatever the client retries.
    .addColumn("idem_key", "text")
    .addColumn("status", "text", (c: any) => c.notNull())
    .addColumn("title", "text")
    .addColumn("signature", "text")
    .addColumn("comment", "text")
    .addColumn("stacktrace", "text")
    .addColumn("error_context", "text")
    .addColumn("start_time", time)
    .addColumn("end_time", time)
    .addColumn("duration_ms", time)
    .addColumn("thread", "text")
    .addColumn("steps_type", "text")
    .addColumn("steps", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("attachments", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("params", "text", (c: any) => c.notNull().defaultTo("{}"))
    .addColumn("param_groups", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("fields", "text", (c: any) => c.notNull().defaultTo("{}"))
    .addColumn("suite_path", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("is_api", "integer", (c: any) => c.notNull().defaultTo(1))
    .addColumn("attempt", "integer", (c: any) => c.notNull().defaultTo(1))
    .addColumn("is_flaky", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("muted", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("author_id", "integer")
    .addColumn("created_at", time, (c: any) => c.notNull())
    .addColumn("updated_at", time, (c: any) => c.notNull())
    .addColumn("deleted_at", time)
    .execute();
  await db.schema
    .createIndex("results_idem")
    .on("results")
    .columns(["project_id", "run_id", "idem_key"])
    .unique()
    .execute();
  await db.schema.createIndex("results_run").on("results").columns(["project_id", "run_id", "seq"]).execute();
  await db.schema
    .createIndex("results_case")
    .on("results")
    .columns(["project_id", "case_id", "seq"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["results", "run_entries", "runs"]) await db.schema.dropTable(t).execute();
}
