import { type OperationNodeSource, sql } from "kysely";
import type { Db } from "./database.js";
import { onPostgres } from "./pg-bulk.js";

/**
 * Wide rows read as one JSON array each, for list pages. Both drivers hand every column value to V8 on
 * its own: better-sqlite3 through one native call per value (~0.1 µs), pg through its text parser. A
 * page of 100 cases is 3,000 values, ~0.33 ms on SQLite; the database writing each row as one JSON
 * text and one JSON.parse reading it back took ~0.19 ms for the same page. Only for columns holding
 * integers, text and NULL, which JSON carries unchanged (our tables have no REAL or BLOB columns).
 */
export function jsonRow(db: Db, columns: readonly string[], table?: string) {
  const refs = sql.join(columns.map((c) => sql.ref(table === undefined ? c : `${table}.${c}`)));
  // SQLite's json_array is text; PostgreSQL's json comes back parsed by pg's json type parser.
  const row = onPostgres(db) ? sql<unknown>`json_build_array(${refs})` : sql<unknown>`json_array(${refs})`;
  return row.as("row");
}

/** A row object from a jsonRow array, with one object shape compiled from the column names. */
export function rowOfArray<T>(columns: readonly (keyof T & string)[]): (r: unknown[]) => T {
  // The names are our own column names, JSON-quoted as property keys.
  const body = columns.map((c, i) => `${JSON.stringify(c)}: r[${i}]`).join(", ");
  return new Function("r", `return { ${body} };`) as (r: unknown[]) => T;
}

/** Turns jsonRow answers back into row objects. */
export function rowsFromJson<T>(columns: readonly (keyof T & string)[]): (rows: { row: unknown }[]) => T[] {
  const build = rowOfArray<T>(columns);
  return (rows) =>
    rows.map(({ row }) => build((typeof row === "string" ? JSON.parse(row) : row) as unknown[]));
}

/**
 * A page that is not full ends the list, so its matches are the offset plus its rows: counting them
 * again would read every match (a search that finds nothing read the project's cases twice). Unknown
 * only when the page is full, or empty past the start (the list may end anywhere before it).
 */
export function countFromPage(rows: number, limit: number, offset: number): number | null {
  return rows < limit && (offset === 0 || rows > 0) ? offset + rows : null;
}

export interface PgPage {
  /** Selects `columns` and `k`, the key the page is ordered by, so that the aggregate keeps its order. */
  query: OperationNodeSource;
  columns: readonly string[];
  order: "asc" | "desc";
  limit: number;
  offset: number;
}

/**
 * PostgreSQL: a page of rows, each as one JSON array of its columns, the list's scalars (such as its
 * total) and, when `count` is given, the filter's count, in one statement. Each statement costs Node
 * ~0.25 ms of protocol work (writing it, reading the answer) whatever it holds, and a list page took three
 * or four. The arrays are built over the page's rows only, after its limit: built in the page's own
 * select list, PostgreSQL built one for every matching row before a top-N sort (a search matching 100k
 * cases: ~380 ms instead of ~90). The count runs only when the page cannot tell it (countFromPage):
 * PostgreSQL evaluates a CASE branch's subquery only when the branch is taken.
 */
export async function pageOnPostgres(
  db: Db,
  page: PgPage,
  scalars: Record<string, OperationNodeSource>,
  count?: OperationNodeSource,
): Promise<{ rows: unknown[][]; scalars: Record<string, unknown>; count: number | null }> {
  const values = Object.entries(scalars).map(([name, q]) => sql`(${q}) as ${sql.ref(name)}`);
  const row = sql`json_build_array(${sql.join(page.columns.map((c) => sql.ref(`p.${c}`)))})`;
  values.push(sql`agg.page`);
  if (count) {
    const known =
      page.offset === 0 ? sql`agg.on_page < ${page.limit}` : sql`agg.on_page between 1 and ${page.limit - 1}`;
    values.push(sql`case when ${known} then ${page.offset} + agg.on_page else (${count}) end as n`);
  }
  // A plain SELECT, not WITH: the change feed (pg-changes.ts) takes any other statement for a write.
  const { rows } = await sql<Record<string, unknown> & { page: unknown[][] | null; n?: string | number }>`
    select ${sql.join(values)} from (
      select json_agg(${row} order by p.k ${sql.raw(page.order)}) as page, count(*) as on_page
      from (${page.query}) p) agg`.execute(db);
  const { page: found, n, ...rest } = rows[0] ?? { page: null };
  return { rows: found ?? [], scalars: rest, count: n === undefined || n === null ? null : Number(n) };
}
