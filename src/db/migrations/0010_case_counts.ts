// Frozen in time: never edit after release; add a new migration instead.
// A project's live-case count kept on the project by triggers (every path that creates, deletes or
// restores a case moves it, whatever code runs the statement), so case lists and the project read model
// stop counting every case; an index for matching automated results to cases by title, and without
// the (project_id, deleted_at) index that only that count needed; live results indexed by run and status.
import { type Kysely, PostgresAdapter, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .alterTable("projects")
    .addColumn("cases_count", "integer", (c: any) => c.notNull().defaultTo(0))
    .execute();
  await sql`update projects set cases_count = (
    select count(*) from cases where cases.project_id = projects.id and cases.deleted_at is null
  )`.execute(db);
  if (pg) {
    await sql`create function verdict_cases_count() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          if new.deleted_at is null then
            update projects set cases_count = cases_count + 1 where id = new.project_id;
          end if;
        elsif tg_op = 'DELETE' then
          if old.deleted_at is null then
            update projects set cases_count = cases_count - 1 where id = old.project_id;
          end if;
        elsif (old.deleted_at is null) <> (new.deleted_at is null) then
          update projects set cases_count = cases_count + (case when new.deleted_at is null then 1 else -1 end)
            where id = new.project_id;
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger cases_count after insert or delete or update of deleted_at on cases
      for each row execute function verdict_cases_count()`.execute(db);
  } else {
    await sql`create trigger cases_count_insert after insert on cases when new.deleted_at is null
      begin update projects set cases_count = cases_count + 1 where id = new.project_id; end`.execute(db);
    await sql`create trigger cases_count_delete after delete on cases when old.deleted_at is null
      begin update projects set cases_count = cases_count - 1 where id = old.project_id; end`.execute(db);
    await sql`create trigger cases_count_update after update of deleted_at on cases
      when (old.deleted_at is null) <> (new.deleted_at is null)
      begin
        update projects set cases_count = cases_count + (case when new.deleted_at is null then 1 else -1 end)
          where id = new.project_id;
      end`.execute(db);
  }
  await db.schema.createIndex("cases_title").on("cases").columns(["project_id", "title"]).execute();
  // Only the live-case count read it (0009); it made SQLite pick it over the signature index.
  await db.schema.dropIndex("cases_live").execute();
  // Result lists by run and status read live results only: with deleted_at out of the index, counting
  // a filtered list never reads a row. Replaces 0009's index on the same columns.
  await db.schema
    .createIndex("results_run_status_live")
    .on("results")
    .columns(["project_id", "run_id", "status", "seq"])
    .where(sql.ref("deleted_at"), "is", null)
    .execute();
  await db.schema.dropIndex("results_run_status").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createIndex("results_run_status")
    .on("results")
    .columns(["project_id", "run_id", "status", "seq"])
    .execute();
  await db.schema.dropIndex("results_run_status_live").execute();
  await db.schema.createIndex("cases_live").on("cases").columns(["project_id", "deleted_at"]).execute();
  await db.schema.dropIndex("cases_title").execute();
  if (pg) {
    await sql`drop trigger cases_count on cases`.execute(db);
    await sql`drop function verdict_cases_count()`.execute(db);
  } else {
    for (const t of ["cases_count_insert", "cases_count_delete", "cases_count_update"])
      await sql.raw(`drop trigger ${t}`).execute(db);
  }
  await db.schema.alterTable("projects").dropColumn("cases_count").execute();
}
