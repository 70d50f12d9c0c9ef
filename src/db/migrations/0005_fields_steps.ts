// Frozen in time: never edit after release; add a new migration instead.
// Workspace custom fields (with the projects they are enabled for), shared steps per project, workspace
// shared parameters; uniqueness guards for environments (live slug) and configurations (title).
import { type Kysely, PostgresAdapter, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  const project = (c: any) => c.notNull().references("projects.id").onDelete("cascade");
  const stamps = (t: any) =>
    t
      .addColumn("created_at", time, (c: any) => c.notNull())
      .addColumn("updated_at", time, (c: any) => c.notNull())
      .addColumn("deleted_at", time);

  await stamps(
    db.schema
      .createTable("custom_fields")
      .addColumn("id", "integer", (c: any) =>
        pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
      )
      .addColumn("title", "text", (c: any) => c.notNull())
      .addColumn("entity", "integer", (c: any) => c.notNull())
      .addColumn("type", "integer", (c: any) => c.notNull())
      .addColumn("options", "text", (c: any) => c.notNull().defaultTo("[]"))
      .addColumn("placeholder", "text")
      .addColumn("default_value", "text")
      .addColumn("is_required", "integer", (c: any) => c.notNull().defaultTo(0))
      .addColumn("is_visible", "integer", (c: any) => c.notNull().defaultTo(1))
      .addColumn("is_filterable", "integer", (c: any) => c.notNull().defaultTo(0))
      .addColumn("is_enabled_for_all_projects", "integer", (c: any) => c.notNull().defaultTo(0)),
  ).execute();

  await db.schema
    .createTable("custom_field_projects")
    .addColumn("field_id", "integer", (c: any) =>
      c.notNull().references("custom_fields.id").onDelete("cascade"),
    )
    .addColumn("project_id", "integer", project)
    .addPrimaryKeyConstraint("custom_field_projects_pk", ["field_id", "project_id"])
    .execute();
  await db.schema
    .createIndex("custom_field_projects_project")
    .on("custom_field_projects")
    .column("project_id")
    .execute();

  await stamps(
    db.schema
      .createTable("shared_steps")
      .addColumn("project_id", "integer", project)
      .addColumn("hash", "text", (c: any) => c.notNull())
      .addColumn("title", "text", (c: any) => c.notNull())
      .addColumn("steps", "text", (c: any) => c.notNull().defaultTo("[]")),
  )
    .addPrimaryKeyConstraint("shared_steps_pk", ["project_id", "hash"])
    .execute();

  await stamps(
    db.schema
      .createTable("shared_parameters")
      .addColumn("id", "text", (c: any) => c.primaryKey())
      .addColumn("title", "text", (c: any) => c.notNull())
      .addColumn("type", "text", (c: any) => c.notNull())
      .addColumn("parameters", "text", (c: any) => c.notNull())
      .addColumn("is_enabled_for_all_projects", "integer", (c: any) => c.notNull().defaultTo(0)),
  ).execute();

  await db.schema
    .createTable("shared_parameter_projects")
    .addColumn("parameter_id", "text", (c: any) =>
      c.notNull().references("shared_parameters.id").onDelete("cascade"),
    )
    .addColumn("project_id", "integer", project)
    .addPrimaryKeyConstraint("shared_parameter_projects_pk", ["parameter_id", "project_id"])
    .execute();
  await db.schema
    .createIndex("shared_parameter_projects_project")
    .on("shared_parameter_projects")
    .column("project_id")
    .execute();

  // Concurrent writers (two CI shards) must not end up with two live environments of one slug or two
  // configurations of one title: the database refuses the second, the service answers with the first.
  await db.schema
    .createIndex("environments_live_slug")
    .unique()
    .on("environments")
    .columns(["project_id", "slug"])
    .where(sql.ref("deleted_at"), "is", null)
    .execute();
  await db.schema
    .createIndex("configuration_groups_title")
    .unique()
    .on("configuration_groups")
    .columns(["project_id", "title"])
    .execute();
  await db.schema
    .createIndex("configurations_title")
    .unique()
    .on("configurations")
    .columns(["group_id", "title"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const i of ["configurations_title", "configuration_groups_title", "environments_live_slug"]) {
    await db.schema.dropIndex(i).execute();
  }
  for (const t of [
    "shared_parameter_projects",
    "shared_parameters",
    "shared_steps",
    "custom_field_projects",
    "custom_fields",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
