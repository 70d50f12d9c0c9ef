import type { PostgresPool } from "kysely";
import { interceptQueries } from "./pg-pool.js";

/**
 * PostgreSQL text cannot hold U+0000: a parameter carrying one fails its whole statement ("invalid byte
 * sequence for encoding UTF8: 0x00"). Reporters do capture NULs in stack traces, logs and test names, and
 * a batch must not be lost for one, so every string parameter (and string in an array parameter) is
 * stored with U+FFFD, the replacement character, in their place. SQLite keeps them as they are.
 */
export function withoutNul(value: unknown): unknown {
  if (typeof value === "string") return value.includes("\0") ? value.replaceAll("\0", "\ufffd") : value;
  if (Array.isArray(value) && value.some((v) => typeof v === "string" && v.includes("\0")))
    return value.map(withoutNul);
  return value;
}

/** The pool Kysely queries through, its clients' parameters passed through withoutNul. */
export function nulSafePool(pool: PostgresPool): PostgresPool {
  return interceptQueries(pool, (run, sql, parameters) => run(sql, parameters.map(withoutNul)));
}
