// Frozen in time: never edit after release; add a new migration instead.
// Two changes:
// 1. Word search (GET /v1/search with plain words) reads full-text indexes instead of every case of the
//    projects: case titles, and results' messages and stack traces. Words are the runs of letters and
//    digits, matched by prefix, the same on both dialects:
//    - SQLite: FTS5 tables kept by triggers. cases_fts holds the titles keyed by project_id * 2^32 + id
//      (cases have no INTEGER PRIMARY KEY, so their rowid may change on VACUUM); results_fts indexes the
//      results table itself (external content, rowid = seq), only rows that have a message or a trace.
//    - PostgreSQL: GIN expression indexes over to_tsvector('simple', ...) of the text with everything but
//      letters and digits made spaces (the default parser reads "com.shop.Checkout" as one host name).
//      Text past 100,000 characters is not indexed: a tsvector holds at most 1 MB.
// 2. A run's start and end come from its results when they carry times: results_start / results_end are
//    the earliest start and latest end (start + duration, or end_time) of its results that carry a start
//    (ingestion stored the arrival time as the end of a result that gave none), kept by ingestion;
//    start_time follows results_start, and a completed run's end_time follows results_end.
import { type Kysely, PostgresAdapter, sql } from "kysely";

const CASE_KEY = 4294967296;

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await runSpan(db, pg);
  if (pg) await postgresText(db);
  else await sqliteText(db);
}

async function runSpan(db: Kysely<any>, pg: boolean) {
  const time = pg ? "bigint" : "integer";
  await db.schema.alterTable("runs").addColumn("results_start", time).execute();
  await db.schema.alterTable("runs").addColumn("results_end", time).execute();
  const of = (agg: string, expr: string) =>
    sql.raw(`(select ${agg}(${expr}) from results r
      where r.project_id = runs.project_id and r.run_id = runs.id and r.deleted_at is null)`);
  await sql`update runs set results_start = ${of("min", "r.start_time")},
      results_end = ${of("max", "case when r.start_time is not null then coalesce(r.start_time + r.duration_ms, r.end_time) end")}`.execute(
    db,
  );
  await sql`update runs set start_time = results_start where results_start is not null`.execute(db);
  await sql`update runs set end_time = results_end where results_end is not null and status <> 0`.execute(db);
}

async function sqliteText(db: Kysely<any>) {
  const tokenize = "tokenize = 'unicode61 remove_diacritics 0'";
  const key = (row: "new" | "old") => `${row}.project_id * ${CASE_KEY} + ${row}.id`;
  await sql.raw(`create virtual table cases_fts using fts5(title, ${tokenize})`).execute(db);
  await sql
    .raw(`insert into cases_fts (rowid, title) select project_id * ${CASE_KEY} + id, title from cases`)
    .execute(db);
  await sql
    .raw(`create trigger cases_fts_insert after insert on cases
    begin insert into cases_fts (rowid, title) values (${key("new")}, new.title); end`)
    .execute(db);
  await sql
    .raw(`create trigger cases_fts_update after update of title on cases when old.title is not new.title
    begin update cases_fts set title = new.title where rowid = ${key("old")}; end`)
    .execute(db);
  await sql
    .raw(`create trigger cases_fts_delete after delete on cases
    begin delete from cases_fts where rowid = ${key("old")}; end`)
    .execute(db);

  await sql
    .raw(`create virtual table results_fts using fts5(comment, stacktrace, content = 'results',
      content_rowid = 'seq', ${tokenize})`)
    .execute(db);
  // Most results (the passing ones) have no text: they are left out of the index.
  const has = (row: "new" | "old") => `(${row}.comment is not null or ${row}.stacktrace is not null)`;
  const put = `insert into results_fts (rowid, comment, stacktrace) values (new.seq, new.comment, new.stacktrace);`;
  const drop = `insert into results_fts (results_fts, rowid, comment, stacktrace)
    values ('delete', old.seq, old.comment, old.stacktrace);`;
  await sql
    .raw(`insert into results_fts (rowid, comment, stacktrace)
      select seq, comment, stacktrace from results where comment is not null or stacktrace is not null`)
    .execute(db);
  await sql
    .raw(`create trigger results_fts_insert after insert on results when ${has("new")} begin ${put} end`)
    .execute(db);
  await sql
    .raw(`create trigger results_fts_delete after delete on results when ${has("old")} begin ${drop} end`)
    .execute(db);
  await sql
    .raw(`create trigger results_fts_unindex after update of comment, stacktrace on results
      when ${has("old")} and (old.comment is not new.comment or old.stacktrace is not new.stacktrace)
      begin ${drop} end`)
    .execute(db);
  await sql
    .raw(`create trigger results_fts_index after update of comment, stacktrace on results
      when ${has("new")} and (old.comment is not new.comment or old.stacktrace is not new.stacktrace)
      begin ${put} end`)
    .execute(db);
}

/** The indexed expressions; src/features/search/words.repository.ts repeats them exactly for the planner. */
const PG_CASE_TEXT = `to_tsvector('simple', regexp_replace(title, '[^[:alnum:]]+', ' ', 'g'))`;
const PG_RESULT_TEXT = `to_tsvector('simple', regexp_replace(left(coalesce(comment, '') || ' ' || coalesce(stacktrace, ''), 100000), '[^[:alnum:]]+', ' ', 'g'))`;
const PG_RESULT_HAS_TEXT = "(comment is not null or stacktrace is not null)";

async function postgresText(db: Kysely<any>) {
  await sql.raw(`create index cases_title_words on cases using gin (${PG_CASE_TEXT})`).execute(db);
  await sql
    .raw(
      `create index results_text_words on results using gin (${PG_RESULT_TEXT}) where ${PG_RESULT_HAS_TEXT}`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  if (pg) {
    await sql`drop index cases_title_words`.execute(db);
    await sql`drop index results_text_words`.execute(db);
  } else {
    for (const t of ["cases_fts_insert", "cases_fts_update", "cases_fts_delete", "results_fts_insert"])
      await sql.raw(`drop trigger ${t}`).execute(db);
    for (const t of ["results_fts_delete", "results_fts_unindex", "results_fts_index"])
      await sql.raw(`drop trigger ${t}`).execute(db);
    await sql`drop table cases_fts`.execute(db);
    await sql`drop table results_fts`.execute(db);
  }
  await db.schema.alterTable("runs").dropColumn("results_start").execute();
  await db.schema.alterTable("runs").dropColumn("results_end").execute();
}
