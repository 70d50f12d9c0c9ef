import { sql } from "kysely";
import type { Db, Dialect } from "../../db/database.js";
import { onPostgres, overKeys } from "../../db/pg-bulk.js";
import { selectIn } from "../../db/prepared.js";
import type { Store } from "../../db/store.js";

type Prepare = NonNullable<Store["prepare"]>;

export interface CaseRef {
  id: number;
  version: number;
  title: string;
  suite_id: number | null;
  signature: string | null;
}

/**
 * Live cases of a project, for lookups by a list of signatures, titles or ids. The unary plus keeps
 * the deleted_at test off the (project_id, deleted_at) index: without statistics SQLite preferred it
 * to the lookup's own index and scanned every live case of the project for each chunk.
 */
function liveCases(db: Db, projectId: number) {
  return db
    .selectFrom("cases")
    .select(["id", "version", "title", "suite_id", "signature"])
    .where("project_id", "=", projectId)
    .where(sql<number | null>`+${sql.ref("deleted_at")}`, "is", null);
}

type CaseKey = "id" | "signature" | "title";

/**
 * The live cases a list of ids, signatures or titles names, each dialect by its fastest path: SQLite's
 * cached statements when the caller holds them, PostgreSQL's per-key probes, Kysely in chunks otherwise.
 */
async function liveCasesBy(
  db: Db,
  projectId: number,
  column: CaseKey,
  keys: (string | number)[],
  prepare?: Prepare,
): Promise<CaseRef[]> {
  if (keys.length === 0) return [];
  if (prepare) return liveCasesPrepared(prepare, projectId, column, keys);
  if (onPostgres(db)) return liveCasesPerKey(db, projectId, column, keys);
  return overKeys(db, keys, (op, c) => liveCases(db, projectId).where(column, op, c).execute());
}

/**
 * PostgreSQL: the live cases a list of keys names, one index probe per key (a lateral subquery behind
 * `offset 0`, which keeps the planner from turning it into a join over the whole project). A plain
 * `= any($keys)` of a batch's 2000 keys read every case of the project instead, whatever the statistics:
 * a sequential scan with them, the milestone index without; 12 - 18 ms a lookup at 40k cases against
 * 2 - 4 ms probing the key's own index.
 */
async function liveCasesPerKey(
  db: Db,
  projectId: number,
  column: CaseKey,
  keys: (string | number)[],
): Promise<CaseRef[]> {
  const unique = [...new Set(keys)];
  const list = column === "id" ? sql`${unique}::bigint[]` : sql`${unique}::text[]`;
  const { rows } = await sql<CaseRef>`select c.id, c.version, c.title, c.suite_id, c.signature
    from unnest(${list}) as k(v) cross join lateral (
      select id, version, title, suite_id, signature from cases
       where project_id = ${projectId} and ${sql.ref(column)} = k.v and +deleted_at is null
      offset 0) as c`.execute(db);
  return rows;
}

/** SQLite: the same lookup as liveCases through cached statements (see selectIn). */
function liveCasesPrepared(prepare: Prepare, projectId: number, column: CaseKey, keys: (string | number)[]) {
  return selectIn<CaseRef>(
    prepare,
    (marks) =>
      `select id, version, title, suite_id, signature from cases
       where project_id = ? and +deleted_at is null and ${column} in (${marks})`,
    [projectId],
    keys,
  );
}

// Oldest case first, so duplicates resolve to the first one. Sorted here, not in SQL: an ORDER BY id
// made SQLite walk the whole project by primary key instead of using the signature index.
const byId = (rows: CaseRef[]) => rows.sort((a, b) => a.id - b.id);

export function casesByIds(db: Db, projectId: number, ids: number[]): Promise<CaseRef[]> {
  return liveCasesBy(db, projectId, "id", ids);
}

export async function casesBySignatures(
  db: Db,
  projectId: number,
  sigs: string[],
  prepare?: Prepare,
): Promise<CaseRef[]> {
  return byId(await liveCasesBy(db, projectId, "signature", sigs, prepare));
}

export async function casesByTitles(
  db: Db,
  projectId: number,
  titles: string[],
  prepare?: Prepare,
): Promise<CaseRef[]> {
  return byId(await liveCasesBy(db, projectId, "title", titles, prepare));
}

export function liveSuiteTree(db: Db, projectId: number) {
  return db
    .selectFrom("suites")
    .select(["id", "parent_id", "title"])
    .where("project_id", "=", projectId)
    .where("deleted_at", "is", null)
    .orderBy("id")
    .execute();
}

/**
 * Serialises case matching and creation per project on PostgreSQL, so two batches reporting the same new
 * test create one case, not two. SQLite runs one writer at a time already.
 */
export async function lockCaseMatching(db: Db, dialect: Dialect, projectId: number): Promise<void> {
  if (dialect !== "postgres") return;
  await sql`select pg_advisory_xact_lock(${1_447_000_001}, ${projectId})`.execute(db);
}
