import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { iso, now, plain } from "../../db/time.js";
import { fail } from "../../http/errors.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { allocateIds } from "../projects/sequences.repository.js";
import {
  findMilestone,
  insertMilestone,
  listMilestones,
  type MilestoneRow,
  updateMilestone,
} from "./milestones.repository.js";

export interface MilestoneInput {
  title?: string | undefined;
  description?: string | null | undefined;
  status?: "active" | "completed" | undefined;
  /** Unix seconds, as Qase takes it; null clears it. */
  due_date?: number | null | undefined;
}

export function presentMilestone(m: MilestoneRow) {
  const created = Number(m.created_at);
  const updated = Number(m.updated_at);
  return {
    id: Number(m.id),
    title: m.title,
    description: m.description,
    status: m.status,
    due_date: m.due_date === null ? null : iso(Number(m.due_date)),
    created: plain(created),
    updated: plain(updated),
    created_at: iso(created) ?? "",
    updated_at: iso(updated) ?? "",
  };
}

/** 404 for a milestone that never existed, 410 for a deleted one (as suites and cases answer). */
async function liveMilestone(db: Db, project: ProjectRow, id: number): Promise<MilestoneRow> {
  const m = await findMilestone(db, project.id, id);
  if (!m) throw fail.notFound(`Milestone ${id}`);
  if (m.deleted_at !== null) throw fail.gone(`Milestone ${id}`);
  return m;
}

function cleanTitle(title: string): string {
  const t = title.trim();
  if (t === "") throw fail.invalid("title", "must not be blank");
  return t;
}

const dueMillis = (seconds: number | null) => (seconds === null ? null : seconds * 1000);

export async function listMilestonesPage(
  ctx: AppContext,
  project: ProjectRow,
  search: string | undefined,
  limit: number,
  offset: number,
) {
  const r = await listMilestones(ctx.db, project.id, search, limit, offset);
  return { entities: r.rows.map(presentMilestone), total: r.total, filtered: r.filtered };
}

export async function getMilestone(ctx: AppContext, project: ProjectRow, id: number) {
  return presentMilestone(await liveMilestone(ctx.db, project, id));
}

export async function createMilestone(
  ctx: AppContext,
  project: ProjectRow,
  input: MilestoneInput & { title: string },
): Promise<number> {
  const title = cleanTitle(input.title);
  return ctx.db.transaction().execute(async (tx) => {
    const at = now();
    const id = await allocateIds(tx, project.id, "milestone");
    await insertMilestone(tx, {
      project_id: project.id,
      id,
      title,
      description: input.description ?? null,
      status: input.status ?? "active",
      due_date: dueMillis(input.due_date ?? null),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    });
    return id;
  });
}

export async function editMilestone(ctx: AppContext, project: ProjectRow, id: number, input: MilestoneInput) {
  const patch: Partial<MilestoneRow> = {};
  if (input.title !== undefined) patch.title = cleanTitle(input.title);
  if (input.description !== undefined) patch.description = input.description;
  if (input.status !== undefined) patch.status = input.status;
  if (input.due_date !== undefined) patch.due_date = dueMillis(input.due_date);
  await ctx.db.transaction().execute(async (tx) => {
    await liveMilestone(tx, project, id);
    await updateMilestone(tx, project.id, id, { ...patch, updated_at: now() });
  });
}

/** Soft delete: the milestone answers 410 from now on; cases keep pointing at it. */
export async function removeMilestone(ctx: AppContext, project: ProjectRow, id: number) {
  await ctx.db.transaction().execute(async (tx) => {
    await liveMilestone(tx, project, id);
    const at = now();
    await updateMilestone(tx, project.id, id, { deleted_at: at, updated_at: at });
  });
}
