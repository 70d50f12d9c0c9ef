import type { SelectQueryBuilder } from "kysely";
import type { Db } from "./database.js";
import { onPostgres } from "./pg-bulk.js";

/**
 * The select with a row lock held until the transaction ends, on PostgreSQL: "update" for a writer that
 * changes the rows, "key share" for one that only needs them to stay (batches into a run). SQLite
 * serialises writers, so there the select is left as it is.
 */
export function rowLocked<DB, TB extends keyof DB, O>(
  db: Db,
  q: SelectQueryBuilder<DB, TB, O>,
  mode: "update" | "key share" = "update",
): SelectQueryBuilder<DB, TB, O> {
  if (!onPostgres(db)) return q;
  return mode === "update" ? q.forUpdate() : q.forKeyShare();
}
