import { PostgresAdapter, type RawBuilder, sql } from "kysely";
import type { Db } from "./database.js";
import { withoutNul } from "./pg-text.js";

export function onPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * PostgreSQL: inserts rows in one statement with one parameter, the rows as a JSON array read back with
 * the table's own row type (json_populate_recordset). A multi-row VALUES list of 500 cases carries
 * 15,000 parameters that the client serialises and the server parses and plans one by one: 2000 new
 * cases took ~280 ms that way against ~50 ms of actual inserting. `json`, not `jsonb`: the text is read
 * once, and building a jsonb value first took twice as long (2000 results: ~45 ms against ~25 ms).
 * Every row must carry every column the first row has (a missing key would be NULL, not the column's
 * default). `tail` follows the select (an ON CONFLICT clause, a RETURNING list); returned rows come back.
 */
export async function insertAsJson<R = unknown>(
  db: Db,
  table: string,
  rows: object[],
  tail: RawBuilder<unknown> = sql``,
): Promise<R[]> {
  const first = rows[0];
  if (!first) return [];
  const columns = sql.join(Object.keys(first).map((c) => sql.ref(c)));
  const { rows: out } = await sql<R>`insert into ${sql.table(table)} (${columns})
    select ${columns} from json_populate_recordset(null::${sql.table(table)}, ${jsonRows(rows)}::json)
    ${tail}`.execute(db);
  return out;
}

/**
 * The rows as JSON text. PostgreSQL text cannot hold U+0000 (json_populate_recordset refuses its escape),
 * nor json a lone surrogate's escape: a NUL that a reporter captured in a stack trace or log, or an emoji
 * cut in half, would fail the whole batch. Strings are made storable (pg-text.ts) as plain parameters
 * are. The text test is only a cheap guard (it also matches a written-out "\\u0000"); the replacer does
 * the work.
 */
function jsonRows(rows: object[]): string {
  const json = JSON.stringify(rows);
  if (!UNSTORABLE_ESCAPE.test(json)) return json;
  return JSON.stringify(rows, (_key, value: unknown) => withoutNul(value));
}

/** The escapes JSON.stringify writes for a NUL and for a surrogate (lone ones among them). */
const UNSTORABLE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/** `= any($1::text[])`: one array parameter instead of an IN list of one parameter a key. */
function anyText(values: readonly string[]): RawBuilder<string> {
  return sql<string>`any(${[...values]}::text[])`;
}

/** `= any($1::bigint[])`, for ids. */
function anyId(values: readonly number[]): RawBuilder<number> {
  return sql<number>`any(${[...values]}::bigint[])`;
}

/**
 * Runs a lookup over many keys: on PostgreSQL once, with the keys as one array parameter (`= any`); on
 * SQLite in IN lists of 500, as SQLite caps bound parameters per statement. `run` puts `op` and `keys`
 * into its where clause.
 */
export async function overKeys<T extends string | number, R>(
  db: Db,
  items: T[],
  run: (op: "in" | "=", keys: T[] | RawBuilder<T>) => Promise<R[]>,
): Promise<R[]> {
  if (items.length === 0) return [];
  if (onPostgres(db)) {
    const array = typeof items[0] === "number" ? anyId(items as number[]) : anyText(items as string[]);
    return run("=", array as RawBuilder<T>);
  }
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 500) out.push(...(await run("in", items.slice(i, i + 500))));
  return out;
}
