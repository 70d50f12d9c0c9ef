// Frozen in time: never edit after release; add a new migration instead.
// PostgreSQL only: every statement that changes a table announces it with NOTIFY on commit, so each
// server can keep its small reads and GET answers (db/read-cache.ts) until something changes, whoever
// wrote it: another API node, the CLI, or psql. Statement triggers, not row triggers: one notice per
// statement (and PostgreSQL folds a transaction's equal notices into one), not one per row.
// A table created by a later migration must get the trigger too (test/foundation/pg-change-cache.test.ts
// checks every table has it).
import { type Kysely, PostgresAdapter, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  // The payload names the schema, so servers on other schemas of the same database ignore it.
  await sql`create function verdict_notify_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify('verdict_changes', tg_table_schema);
      return null;
    end $$`.execute(db);
  for (const table of await tables(db))
    await sql`create trigger verdict_changes after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function verdict_notify_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of await tables(db))
    await sql`drop trigger if exists verdict_changes on ${sql.table(table)}`.execute(db);
  await sql`drop function verdict_notify_change()`.execute(db);
}

/** The schema's own tables, without Kysely's migration bookkeeping. */
async function tables(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE'
       and table_name not like 'kysely_migration%'
     order by table_name`.execute(db);
  return rows.map((r) => r.name);
}
