import { sql } from "kysely";
import type { Db } from "../../db/database.js";
import { onPostgres } from "../../db/pg-bulk.js";
import { rowLocked } from "../../db/row-locks.js";

/** Entities numbered per project: CODE-1, CODE-2, ... */
export type SequencedEntity =
  | "suite"
  | "case"
  | "run"
  | "plan"
  | "milestone"
  | "defect"
  | "environment"
  | "shared_step"
  | "review";

/**
 * Reserves `count` consecutive ids for an entity of a project and returns the first. One upsert, so it
 * is atomic on both dialects; call it inside the transaction that inserts the rows, so a rollback gives
 * the ids back and the sequence stays gap-free (PostgreSQL holds the row lock until commit).
 */
export async function allocateIds(
  db: Db,
  projectId: number,
  entity: SequencedEntity,
  count = 1,
): Promise<number> {
  const row = await db
    .insertInto("project_sequences")
    .values({ project_id: projectId, entity, last_id: count })
    .onConflict((oc) =>
      oc
        .columns(["project_id", "entity"])
        .doUpdateSet({ last_id: sql<number>`project_sequences.last_id + ${count}` }),
    )
    .returning("last_id")
    .executeTakeFirstOrThrow();
  return Number(row.last_id) - count + 1;
}

/**
 * Waits for, then holds until the transaction ends, an entity's sequence row (PostgreSQL; SQLite writers
 * are serial anyway). Every creator of that entity holds it from allocateIds to commit, so a writer that
 * hands out positions without creating anything (a move into a suite) cannot interleave with a creator
 * and give one position twice, and a suite deletion that holds both sequences keeps cases and suites
 * from being put into the subtree it deletes.
 *
 * Writers take locks in one order, so that none waits in a circle: the project's case-matching lock
 * (reporters' batches that create cases, suite deletion), tags, the suite sequence, the case sequence,
 * case rows, suite rows. Results and run entries are written in key order (results.repository).
 */
export async function lockSequence(db: Db, projectId: number, entity: SequencedEntity): Promise<void> {
  if (!onPostgres(db)) return;
  await rowLocked(
    db,
    db
      .selectFrom("project_sequences")
      .select("last_id")
      .where("project_id", "=", projectId)
      .where("entity", "=", entity),
  ).execute();
}
