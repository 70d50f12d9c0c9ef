// Frozen in time: never edit after release; add a new migration instead.
import { type Kysely, PostgresAdapter, sql } from "kysely";

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const time = pg ? "bigint" : "integer";
  const id = (t: any) =>
    pg
      ? t.addColumn("id", "integer", (c: any) => c.primaryKey().generatedByDefaultAsIdentity())
      : t.addColumn("id", "integer", (c: any) => c.primaryKey().autoIncrement());

  await id(db.schema.createTable("users"))
    .addColumn("email", "text", (c: any) => c.notNull().unique())
    .addColumn("name", "text", (c: any) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("role", "text", (c: any) => c.notNull())
    .addColumn("is_active", "integer", (c: any) => c.notNull().defaultTo(1))
    .addColumn("created_at", time, (c: any) => c.notNull())
    .addColumn("updated_at", time, (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable("sessions"))
    .addColumn("user_id", "integer", (c: any) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("secret_hash", "text", (c: any) => c.notNull().unique())
    .addColumn("created_at", time, (c: any) => c.notNull())
    .addColumn("expires_at", time, (c: any) => c.notNull())
    .addColumn("last_seen_at", time, (c: any) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await id(db.schema.createTable("api_tokens"))
    .addColumn("user_id", "integer", (c: any) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (c: any) => c.notNull())
    .addColumn("secret_hash", "text", (c: any) => c.notNull().unique())
    .addColumn("preview", "text", (c: any) => c.notNull())
    .addColumn("scopes", "text", (c: any) => c.notNull())
    .addColumn("projects", "text")
    .addColumn("expires_at", time)
    .addColumn("lifetime_ms", time)
    .addColumn("created_at", time, (c: any) => c.notNull())
    .addColumn("rotated_at", time)
    .addColumn("last_used_at", time)
    .addColumn("last_used_ip", "text")
    .addColumn("revoked_at", time)
    .execute();
  await db.schema.createIndex("api_tokens_user").on("api_tokens").column("user_id").execute();

  await id(db.schema.createTable("projects"))
    .addColumn("code", "text", (c: any) => c.notNull().unique())
    .addColumn("title", "text", (c: any) => c.notNull())
    .addColumn("description", "text")
    .addColumn("access", "text", (c: any) => c.notNull().defaultTo("all"))
    .addColumn("settings", "text", (c: any) => c.notNull().defaultTo("{}"))
    .addColumn("created_by", "integer", (c: any) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", time, (c: any) => c.notNull())
    .addColumn("updated_at", time, (c: any) => c.notNull())
    .addColumn("deleted_at", time)
    .execute();

  await db.schema
    .createTable("project_members")
    .addColumn("project_id", "integer", (c: any) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c: any) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", time, (c: any) => c.notNull())
    .addPrimaryKeyConstraint("project_members_pk", ["project_id", "user_id"])
    .execute();
  await db.schema.createIndex("project_members_user").on("project_members").column("user_id").execute();

  await id(db.schema.createTable("audit_log"))
    .addColumn("at", time, (c: any) => c.notNull())
    .addColumn("actor_user_id", "integer")
    .addColumn("actor_token_id", "integer")
    .addColumn("action", "text", (c: any) => c.notNull())
    .addColumn("target_type", "text")
    .addColumn("target_id", "text")
    .addColumn("ip", "text")
    .addColumn("details", "text")
    .execute();
  await db.schema.createIndex("audit_log_at").on("audit_log").column("at").execute();

  await db.schema
    .createTable("settings")
    .addColumn("key", "text", (c: any) => c.primaryKey())
    .addColumn("value", "text", (c: any) => c.notNull())
    .addColumn("updated_at", time, (c: any) => c.notNull().defaultTo(sql`0`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    "settings",
    "audit_log",
    "project_members",
    "projects",
    "api_tokens",
    "sessions",
    "users",
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
