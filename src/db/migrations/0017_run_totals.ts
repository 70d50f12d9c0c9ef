// Frozen in time: never edit after release; add a new migration instead.
// A run's stats (entries per status, flaky ones) and time spent were aggregated from all its entries and
// results on every read: a page of 100 runs of 2,000 results each took ~220 ms on SQLite, and a run of
// 10,000 results ~20 ms to show. They are now kept as they change:
// - run_status_counts, by triggers on run_entries, so every writer (ingestion, result edits and deletes,
//   run creation, a hand-written UPDATE) keeps them exact, and concurrent batches into one run too;
// - runs.time_spent_ms, by the code that already keeps runs.results_count (ingestion, result edit and
//   delete), in the same statement.
// Status '' stands for an entry without a result yet (untested). An entry is flaky when it is marked so or
// passed after a failed attempt, the rule of runs.repository.ts flakyEntries.
import { type Kysely, PostgresAdapter, sql } from "kysely";

const FLAKY = (e: string) =>
  `(case when ${e}.marked_flaky = 1 or (${e}.status = 'passed' and ${e}.failed_attempts > 0) then 1 else 0 end)`;

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .alterTable("runs")
    .addColumn("time_spent_ms", pg ? "bigint" : "integer", (c: any) => c.notNull().defaultTo(0))
    .execute();
  await sql`update runs set time_spent_ms = coalesce((select sum(r.duration_ms) from results r
      where r.project_id = runs.project_id and r.run_id = runs.id and r.deleted_at is null), 0)`.execute(db);

  await db.schema
    .createTable("run_status_counts")
    .addColumn("project_id", "integer", (c: any) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("run_id", "integer", (c: any) => c.notNull())
    .addColumn("status", "text", (c: any) => c.notNull())
    .addColumn("entries", "integer", (c: any) => c.notNull())
    .addColumn("flaky", "integer", (c: any) => c.notNull())
    .addPrimaryKeyConstraint("run_status_counts_pk", ["project_id", "run_id", "status"])
    .execute();
  await sql`insert into run_status_counts (project_id, run_id, status, entries, flaky)
    select e.project_id, e.run_id, coalesce(e.status, ''), count(*), sum(${sql.raw(FLAKY("e"))})
      from run_entries e group by e.project_id, e.run_id, coalesce(e.status, '')`.execute(db);
  if (pg) await postgresTriggers(db);
  else await sqliteTriggers(db);
}

/** Row triggers (SQLite has no other kind): each entry written moves its status's count. */
async function sqliteTriggers(db: Kysely<any>) {
  const add = (e: "new" | "old", sign: 1 | -1) => `
    insert into run_status_counts (project_id, run_id, status, entries, flaky)
      values (${e}.project_id, ${e}.run_id, coalesce(${e}.status, ''), ${sign}, ${sign} * ${FLAKY(e)})
      on conflict (project_id, run_id, status) do update
        set entries = entries + excluded.entries, flaky = flaky + excluded.flaky;`;
  await sql
    .raw(`create trigger run_entries_counts_insert after insert on run_entries
    begin ${add("new", 1)} end`)
    .execute(db);
  // Most upserts of a retried test leave its status and flakiness as they were: nothing to move then.
  await sql
    .raw(`create trigger run_entries_counts_update after update on run_entries
    when old.status is not new.status or ${FLAKY("old")} <> ${FLAKY("new")}
      or old.run_id <> new.run_id or old.project_id <> new.project_id
    begin ${add("old", -1)} ${add("new", 1)} end`)
    .execute(db);
  await sql
    .raw(`create trigger run_entries_counts_delete after delete on run_entries
    begin ${add("old", -1)} end`)
    .execute(db);
}

/**
 * Statement triggers with transition tables: one upsert per statement, whatever its rows, instead of one
 * per entry (a batch upserts up to 2,000). Old and new rows are netted in one statement, in key order,
 * so that two batches into one run lock the counts in the same order and cannot deadlock.
 */
async function postgresTriggers(db: Kysely<any>) {
  const apply = (rows: string) => `
    insert into run_status_counts (project_id, run_id, status, entries, flaky)
      select project_id, run_id, status, sum(entries), sum(flaky) from (${rows}) d
       group by project_id, run_id, status order by project_id, run_id, status
      on conflict (project_id, run_id, status) do update
        set entries = run_status_counts.entries + excluded.entries,
            flaky = run_status_counts.flaky + excluded.flaky`;
  const rows = (table: string, sign: 1 | -1) =>
    `select ${table}.project_id, ${table}.run_id, coalesce(${table}.status, '') as status,
       ${sign} as entries, ${sign} * ${FLAKY(table)} as flaky from ${table}`;
  const fn = async (name: string, body: string) =>
    sql
      .raw(`create function ${name}() returns trigger language plpgsql as $$
      begin ${body}; return null; end $$`)
      .execute(db);
  await fn("verdict_run_counts_insert", apply(rows("new_rows", 1)));
  await fn("verdict_run_counts_update", apply(`${rows("old_rows", -1)} union all ${rows("new_rows", 1)}`));
  await fn("verdict_run_counts_delete", apply(rows("old_rows", -1)));
  await sql`create trigger run_entries_counts_insert after insert on run_entries
    referencing new table as new_rows for each statement execute function verdict_run_counts_insert()`.execute(
    db,
  );
  await sql`create trigger run_entries_counts_update after update on run_entries
    referencing old table as old_rows new table as new_rows
    for each statement execute function verdict_run_counts_update()`.execute(db);
  await sql`create trigger run_entries_counts_delete after delete on run_entries
    referencing old table as old_rows for each statement execute function verdict_run_counts_delete()`.execute(
    db,
  );
  // Every table tells other nodes of its changes (0015).
  await sql`create trigger verdict_changes after insert or update or delete or truncate on run_status_counts
    for each statement execute function verdict_notify_change()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const t of ["insert", "update", "delete"]) {
    const trigger = `run_entries_counts_${t}`;
    await sql.raw(pg ? `drop trigger ${trigger} on run_entries` : `drop trigger ${trigger}`).execute(db);
    if (pg) await sql.raw(`drop function verdict_run_counts_${t}()`).execute(db);
  }
  await db.schema.dropTable("run_status_counts").execute();
  await db.schema.alterTable("runs").dropColumn("time_spent_ms").execute();
}
