import { type Expression, expressionBuilder, type Selectable, type SqlBool } from "kysely";
import type { Database, Db, ProjectsTable } from "../../db/database.js";
import { preparedQuery } from "../../db/prepared.js";

export type ProjectRow = Selectable<ProjectsTable>;

const projectByCode = preparedQuery((db: Db, code: string) =>
  db.selectFrom("projects").selectAll().where("code", "=", code),
);

/** Runs on every project-scoped request, hence prepared once. */
export async function findProjectByCode(db: Db, code: string): Promise<ProjectRow | undefined> {
  return (await projectByCode(db, code.toUpperCase()))[0];
}

export async function findActiveProjectCodes(db: Db, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom("projects")
    .select("code")
    .where("code", "in", codes)
    .where("deleted_at", "is", null)
    .execute();
  return rows.map((r) => r.code);
}

export async function isProjectMember(db: Db, projectId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom("project_members")
    .select("user_id")
    .where("project_id", "=", projectId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Who may see which project: admins see all, others see open projects and those they are members of. */
export interface ProjectVisibility {
  userId: number;
  seesAll: boolean;
  /** A project-restricted token's list, or null. */
  codes: string[] | null;
}

/** The live projects the caller may see, as a condition on `projects` (alone or joined). */
export function projectVisibleTo(v: ProjectVisibility): Expression<SqlBool> {
  const eb = expressionBuilder<Database, "projects">();
  const rules = [eb("projects.deleted_at", "is", null)];
  if (v.codes !== null) rules.push(eb("projects.code", "in", v.codes.length > 0 ? v.codes : [""]));
  if (!v.seesAll) {
    rules.push(
      eb.or([
        eb("projects.access", "=", "all"),
        eb.exists(
          eb
            .selectFrom("project_members")
            .select("project_members.user_id")
            .whereRef("project_members.project_id", "=", "projects.id")
            .where("project_members.user_id", "=", v.userId),
        ),
      ]),
    );
  }
  return eb.and(rules);
}

function visible(db: Db, v: ProjectVisibility) {
  return db.selectFrom("projects").where(projectVisibleTo(v));
}

export function listVisibleProjects(
  db: Db,
  v: ProjectVisibility,
  limit: number,
  offset: number,
): Promise<ProjectRow[]> {
  return visible(db, v).selectAll().orderBy("id").limit(limit).offset(offset).execute();
}

export async function countVisibleProjects(db: Db, v: ProjectVisibility): Promise<number> {
  const r = await visible(db, v)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertProject(
  db: Db,
  p: {
    code: string;
    title: string;
    description: string | null;
    access: string;
    settings: string;
    created_by: number | null;
    at: number;
  },
): Promise<ProjectRow> {
  return db
    .insertInto("projects")
    .values({
      code: p.code,
      title: p.title,
      description: p.description,
      access: p.access,
      settings: p.settings,
      created_by: p.created_by,
      created_at: p.at,
      updated_at: p.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Removes a deleted project's tombstone (and, by cascade, its data) so its code can be reused. */
export async function purgeProject(db: Db, id: number): Promise<void> {
  await db.deleteFrom("projects").where("id", "=", id).execute();
}

export async function updateProjectRow(db: Db, id: number, patch: Partial<ProjectRow>): Promise<void> {
  await db.updateTable("projects").set(patch).where("id", "=", id).execute();
}

export async function markProjectDeleted(db: Db, id: number, at: number): Promise<void> {
  await db.updateTable("projects").set({ deleted_at: at, updated_at: at }).where("id", "=", id).execute();
}

export async function addProjectMember(db: Db, projectId: number, userId: number, at: number): Promise<void> {
  await db
    .insertInto("project_members")
    .values({ project_id: projectId, user_id: userId, created_at: at })
    .onConflict((oc) => oc.columns(["project_id", "user_id"]).doNothing())
    .execute();
}

export async function removeProjectMember(db: Db, projectId: number, userId: number): Promise<boolean> {
  const r = await db
    .deleteFrom("project_members")
    .where("project_id", "=", projectId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
