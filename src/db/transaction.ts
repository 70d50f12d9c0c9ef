import type { Db } from "./database.js";

/**
 * Runs `fn` in a transaction: a new one, or the caller's when `db` already is one, so a service can be
 * called on its own or as one step of another service's transaction (merging a review into a case).
 */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
