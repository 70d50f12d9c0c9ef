// Frozen in time: never edit after release; add a new migration instead.
// Attachments: content stored once on disk by SHA-256 (attachment_blobs), one record per upload.
import { type Kysely, PostgresAdapter } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const big = pg ? "bigint" : "integer";

  // One row per distinct content on disk; its size is what the workspace quota counts.
  await db.schema
    .createTable("attachment_blobs")
    .addColumn("sha256", "text", (c: any) => c.primaryKey())
    .addColumn("size", big, (c: any) => c.notNull())
    .addColumn("created_at", big, (c: any) => c.notNull())
    .execute();

  const withId = (t: any) =>
    pg
      ? t.addColumn("id", "integer", (c: any) => c.primaryKey().generatedByDefaultAsIdentity())
      : t.addColumn("id", "integer", (c: any) => c.primaryKey().autoIncrement());

  // One row per uploaded file: the public hash, the project it was uploaded to, what the client called it.
  await withId(db.schema.createTable("attachments"))
    .addColumn("hash", "text", (c: any) => c.notNull().unique())
    .addColumn("project_id", "integer", (c: any) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("sha256", "text", (c: any) => c.notNull())
    .addColumn("filename", "text", (c: any) => c.notNull())
    .addColumn("mime", "text", (c: any) => c.notNull())
    .addColumn("extension", "text", (c: any) => c.notNull())
    .addColumn("size", big, (c: any) => c.notNull())
    .addColumn("uploaded_by", "integer", (c: any) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", big, (c: any) => c.notNull())
    .addColumn("deleted_at", big)
    .execute();
  await db.schema.createIndex("attachments_sha256").on("attachments").column("sha256").execute();
  await db.schema
    .createIndex("attachments_project")
    .on("attachments")
    .columns(["project_id", "id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("attachments").execute();
  await db.schema.dropTable("attachment_blobs").execute();
}
