import { type RawBuilder, sql } from "kysely";
import type { Db, Dialect } from "../../db/database.js";
import type { CaseRow } from "../cases/cases.present.js";
import type { ResultRow } from "../results/results.repository.js";
import type { SearchPage } from "./search.repository.js";

/**
 * Word search over the full-text indexes of migration 0018: every word must begin a word of the text.
 * The PostgreSQL expressions repeat the indexed ones exactly, or the planner cannot use the indexes.
 */
const CASE_KEY = 4294967296;
const PG_CASE_TEXT = sql.raw(`to_tsvector('simple', regexp_replace(e.title, '[^[:alnum:]]+', ' ', 'g'))`);
const PG_RESULT_TEXT = sql.raw(
  `to_tsvector('simple', regexp_replace(left(coalesce(e.comment, '') || ' ' || coalesce(e.stacktrace, ''), 100000), '[^[:alnum:]]+', ' ', 'g'))`,
);
const PG_RESULT_HAS_TEXT = sql.raw("(e.comment is not null or e.stacktrace is not null)");

/** The FTS5 query (SQLite) or tsquery text (PostgreSQL); words are letters and digits only, so safe. */
function query(words: string[], dialect: Dialect): string {
  return dialect === "postgres"
    ? words.map((w) => `${w}:*`).join(" & ")
    : words.map((w) => `"${w}"*`).join(" AND ");
}

function inProjects(ids: number[]): RawBuilder<unknown> {
  return sql`e.project_id in (${sql.join(ids.length > 0 ? ids : [-1])})`;
}

async function count(db: Db, from: RawBuilder<unknown>): Promise<number> {
  const r = await sql<{ n: string | number }>`select count(*) as n from ${from}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** The FROM and WHERE of live cases whose title has the words. */
function casesFrom(dialect: Dialect, words: string[], ids: number[]) {
  const q = query(words, dialect);
  return dialect === "postgres"
    ? sql`cases e where ${inProjects(ids)} and e.deleted_at is null
        and ${PG_CASE_TEXT} @@ to_tsquery('simple', ${q})`
    : sql`(select rowid as k from cases_fts where cases_fts match ${q}) f
        join cases e on e.project_id = f.k / ${sql.raw(String(CASE_KEY))} and e.id = f.k % ${sql.raw(String(CASE_KEY))}
        where ${inProjects(ids)} and e.deleted_at is null`;
}

/** Live results of live runs whose message or stack trace has the words. */
function resultsFrom(dialect: Dialect, words: string[], ids: number[]) {
  const q = query(words, dialect);
  const text =
    dialect === "postgres"
      ? sql`${PG_RESULT_HAS_TEXT} and ${PG_RESULT_TEXT} @@ to_tsquery('simple', ${q})`
      : sql`e.seq in (select rowid from results_fts where results_fts match ${q})`;
  return sql`results e join runs run on run.project_id = e.project_id and run.id = e.run_id
    where ${inProjects(ids)} and e.deleted_at is null and run.deleted_at is null and ${text}`;
}

// Orders by expressions (+ 0), not columns: otherwise PostgreSQL may read the project in key order,
// computing every title's words, in the hope of filling the page early (3.4 s over 200k cases for one rare word).
export async function wordCases(db: Db, dialect: Dialect, words: string[], ids: number[], page: SearchPage) {
  const from = casesFrom(dialect, words, ids);
  const rows = await sql<CaseRow>`select e.* from ${from} order by e.project_id + 0, e.id + 0
    limit ${page.limit} offset ${page.offset}`.execute(db);
  return { rows: rows.rows, total: await count(db, from) };
}

/** Newest first: what failed last is what one looks for. */
export async function wordResults(
  db: Db,
  dialect: Dialect,
  words: string[],
  ids: number[],
  page: SearchPage,
) {
  const from = resultsFrom(dialect, words, ids);
  const rows =
    page.limit === 0
      ? { rows: [] as ResultRow[] }
      : await sql<ResultRow>`select e.* from ${from} order by e.seq + 0 desc
          limit ${page.limit} offset ${page.offset}`.execute(db);
  return { rows: rows.rows, total: await count(db, from) };
}
