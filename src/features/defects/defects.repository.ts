import type { Selectable } from "kysely";
import type { Db, DefectLinksTable, DefectsTable } from "../../db/database.js";

export type DefectRow = Selectable<DefectsTable>;
export type DefectLinkRow = Selectable<DefectLinksTable>;

export async function findDefect(db: Db, projectId: number, id: number): Promise<DefectRow | undefined> {
  return db
    .selectFrom("defects")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function listDefects(
  db: Db,
  projectId: number,
  status: string | undefined,
  limit: number,
  offset: number,
) {
  const all = db.selectFrom("defects").where("project_id", "=", projectId).where("deleted_at", "is", null);
  const q = status === undefined ? all : all.where("status", "=", status);
  const [t, f, rows] = await Promise.all([
    all.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.selectAll().orderBy("id").limit(limit).offset(offset).execute(),
  ]);
  return { rows, total: Number(t.n), filtered: Number(f.n) };
}

export async function insertDefect(db: Db, row: DefectRow): Promise<void> {
  await db.insertInto("defects").values(row).execute();
}

export async function updateDefect(
  db: Db,
  projectId: number,
  id: number,
  patch: Partial<Omit<DefectRow, "project_id" | "id">>,
): Promise<void> {
  await db
    .updateTable("defects")
    .set(patch)
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .execute();
}

/** The links of the given defects, for the runs / results of the read model. */
export async function linksOf(db: Db, projectId: number, defectIds: number[]): Promise<DefectLinkRow[]> {
  if (defectIds.length === 0) return [];
  return db
    .selectFrom("defect_links")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("defect_id", "in", defectIds)
    .orderBy("run_id")
    .orderBy("result_hash")
    .execute();
}

export async function insertLink(db: Db, link: DefectLinkRow): Promise<void> {
  await db.insertInto("defect_links").values(link).execute();
}

export async function linkExists(db: Db, link: DefectLinkRow): Promise<boolean> {
  const row = await db
    .selectFrom("defect_links")
    .select("defect_id")
    .where("project_id", "=", link.project_id)
    .where("defect_id", "=", link.defect_id)
    .where("run_id", "=", link.run_id)
    .where("result_hash", link.result_hash === null ? "is" : "=", link.result_hash)
    .executeTakeFirst();
  return row !== undefined;
}

export async function isLiveMilestone(db: Db, projectId: number, id: number): Promise<boolean> {
  const row = await db
    .selectFrom("milestones")
    .select("id")
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return row !== undefined;
}
