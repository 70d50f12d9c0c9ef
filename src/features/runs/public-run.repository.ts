import type { Db } from "../../db/database.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import type { RunRow } from "./runs.repository.js";

/** A live run of a live project whose public link carries this hash. */
export async function findPublicRun(
  db: Db,
  code: string,
  hash: string,
): Promise<{ project: ProjectRow; run: RunRow } | undefined> {
  const project = await db
    .selectFrom("projects")
    .selectAll()
    .where("code", "=", code)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!project) return undefined;
  const run = await db
    .selectFrom("runs")
    .selectAll()
    .where("project_id", "=", project.id)
    .where("public_hash", "=", hash)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return run ? { project, run } : undefined;
}
