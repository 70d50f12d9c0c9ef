// Frozen in time: never edit after release; add a new migration instead.
// Workspace tags: cases (and later runs, defects) read tags as [{title, internal_id}], so each distinct
// title gets one id.
import { type Kysely, PostgresAdapter } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const time = pg ? "bigint" : "integer";
  await db.schema
    .createTable("tags")
    .addColumn("id", "integer", (c: any) =>
      pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn("title", "text", (c: any) => c.notNull().unique())
    .addColumn("created_at", time, (c: any) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("tags").execute();
}
