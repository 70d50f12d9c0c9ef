// Frozen in time: never edit after release; add a new migration instead.
// Re-creating a deleted project's code purges the old project row, and the cascade deletes its run
// entries. The delete trigger of 0017 then wrote count rows for the project being removed, which failed
// its foreign key (500). Entries of a project that no longer exists now move no count: there is none
// left to keep.
import { type Kysely, PostgresAdapter, sql } from "kysely";

const FLAKY = (e: string) =>
  `(case when ${e}.marked_flaky = 1 or (${e}.status = 'passed' and ${e}.failed_attempts > 0) then 1 else 0 end)`;

const LIVE_PROJECT = (e: string) => `exists (select 1 from projects p where p.id = ${e}.project_id)`;

async function sqliteDelete(db: Kysely<any>, guarded: boolean) {
  await sql.raw("drop trigger run_entries_counts_delete").execute(db);
  await sql
    .raw(`create trigger run_entries_counts_delete after delete on run_entries
    ${guarded ? `when ${LIVE_PROJECT("old")}` : ""}
    begin
      insert into run_status_counts (project_id, run_id, status, entries, flaky)
        values (old.project_id, old.run_id, coalesce(old.status, ''), -1, -1 * ${FLAKY("old")})
        on conflict (project_id, run_id, status) do update
          set entries = entries + excluded.entries, flaky = flaky + excluded.flaky;
    end`)
    .execute(db);
}

async function postgresDelete(db: Kysely<any>, guarded: boolean) {
  await sql
    .raw(`create or replace function verdict_run_counts_delete() returns trigger language plpgsql as $$
    begin
      insert into run_status_counts (project_id, run_id, status, entries, flaky)
        select project_id, run_id, status, sum(entries), sum(flaky) from (
          select old_rows.project_id, old_rows.run_id, coalesce(old_rows.status, '') as status,
                 -1 as entries, -1 * ${FLAKY("old_rows")} as flaky
            from old_rows ${guarded ? `where ${LIVE_PROJECT("old_rows")}` : ""}) d
         group by project_id, run_id, status order by project_id, run_id, status
        on conflict (project_id, run_id, status) do update
          set entries = run_status_counts.entries + excluded.entries,
              flaky = run_status_counts.flaky + excluded.flaky;
      return null;
    end $$`)
    .execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await postgresDelete(db, true);
  else await sqliteDelete(db, true);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await postgresDelete(db, false);
  else await sqliteDelete(db, false);
}
