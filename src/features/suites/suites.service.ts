import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { iso, now, plain } from "../../db/time.js";
import { fail } from "../../http/errors.js";
import type { Principal } from "../../http/principal.js";
import { markCasesDeletedInSuites } from "../cases/cases.repository.js";
import { moveCases } from "../cases/cases.service.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { allocateIds, lockSequence } from "../projects/sequences.repository.js";
import { lockCaseMatching } from "../results/matching.repository.js";
import {
  countCasesBySuite,
  findSuite,
  insertSuite,
  listSuites,
  markSuitesDeleted,
  nextSuitePosition,
  reparentChildren,
  type SuiteRow,
  siblingSuites,
  subtreeIds,
  updateSuite,
} from "./suites.repository.js";

export interface SuiteInput {
  title?: string | undefined;
  description?: string | null | undefined;
  preconditions?: string | null | undefined;
  parent_id?: number | null | undefined;
  position?: number | undefined;
}

export function presentSuite(s: SuiteRow, casesCount: number) {
  return {
    id: Number(s.id),
    title: s.title,
    description: s.description,
    preconditions: s.preconditions,
    position: Number(s.position),
    cases_count: casesCount,
    parent_id: s.parent_id === null ? null : Number(s.parent_id),
    created_at: iso(Number(s.created_at)) ?? "",
    updated_at: iso(Number(s.updated_at)) ?? "",
    created: plain(Number(s.created_at)),
    updated: plain(Number(s.updated_at)),
  };
}

/** 404 for a suite that never existed, 410 for a deleted one. */
async function liveSuite(db: Db, project: ProjectRow, id: number): Promise<SuiteRow> {
  const s = await findSuite(db, project.id, id);
  if (!s) throw fail.notFound(`Suite ${id}`);
  if (s.deleted_at !== null) throw fail.gone(`Suite ${id}`);
  return s;
}

/** A suite another one may point at (parent, destination): live and in the project, else 422 on `field`. */
async function targetSuite(db: Db, project: ProjectRow, id: number, field: string): Promise<SuiteRow> {
  const s = await findSuite(db, project.id, id);
  if (!s || s.deleted_at !== null) throw fail.invalid(field, `suite ${id} does not exist in this project`);
  return s;
}

function cleanTitle(title: string): string {
  const t = title.trim();
  if (t === "") throw fail.invalid("title", "must not be blank");
  return t;
}

export async function listSuitesPage(
  ctx: AppContext,
  project: ProjectRow,
  search: string | undefined,
  limit: number,
  offset: number,
) {
  const { rows, total, filtered } = await listSuites(ctx.db, project.id, { search }, limit, offset);
  const counts = await countCasesBySuite(
    ctx.db,
    project.id,
    rows.map((r) => r.id),
  );
  return { entities: rows.map((r) => presentSuite(r, counts.get(r.id) ?? 0)), total, filtered };
}

export async function getSuite(ctx: AppContext, project: ProjectRow, id: number) {
  const s = await liveSuite(ctx.db, project, id);
  const counts = await countCasesBySuite(ctx.db, project.id, [id]);
  return presentSuite(s, counts.get(id) ?? 0);
}

export async function createSuite(
  ctx: AppContext,
  project: ProjectRow,
  input: SuiteInput & { title: string },
) {
  const title = cleanTitle(input.title);
  return ctx.db.transaction().execute(async (tx) => {
    const parentId = input.parent_id ?? null;
    const at = now();
    const id = await allocateIds(tx, project.id, "suite");
    // Checked under the suite sequence, which a suite deletion holds: the parent cannot go meanwhile.
    if (parentId !== null) await targetSuite(tx, project, parentId, "parent_id");
    await insertSuite(tx, {
      project_id: project.id,
      id,
      parent_id: parentId,
      title,
      description: input.description ?? null,
      preconditions: input.preconditions ?? null,
      position: await nextSuitePosition(tx, project.id, parentId),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    });
    return id;
  });
}

export async function editSuite(ctx: AppContext, project: ProjectRow, id: number, input: SuiteInput) {
  const patch: Partial<SuiteRow> = {};
  if (input.title !== undefined) patch.title = cleanTitle(input.title);
  if (input.description !== undefined) patch.description = input.description;
  if (input.preconditions !== undefined) patch.preconditions = input.preconditions;
  await ctx.db.transaction().execute(async (tx) => {
    // Placing hands out positions among siblings (lock order: sequences.repository).
    if (input.parent_id !== undefined || input.position !== undefined)
      await lockSequence(tx, project.id, "suite");
    const suite = await liveSuite(tx, project, id);
    if (input.parent_id !== undefined && input.parent_id !== suite.parent_id) {
      const parentId = input.parent_id;
      if (parentId !== null) {
        await targetSuite(tx, project, parentId, "parent_id");
        if ((await subtreeIds(tx, project.id, id)).includes(parentId)) {
          throw fail.invalid("parent_id", "a suite cannot be moved under itself or one of its descendants");
        }
      }
      patch.parent_id = parentId;
      patch.position = await nextSuitePosition(tx, project.id, parentId);
    }
    const at = now();
    if (input.position !== undefined) {
      const parentId = patch.parent_id !== undefined ? patch.parent_id : suite.parent_id;
      patch.position = await placeAmongSiblings(tx, project.id, id, parentId, input.position, at);
    }
    await updateSuite(tx, project.id, id, { ...patch, updated_at: at });
  });
}

/**
 * Renumbers the other children of `parentId` 1..n around the place the suite takes (`position`, clamped
 * to the end) and returns the suite's own position. Siblings whose number does not change are not written.
 */
async function placeAmongSiblings(
  tx: Db,
  projectId: number,
  id: number,
  parentId: number | null,
  position: number,
  at: number,
): Promise<number> {
  const others = (await siblingSuites(tx, projectId, parentId)).filter((s) => s.id !== id);
  const index = Math.min(position - 1, others.length);
  const order = [...others.slice(0, index), { id, position: 0 }, ...others.slice(index)];
  for (const [i, s] of order.entries()) {
    if (s.id !== id && s.position !== i + 1)
      await updateSuite(tx, projectId, s.id, { position: i + 1, updated_at: at });
  }
  return index + 1;
}

/**
 * Deletes a suite. With a destination, its cases and child suites move there first; without one,
 * the whole subtree goes, cases included (soft delete: they answer 410 from now on).
 */
export async function removeSuite(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  id: number,
  destinationId: number | null,
) {
  await ctx.db.transaction().execute(async (tx) => {
    // Waits for every writer that may be putting cases or suites into this subtree, and keeps new ones
    // out until it commits (lock order: sequences.repository): the reporters' matching, suite creators
    // (parents are checked under the suite sequence), case creators and movers (under the case one).
    await lockCaseMatching(tx, ctx.dialect, project.id);
    await lockSequence(tx, project.id, "suite");
    await lockSequence(tx, project.id, "case");
    await liveSuite(tx, project, id);
    const subtree = await subtreeIds(tx, project.id, id);
    const at = now();
    if (destinationId !== null) {
      await targetSuite(tx, project, destinationId, "destination_id");
      if (subtree.includes(destinationId)) {
        throw fail.invalid(
          "destination_id",
          "the destination cannot be the deleted suite or one of its descendants",
        );
      }
      await moveCases(tx, p, project.id, [id], destinationId);
      await reparentChildren(tx, project.id, id, destinationId, at);
      await markSuitesDeleted(tx, project.id, [id], at);
      return;
    }
    await markCasesDeletedInSuites(tx, project.id, subtree, at);
    await markSuitesDeleted(tx, project.id, subtree, at);
  });
}
