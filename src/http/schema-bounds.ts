import { Type } from "@sinclair/typebox";

/**
 * Numbers from the outside that reach a query, bounded by what the columns hold: a row id beyond
 * PostgreSQL's `integer` (or a time beyond `bigint`) made the query itself fail, a 500, where an
 * out-of-range id is simply a bad request.
 */
export const MAX_ROW_ID = 2147483647;

/** A row id in a path, query or body: cases, suites, runs, users, tokens... */
export const RowId = Type.Integer({ minimum: 1, maximum: MAX_ROW_ID });

/** The last second of year 9999 UTC: times in unix seconds stop there. */
export const MAX_UNIX_SECONDS = 253402300799;

/** A time in unix seconds from the outside (a filter, a start time, a due date). */
export const UnixSeconds = Type.Integer({ minimum: 0, maximum: MAX_UNIX_SECONDS });
