import { type Selectable, sql } from "kysely";
import type { Db, EnvironmentsTable } from "../../db/database.js";
import { containsPattern } from "../../db/like-pattern.js";

export type EnvironmentRow = Selectable<EnvironmentsTable>;

/** True for a unique-constraint violation on either dialect (PostgreSQL 23505, SQLite's own code). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** The environment with this id in the project, deleted or not (check deleted_at), or undefined. */
export function findEnvironmentById(
  db: Db,
  projectId: number,
  id: number,
): Promise<EnvironmentRow | undefined> {
  return db
    .selectFrom("environments")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The live (not deleted) environment with this exact slug in the project, or undefined. */
export function findEnvironmentBySlug(
  db: Db,
  projectId: number,
  slug: string,
): Promise<EnvironmentRow | undefined> {
  return db
    .selectFrom("environments")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("slug", "=", slug)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

export async function listEnvironments(
  db: Db,
  projectId: number,
  filter: { search?: string | undefined; slug?: string | undefined },
  limit: number,
  offset: number,
) {
  let q = db.selectFrom("environments").where("project_id", "=", projectId).where("deleted_at", "is", null);
  const total = q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow();
  if (filter.search)
    q = q.where(sql<boolean>`lower(title) like ${containsPattern(filter.search)} escape '\\'`);
  if (filter.slug !== undefined) q = q.where("slug", "=", filter.slug);
  const [t, f, rows] = await Promise.all([
    total,
    q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.selectAll().orderBy("id").limit(limit).offset(offset).execute(),
  ]);
  return { rows, total: Number(t.n), filtered: Number(f.n) };
}

export async function insertEnvironment(db: Db, row: EnvironmentRow): Promise<void> {
  await db.insertInto("environments").values(row).execute();
}

export async function updateEnvironment(
  db: Db,
  projectId: number,
  id: number,
  patch: Partial<Omit<EnvironmentRow, "project_id" | "id">>,
): Promise<void> {
  await db
    .updateTable("environments")
    .set(patch)
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .execute();
}
