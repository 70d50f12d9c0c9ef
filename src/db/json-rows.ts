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
 * PostgreSQL: a page of rows, each as one JSON array of `columns`, and the list's scalars (its counts) in
 * one statement. Each statement costs Node ~0.25 ms of protocol work (writing it, reading the answer)
 * whatever it holds, and a list page took three or four. `page` selects the columns and `k`, the key it
 * is ordered by, so that the aggregate keeps its order. The arrays are built over the page's rows only,
 * after its limit: built in the page's own select list, PostgreSQL built one for every matching row
 * before a top-N sort (a search matching 100k cases: ~380 ms instead of ~90).
 */
export async function pageOnPostgres(
  db: Db,
  page: OperationNodeSource,
  columns: readonly string[],
  order: "asc" | "desc",
  scalars: Record<string, OperationNodeSource>,
): Promise<{ rows: unknown[][]; scalars: Record<string, unknown> }> {
  const values = Object.entries(scalars).map(([name, q]) => sql`(${q}) as ${sql.ref(name)}`);
  const row = sql`json_build_array(${sql.join(columns.map((c) => sql.ref(`p.${c}`)))})`;
  const agg = sql`(select json_agg(${row} order by p.k ${sql.raw(order)}) from (${page}) p) as page`;
  const { rows } = await sql<Record<string, unknown> & { page: unknown[][] | null }>`
    select ${sql.join([...values, agg])}`.execute(db);
  const { page: found, ...rest } = rows[0] ?? { page: null };
  return { rows: found ?? [], scalars: rest };
}
