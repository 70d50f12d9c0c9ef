import { sql } from "kysely";
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

/** Turns jsonRow answers back into row objects, with one object shape compiled from the column names. */
export function rowsFromJson<T>(columns: readonly (keyof T & string)[]): (rows: { row: unknown }[]) => T[] {
  // The names are our own column names, JSON-quoted as property keys.
  const body = columns.map((c, i) => `${JSON.stringify(c)}: r[${i}]`).join(", ");
  const build = new Function("r", `return { ${body} };`) as (r: unknown[]) => T;
  return (rows) =>
    rows.map(({ row }) => build((typeof row === "string" ? JSON.parse(row) : row) as unknown[]));
}
