import { type Selectable, sql } from "kysely";
import type { Db, SharedParametersTable } from "../../db/database.js";
import { containsPattern } from "../../db/like-pattern.js";

export type ParameterRow = Selectable<SharedParametersTable>;

export interface ParameterFilter {
  search?: string | undefined;
  type?: string | undefined;
  /** Parameters usable in any of these projects: enabled for all, or linked to one of them. */
  projectIds?: number[] | undefined;
}

export function findParameter(db: Db, id: string): Promise<ParameterRow | undefined> {
  return db.selectFrom("shared_parameters").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listParameters(db: Db, filter: ParameterFilter, limit: number, offset: number) {
  let q = db.selectFrom("shared_parameters").where("deleted_at", "is", null);
  if (filter.search)
    q = q.where(sql<boolean>`lower(title) like ${containsPattern(filter.search)} escape '\\'`);
  if (filter.type !== undefined) q = q.where("type", "=", filter.type);
  const projectIds = filter.projectIds;
  if (projectIds !== undefined) {
    q = q.where((eb) =>
      eb.or([
        eb("is_enabled_for_all_projects", "=", 1),
        ...(projectIds.length === 0
          ? []
          : [
              eb.exists(
                eb
                  .selectFrom("shared_parameter_projects as l")
                  .select("l.project_id")
                  .whereRef("l.parameter_id", "=", "shared_parameters.id")
                  .where("l.project_id", "in", projectIds),
              ),
            ]),
      ]),
    );
  }
  const [t, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.selectAll().orderBy("created_at").orderBy("id").limit(limit).offset(offset).execute(),
  ]);
  return { rows, total: Number(t.n) };
}

export async function insertParameter(db: Db, row: ParameterRow): Promise<void> {
  await db.insertInto("shared_parameters").values(row).execute();
}

export async function updateParameter(db: Db, id: string, patch: Partial<Omit<ParameterRow, "id">>) {
  await db.updateTable("shared_parameters").set(patch).where("id", "=", id).execute();
}

export async function setParameterProjects(db: Db, id: string, projectIds: number[]): Promise<void> {
  await db.deleteFrom("shared_parameter_projects").where("parameter_id", "=", id).execute();
  if (projectIds.length === 0) return;
  await db
    .insertInto("shared_parameter_projects")
    .values(projectIds.map((project_id) => ({ parameter_id: id, project_id })))
    .execute();
}

/** Codes of the live projects each parameter is linked to, sorted. */
export async function parameterProjectCodes(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom("shared_parameter_projects as l")
    .innerJoin("projects as p", "p.id", "l.project_id")
    .select(["l.parameter_id", "p.code"])
    .where("l.parameter_id", "in", ids)
    .where("p.deleted_at", "is", null)
    .orderBy("p.code")
    .execute();
  for (const r of rows) out.set(r.parameter_id, [...(out.get(r.parameter_id) ?? []), r.code]);
  return out;
}
