import type { PostgresPool } from "kysely";
import pg from "pg";
import { interceptQueries } from "./pg-pool.js";

/**
 * Errors that say the database cannot serve right now, not that the request is wrong: the server is
 * restarting or failing over, a connection was cut, or (SQLite) another process holds the write lock
 * past the busy timeout. The request may simply be sent again, so the error handler answers 503 with
 * Retry-After instead of 500, which reporters retry and then drop.
 */
export type Unavailable = "away" | "busy";

/** PostgreSQL's codes: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
const PG_AWAY = new Set(["57P01", "57P02", "57P03", "53300"]);
/** What Node's sockets say when the server is gone or unreachable. */
const NET_AWAY = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
/** pg's own words for a connection that ended or never came (they carry no code). */
const PG_CLIENT_AWAY =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed)/;

/** Errors raised by the PostgreSQL pool or its connections (see reportingPool), not by other sockets. */
const fromPool = new WeakSet<object>();

export function unavailable(err: unknown): Unavailable | null {
  if (typeof err !== "object" || err === null) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) return "busy";
  if (!fromPool.has(err)) return null;
  if (typeof code === "string" && (PG_AWAY.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return "away";
  if (err instanceof pg.DatabaseError) return null;
  if (typeof code === "string" && NET_AWAY.has(code)) return "away";
  return err instanceof Error && PG_CLIENT_AWAY.test(err.message) ? "away" : null;
}

/** The pool with its connections' and queries' errors remembered as the database's (see unavailable). */
export function reportingPool(pool: PostgresPool): PostgresPool {
  const mark = (err: unknown): never => {
    if (typeof err === "object" && err !== null) fromPool.add(err);
    throw err;
  };
  const connecting: PostgresPool = { end: () => pool.end(), connect: () => pool.connect().catch(mark) };
  return interceptQueries(connecting, (run, sql, parameters) => run(sql, parameters).catch(mark));
}

/**
 * Keeps a lost connection from taking the process down. pg emits 'error' on a connection the server
 * ended (a restart, a failover, idle_session_timeout, a proxy or NAT dropping it): an idle one through
 * the pool, which drops it, and a checked-out one on the client itself, whose query fails as well.
 * Unheard, either event killed the process, and every node sharing the database with it at once. The
 * pool opens new connections when asked, so nothing else is needed to recover.
 */
export function surviveLostConnections(pool: pg.Pool, onLost: (err: Error) => void): void {
  pool.on("error", onLost);
  // The query in flight gets the error; the pool drops the client when it is released.
  pool.on("connect", (client) => client.on("error", () => {}));
}
