import { type Selectable, sql } from "kysely";
import type { Db, SharedStepsTable } from "../../db/database.js";
import { containsPattern } from "../../db/like-pattern.js";

export type SharedStepRow = Selectable<SharedStepsTable>;

export function findSharedStep(db: Db, projectId: number, hash: string): Promise<SharedStepRow | undefined> {
  return db
    .selectFrom("shared_steps")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("hash", "=", hash)
    .executeTakeFirst();
}

export async function listSharedSteps(
  db: Db,
  projectId: number,
  search: string | undefined,
  limit: number,
  offset: number,
) {
  let q = db.selectFrom("shared_steps").where("project_id", "=", projectId).where("deleted_at", "is", null);
  const total = q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow();
  if (search) q = q.where(sql<boolean>`lower(title) like ${containsPattern(search)} escape '\\'`);
  const [t, f, rows] = await Promise.all([
    total,
    q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.selectAll().orderBy("created_at").orderBy("hash").limit(limit).offset(offset).execute(),
  ]);
  return { rows, total: Number(t.n), filtered: Number(f.n) };
}

export async function insertSharedStep(db: Db, row: SharedStepRow): Promise<void> {
  await db.insertInto("shared_steps").values(row).execute();
}

export async function updateSharedStep(
  db: Db,
  projectId: number,
  hash: string,
  patch: Partial<Omit<SharedStepRow, "project_id" | "hash">>,
): Promise<void> {
  await db
    .updateTable("shared_steps")
    .set(patch)
    .where("project_id", "=", projectId)
    .where("hash", "=", hash)
    .execute();
}

/** Which of the hashes name a live shared step of the project. */
export async function liveSharedStepHashes(
  db: Db,
  projectId: number,
  hashes: string[],
): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await db
    .selectFrom("shared_steps")
    .select("hash")
    .where("project_id", "=", projectId)
    .where("hash", "in", [...new Set(hashes)])
    .where("deleted_at", "is", null)
    .execute();
  return new Set(rows.map((r) => r.hash));
}

/** Marker of a reference inside cases.steps (JSON written by the cases feature, so its exact form). */
const marker = (hash: string) => `"shared_step_hash":${JSON.stringify(hash)}`;
const likeOf = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Live cases whose steps (at any depth) use each shared step, ids ascending. */
export async function casesUsing(
  db: Db,
  projectId: number,
  hashes: string[],
): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(hashes.map((h) => [h, []]));
  if (hashes.length === 0) return out;
  const rows = await db
    .selectFrom("cases")
    .select(["id", "steps"])
    .where("project_id", "=", projectId)
    .where("deleted_at", "is", null)
    .where((eb) => eb.or(hashes.map((h) => sql<boolean>`steps like ${likeOf(marker(h))} escape '\\'`)))
    .orderBy("id")
    .execute();
  for (const r of rows) {
    for (const h of hashes) if (r.steps.includes(marker(h))) out.get(h)?.push(Number(r.id));
  }
  return out;
}
