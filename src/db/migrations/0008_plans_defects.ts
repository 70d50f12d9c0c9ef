// Frozen in time: never edit after release; add a new migration instead.
// Test plans (a chosen set of cases with assignees) and defects with their links to runs and results.
import { type Kysely, PostgresAdapter } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const time = db.getExecutor().adapter instanceof PostgresAdapter ? "bigint" : "integer";
  const project = (c: any) => c.notNull().references("projects.id").onDelete("cascade");
  const stamps = (t: any) =>
    t
      .addColumn("created_at", time, (c: any) => c.notNull())
      .addColumn("updated_at", time, (c: any) => c.notNull())
      .addColumn("deleted_at", time);

  await stamps(
    db.schema
      .createTable("plans")
      .addColumn("project_id", "integer", project)
      .addColumn("id", "integer", (c: any) => c.notNull())
      .addColumn("title", "text", (c: any) => c.notNull())
      .addColumn("description", "text")
      .addColumn("author_id", "integer"),
  )
    .addPrimaryKeyConstraint("plans_pk", ["project_id", "id"])
    .execute();

  await db.schema
    .createTable("plan_cases")
    .addColumn("project_id", "integer", project)
    .addColumn("plan_id", "integer", (c: any) => c.notNull())
    .addColumn("case_id", "integer", (c: any) => c.notNull())
    .addColumn("assignee_id", "integer")
    .addPrimaryKeyConstraint("plan_cases_pk", ["project_id", "plan_id", "case_id"])
    .execute();

  await stamps(
    db.schema
      .createTable("defects")
      .addColumn("project_id", "integer", project)
      .addColumn("id", "integer", (c: any) => c.notNull())
      .addColumn("title", "text", (c: any) => c.notNull())
      .addColumn("actual_result", "text", (c: any) => c.notNull())
      .addColumn("severity", "integer", (c: any) => c.notNull().defaultTo(0))
      .addColumn("status", "text", (c: any) => c.notNull().defaultTo("open"))
      .addColumn("milestone_id", "integer")
      .addColumn("custom_fields", "text", (c: any) => c.notNull().defaultTo("{}"))
      .addColumn("attachments", "text", (c: any) => c.notNull().defaultTo("[]"))
      .addColumn("tags", "text", (c: any) => c.notNull().defaultTo("[]"))
      .addColumn("author_id", "integer")
      .addColumn("resolved_at", time),
  )
    .addPrimaryKeyConstraint("defects_pk", ["project_id", "id"])
    .execute();
  await db.schema
    .createIndex("defects_status")
    .on("defects")
    .columns(["project_id", "status", "id"])
    .execute();

  // A defect found in a run, optionally through one of its results (result_hash null: the run only).
  await db.schema
    .createTable("defect_links")
    .addColumn("project_id", "integer", project)
    .addColumn("defect_id", "integer", (c: any) => c.notNull())
    .addColumn("run_id", "integer", (c: any) => c.notNull())
    .addColumn("result_hash", "text")
    .execute();
  await db.schema
    .createIndex("defect_links_defect")
    .on("defect_links")
    .columns(["project_id", "defect_id"])
    .execute();
  await db.schema
    .createIndex("defect_links_run")
    .on("defect_links")
    .columns(["project_id", "run_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["defect_links", "defects", "plan_cases", "plans"]) await db.schema.dropTable(t).execute();
}
