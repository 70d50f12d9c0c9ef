import type { Db } from "../../db/database.js";

export interface ProjectMemberRow {
  id: number;
  name: string;
  email: string;
  role: string;
  is_active: number;
  granted_at: number;
}

/** One page of the users granted access to a project, in the order they were granted; no secrets. */
export function listProjectMemberRows(
  db: Db,
  projectId: number,
  limit: number,
  offset: number,
): Promise<ProjectMemberRow[]> {
  return db
    .selectFrom("project_members")
    .innerJoin("users", "users.id", "project_members.user_id")
    .select([
      "users.id as id",
      "users.name as name",
      "users.email as email",
      "users.role as role",
      "users.is_active as is_active",
      "project_members.created_at as granted_at",
    ])
    .where("project_members.project_id", "=", projectId)
    .orderBy("project_members.created_at")
    .orderBy("users.id")
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countProjectMembers(db: Db, projectId: number): Promise<number> {
  const r = await db
    .selectFrom("project_members")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .where("project_id", "=", projectId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
