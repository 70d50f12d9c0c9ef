import { type Selectable, sql } from "kysely";
import type { Db, MilestonesTable } from "../../db/database.js";
import { containsPattern } from "../../db/like-pattern.js";

export type MilestoneRow = Selectable<MilestonesTable>;

export function findMilestone(db: Db, projectId: number, id: number): Promise<MilestoneRow | undefined> {
  return db
    .selectFrom("milestones")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function listMilestones(
  db: Db,
  projectId: number,
  search: string | undefined,
  limit: number,
  offset: number,
) {
  let q = db.selectFrom("milestones").where("project_id", "=", projectId).where("deleted_at", "is", null);
  const total = q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow();
  if (search) q = q.where(sql<boolean>`lower(title) like ${containsPattern(search)} escape '\\'`);
  const [t, f, rows] = await Promise.all([
    total,
    q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.selectAll().orderBy("id").limit(limit).offset(offset).execute(),
  ]);
  return { rows, total: Number(t.n), filtered: Number(f.n) };
}

export async function insertMilestone(db: Db, row: MilestoneRow): Promise<void> {
  await db.insertInto("milestones").values(row).execute();
}

export async function updateMilestone(
  db: Db,
  projectId: number,
  id: number,
  patch: Partial<Omit<MilestoneRow, "project_id" | "id">>,
): Promise<void> {
  await db
    .updateTable("milestones")
    .set(patch)
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .execute();
}
