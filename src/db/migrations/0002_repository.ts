// Frozen in time: never edit after release; add a new migration instead.
// Per-project numbering (CODE-1, CODE-2...) and the test repository: suites, cases, case versions.
import { type Kysely, PostgresAdapter } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const time = db.getExecutor().adapter instanceof PostgresAdapter ? "bigint" : "integer";
  const project = (c: any) => c.notNull().references("projects.id").onDelete("cascade");

  await db.schema
    .createTable("project_sequences")
    .addColumn("project_id", "integer", project)
    .addColumn("entity", "text", (c: any) => c.notNull())
    .addColumn("last_id", "integer", (c: any) => c.notNull())
    .addPrimaryKeyConstraint("project_sequences_pk", ["project_id", "entity"])
    .execute();

  await db.schema
    .createTable("suites")
    .addColumn("project_id", "integer", project)
    .addColumn("id", "integer", (c: any) => c.notNull())
    .addColumn("parent_id", "integer")
    .addColumn("title", "text", (c: any) => c.notNull())
    .addColumn("description", "text")
    .addColumn("preconditions", "text")
    .addColumn("position", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("created_at", time, (c: any) => c.notNull())
    .addColumn("updated_at", time, (c: any) => c.notNull())
    .addColumn("deleted_at", time)
    .addPrimaryKeyConstraint("suites_pk", ["project_id", "id"])
    .execute();
  await db.schema.createIndex("suites_parent").on("suites").columns(["project_id", "parent_id"]).execute();

  await db.schema
    .createTable("cases")
    .addColumn("project_id", "integer", project)
    .addColumn("id", "integer", (c: any) => c.notNull())
    .addColumn("suite_id", "integer")
    .addColumn("title", "text", (c: any) => c.notNull())
    .addColumn("description", "text")
    .addColumn("preconditions", "text")
    .addColumn("postconditions", "text")
    .addColumn("severity", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("priority", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("type", "integer", (c: any) => c.notNull().defaultTo(1))
    .addColumn("layer", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("behavior", "integer", (c: any) => c.notNull().defaultTo(1))
    .addColumn("automation", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("status", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("is_flaky", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("milestone_id", "integer")
    .addColumn("steps_type", "text")
    .addColumn("steps", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("parameters", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("tags", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("custom_fields", "text", (c: any) => c.notNull().defaultTo("{}"))
    .addColumn("attachments", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("external_issues", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("signature", "text")
    .addColumn("position", "integer", (c: any) => c.notNull().defaultTo(0))
    .addColumn("author_id", "integer")
    .addColumn("version", "integer", (c: any) => c.notNull().defaultTo(1))
    .addColumn("created_at", time, (c: any) => c.notNull())
    .addColumn("updated_at", time, (c: any) => c.notNull())
    .addColumn("deleted_at", time)
    .addPrimaryKeyConstraint("cases_pk", ["project_id", "id"])
    .execute();
  await db.schema.createIndex("cases_suite").on("cases").columns(["project_id", "suite_id", "id"]).execute();
  await db.schema
    .createIndex("cases_severity")
    .on("cases")
    .columns(["project_id", "severity", "id"])
    .execute();
  await db.schema
    .createIndex("cases_milestone")
    .on("cases")
    .columns(["project_id", "milestone_id"])
    .execute();
  await db.schema.createIndex("cases_signature").on("cases").columns(["project_id", "signature"]).execute();

  await db.schema
    .createTable("case_versions")
    .addColumn("project_id", "integer", project)
    .addColumn("case_id", "integer", (c: any) => c.notNull())
    .addColumn("version", "integer", (c: any) => c.notNull())
    .addColumn("snapshot", "text", (c: any) => c.notNull())
    .addColumn("changes", "text", (c: any) => c.notNull().defaultTo("[]"))
    .addColumn("changed_by", "integer")
    .addColumn("changed_at", time, (c: any) => c.notNull())
    .addPrimaryKeyConstraint("case_versions_pk", ["project_id", "case_id", "version"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["case_versions", "cases", "suites", "project_sequences"])
    await db.schema.dropTable(t).execute();
}
