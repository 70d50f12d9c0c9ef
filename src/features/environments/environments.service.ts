import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { now } from "../../db/time.js";
import { ApiError, type ErrorField, fail } from "../../http/errors.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { allocateIds } from "../projects/sequences.repository.js";
import {
  type EnvironmentRow,
  findEnvironmentById,
  findEnvironmentBySlug,
  insertEnvironment,
  isUniqueViolation,
  listEnvironments,
  updateEnvironment,
} from "./environments.repository.js";

export interface EnvironmentInput {
  title?: string | undefined;
  slug?: string | undefined;
  description?: string | null | undefined;
  host?: string | null | undefined;
}

export function presentEnvironment(e: EnvironmentRow) {
  return { id: Number(e.id), title: e.title, description: e.description, slug: e.slug, host: e.host };
}

/** 404 for an environment that never existed, 410 for a deleted one. */
async function liveEnvironment(db: Db, project: ProjectRow, id: number): Promise<EnvironmentRow> {
  const e = await findEnvironmentById(db, project.id, id);
  if (!e) throw fail.notFound(`Environment ${id}`);
  if (e.deleted_at !== null) throw fail.gone(`Environment ${id}`);
  return e;
}

const taken = (slug: string) => fail.invalid("slug", `an environment with slug "${slug}" already exists`);

/** Column values from a write body; every problem collected into one 422. */
function normalise(input: EnvironmentInput): Partial<EnvironmentRow> {
  const errors: ErrorField[] = [];
  const out: Partial<EnvironmentRow> = {};
  if (input.title !== undefined) {
    out.title = input.title.trim();
    if (out.title === "") errors.push({ field: "title", error: "must not be blank" });
  }
  if (input.slug !== undefined) {
    out.slug = input.slug.trim();
    if (!/^\S+$/.test(out.slug)) errors.push({ field: "slug", error: "must not be blank or contain spaces" });
  }
  if (input.description !== undefined) out.description = input.description;
  if (input.host !== undefined) out.host = input.host;
  if (errors.length > 0) throw fail.invalidMany(errors);
  return out;
}

/** A concurrent writer that took the slug first makes the database refuse ours: same answer as the check. */
async function guardSlug<T>(slug: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (slug !== undefined && !(err instanceof ApiError) && isUniqueViolation(err)) throw taken(slug);
    throw err;
  }
}

export async function listEnvironmentsPage(
  ctx: AppContext,
  project: ProjectRow,
  filter: { search?: string | undefined; slug?: string | undefined },
  limit: number,
  offset: number,
) {
  const r = await listEnvironments(ctx.db, project.id, filter, limit, offset);
  return { entities: r.rows.map(presentEnvironment), total: r.total, filtered: r.filtered };
}

export async function getEnvironment(ctx: AppContext, project: ProjectRow, id: number) {
  return presentEnvironment(await liveEnvironment(ctx.db, project, id));
}

export async function createEnvironment(
  ctx: AppContext,
  project: ProjectRow,
  input: EnvironmentInput & { title: string; slug: string },
): Promise<number> {
  const v = normalise(input);
  const slug = v.slug ?? input.slug;
  return guardSlug(slug, () =>
    ctx.db.transaction().execute(async (tx) => {
      if (await findEnvironmentBySlug(tx, project.id, slug)) throw taken(slug);
      const at = now();
      const id = await allocateIds(tx, project.id, "environment");
      await insertEnvironment(tx, {
        project_id: project.id,
        id,
        title: v.title ?? input.title,
        slug,
        description: v.description ?? null,
        host: v.host ?? null,
        created_at: at,
        updated_at: at,
        deleted_at: null,
      });
      return id;
    }),
  );
}

export async function editEnvironment(
  ctx: AppContext,
  project: ProjectRow,
  id: number,
  input: EnvironmentInput,
) {
  const patch = normalise(input);
  await guardSlug(patch.slug, () =>
    ctx.db.transaction().execute(async (tx) => {
      await liveEnvironment(tx, project, id);
      if (patch.slug !== undefined) {
        const other = await findEnvironmentBySlug(tx, project.id, patch.slug);
        if (other && Number(other.id) !== id) throw taken(patch.slug);
      }
      await updateEnvironment(tx, project.id, id, { ...patch, updated_at: now() });
    }),
  );
}

/** Soft delete: 410 from now on, and its slug is free for a new environment. */
export async function removeEnvironment(ctx: AppContext, project: ProjectRow, id: number) {
  await ctx.db.transaction().execute(async (tx) => {
    await liveEnvironment(tx, project, id);
    const at = now();
    await updateEnvironment(tx, project.id, id, { deleted_at: at, updated_at: at });
  });
}
