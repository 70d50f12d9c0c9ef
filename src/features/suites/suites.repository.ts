import { type Selectable, sql } from "kysely";
import type { Db, SuitesTable } from "../../db/database.js";
import { containsPattern } from "../../db/like-pattern.js";

export type SuiteRow = Selectable<SuitesTable>;

export async function findSuite(db: Db, projectId: number, id: number): Promise<SuiteRow | undefined> {
  return db
    .selectFrom("suites")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function listSuites(
  db: Db,
  projectId: number,
  filter: { search?: string | undefined },
  limit: number,
  offset: number,
) {
  let q = db.selectFrom("suites").where("project_id", "=", projectId).where("deleted_at", "is", null);
  const total = q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow();
  if (filter.search) {
    q = q.where(sql<boolean>`lower(title) like ${containsPattern(filter.search)} escape '\\'`);
  }
  const [t, f, rows] = await Promise.all([
    total,
    q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.selectAll().orderBy("id").limit(limit).offset(offset).execute(),
  ]);
  return { rows, total: Number(t.n), filtered: Number(f.n) };
}

/** Live (not deleted) cases directly in each of the given suites. */
export async function countCasesBySuite(db: Db, projectId: number, suiteIds: number[]) {
  const out = new Map<number, number>();
  if (suiteIds.length === 0) return out;
  const rows = await db
    .selectFrom("cases")
    .select(["suite_id", (eb) => eb.fn.countAll<string | number>().as("n")])
    .where("project_id", "=", projectId)
    .where("suite_id", "in", suiteIds)
    .where("deleted_at", "is", null)
    .groupBy("suite_id")
    .execute();
  for (const r of rows) if (r.suite_id !== null) out.set(r.suite_id, Number(r.n));
  return out;
}

export async function nextSuitePosition(db: Db, projectId: number, parentId: number | null) {
  const row = await db
    .selectFrom("suites")
    .select((eb) => eb.fn.max("position").as("p"))
    .where("project_id", "=", projectId)
    .where("parent_id", parentId === null ? "is" : "=", parentId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(row?.p ?? 0) + 1;
}

/** Ids of the live children of a parent (top level for null) in tree order. */
export async function siblingSuites(
  db: Db,
  projectId: number,
  parentId: number | null,
): Promise<{ id: number; position: number }[]> {
  const rows = await db
    .selectFrom("suites")
    .select(["id", "position"])
    .where("project_id", "=", projectId)
    .where("parent_id", parentId === null ? "is" : "=", parentId)
    .where("deleted_at", "is", null)
    .orderBy("position")
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: Number(r.id), position: Number(r.position) }));
}

export async function insertSuite(db: Db, row: SuiteRow): Promise<void> {
  await db.insertInto("suites").values(row).execute();
}

export async function updateSuite(
  db: Db,
  projectId: number,
  id: number,
  patch: Partial<Omit<SuiteRow, "project_id" | "id">>,
): Promise<void> {
  await db
    .updateTable("suites")
    .set(patch)
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .execute();
}

/** Ids of the live direct children of the given suites. */
export async function childSuiteIds(db: Db, projectId: number, parentIds: number[]): Promise<number[]> {
  if (parentIds.length === 0) return [];
  const rows = await db
    .selectFrom("suites")
    .select("id")
    .where("project_id", "=", projectId)
    .where("parent_id", "in", parentIds)
    .where("deleted_at", "is", null)
    .execute();
  return rows.map((r) => r.id);
}

/** The suite and every live descendant, breadth first. */
export async function subtreeIds(db: Db, projectId: number, rootId: number): Promise<number[]> {
  const all = [rootId];
  let level = [rootId];
  while (level.length > 0) {
    level = await childSuiteIds(db, projectId, level);
    all.push(...level);
  }
  return all;
}

export async function reparentChildren(
  db: Db,
  projectId: number,
  fromParent: number,
  toParent: number,
  at: number,
): Promise<void> {
  // After the new parent's own children, in their order: keeping their old positions would tie them.
  let position = await nextSuitePosition(db, projectId, toParent);
  for (const child of await siblingSuites(db, projectId, fromParent))
    await db
      .updateTable("suites")
      .set({ parent_id: toParent, position: position++, updated_at: at })
      .where("project_id", "=", projectId)
      .where("id", "=", child.id)
      .execute();
}

export async function markSuitesDeleted(db: Db, projectId: number, ids: number[], at: number) {
  if (ids.length === 0) return;
  await db
    .updateTable("suites")
    .set({ deleted_at: at, updated_at: at })
    .where("project_id", "=", projectId)
    .where("id", "in", ids)
    .execute();
}
