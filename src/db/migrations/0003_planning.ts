// Frozen in time: never edit after release; add a new migration instead.
// What runs are planned against: milestones, environments, configurations and their groups.
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
      .createTable("milestones")
      .addColumn("project_id", "integer", project)
      .addColumn("id", "integer", (c: any) => c.notNull())
      .addColumn("title", "text", (c: any) => c.notNull())
      .addColumn("description", "text")
      .addColumn("status", "text", (c: any) => c.notNull().defaultTo("active"))
      .addColumn("due_date", time),
  )
    .addPrimaryKeyConstraint("milestones_pk", ["project_id", "id"])
    .execute();

  await stamps(
    db.schema
      .createTable("environments")
      .addColumn("project_id", "integer", project)
      .addColumn("id", "integer", (c: any) => c.notNull())
      .addColumn("title", "text", (c: any) => c.notNull())
      .addColumn("slug", "text", (c: any) => c.notNull())
      .addColumn("description", "text")
      .addColumn("host", "text"),
  )
    .addPrimaryKeyConstraint("environments_pk", ["project_id", "id"])
    .execute();
  await db.schema
    .createIndex("environments_slug")
    .on("environments")
    .columns(["project_id", "slug"])
    .execute();

  // Configuration ids are workspace-wide in Qase's model, so they use the identity/autoincrement key.
  const idCol = (t: any) =>
    db.getExecutor().adapter instanceof PostgresAdapter
      ? t.addColumn("id", "integer", (c: any) => c.primaryKey().generatedByDefaultAsIdentity())
      : t.addColumn("id", "integer", (c: any) => c.primaryKey().autoIncrement());

  await idCol(db.schema.createTable("configuration_groups"))
    .addColumn("project_id", "integer", project)
    .addColumn("title", "text", (c: any) => c.notNull())
    .addColumn("created_at", time, (c: any) => c.notNull())
    .execute();
  await db.schema
    .createIndex("configuration_groups_project")
    .on("configuration_groups")
    .column("project_id")
    .execute();

  await idCol(db.schema.createTable("configurations"))
    .addColumn("group_id", "integer", (c: any) =>
      c.notNull().references("configuration_groups.id").onDelete("cascade"),
    )
    .addColumn("project_id", "integer", project)
    .addColumn("title", "text", (c: any) => c.notNull())
    .addColumn("created_at", time, (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex("configurations_group").on("configurations").column("group_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["configurations", "configuration_groups", "environments", "milestones"]) {
    await db.schema.dropTable(t).execute();
  }
}
