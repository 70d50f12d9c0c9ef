import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { now } from "../../db/time.js";
import { type ErrorField, fail } from "../../http/errors.js";
import type { Principal } from "../../http/principal.js";
import { attachmentRefErrors } from "../attachments/attachment-check.js";
import { ensureTags } from "../cases/cases.repository.js";
import { parseValueMap, resolveCustomFieldValues } from "../custom-fields/custom-field-values.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { allocateIds } from "../projects/sequences.repository.js";
import { findResult } from "../results/results.repository.js";
import { enumError, enumId } from "../system-fields/system-fields.catalog.js";
import { presentDefect } from "./defects.present.js";
import {
  type DefectRow,
  findDefect,
  insertDefect,
  insertLink,
  isLiveMilestone,
  linkExists,
  linksOf,
  listDefects,
  updateDefect,
} from "./defects.repository.js";
import type { DefectStatus } from "./defects.schemas.js";

export interface DefectInput {
  title?: string | undefined;
  actual_result?: string | undefined;
  severity?: number | string | undefined;
  milestone_id?: number | null | undefined;
  attachments?: string[] | null | undefined;
  custom_field?: Record<string, string | null> | null | undefined;
  tags?: string[] | null | undefined;
}

type Patch = Partial<Omit<DefectRow, "project_id" | "id">>;

/** 404 for a defect that never existed, 410 for a deleted one. */
async function liveDefect(db: Db, project: ProjectRow, id: number): Promise<DefectRow> {
  const d = await findDefect(db, project.id, id);
  if (!d) throw fail.notFound(`Defect ${id}`);
  if (d.deleted_at !== null) throw fail.gone(`Defect ${id}`);
  return d;
}

/**
 * How a write treats custom field values: API creates send Qase's full map (every required field),
 * updates a partial one applied to the stored values; defects opened for failed results send none.
 */
interface ValueMode {
  full: boolean;
  stored?: string | undefined;
}

/** Column values from a write body; every problem goes to `errors` (one entry per field). */
async function toPatch(
  db: Db,
  project: ProjectRow,
  input: DefectInput,
  errors: ErrorField[],
  at: number,
  mode: ValueMode,
) {
  const patch: Patch = {};
  if (input.title !== undefined) {
    patch.title = input.title.trim();
    if (patch.title === "") errors.push({ field: "title", error: "must not be blank" });
  }
  if (input.actual_result !== undefined) patch.actual_result = input.actual_result;
  if (input.severity !== undefined) {
    const id = enumId("severity", input.severity);
    if (id === undefined) errors.push(enumError("severity"));
    else patch.severity = id;
  }
  if (input.milestone_id !== undefined) {
    const m = input.milestone_id;
    if (m !== null && !(await isLiveMilestone(db, project.id, m))) {
      errors.push({ field: "milestone_id", error: `milestone ${m} does not exist in ${project.code}` });
    }
    patch.milestone_id = m;
  }
  if (input.attachments !== undefined) {
    const hashes = [...new Set(input.attachments ?? [])];
    errors.push(...(await attachmentRefErrors(db, project.id, [{ field: "attachments", hashes }])));
    patch.attachments = JSON.stringify(hashes);
  }
  const given = parseValueMap(input.custom_field, "", errors);
  if (errors.length === 0) {
    const r = await resolveCustomFieldValues(db, project.id, "defect", [{ prefix: "", given, ...mode }]);
    errors.push(...r.errors);
    if (r.values[0] !== undefined) patch.custom_fields = r.values[0];
  }
  let tagTitles: string[] | undefined;
  if (input.tags !== undefined) {
    const titles = (input.tags ?? []).map((t) => t.trim());
    if (titles.some((t) => t === "")) errors.push({ field: "tags", error: "tags must not be blank" });
    tagTitles = [...new Set(titles.filter((t) => t !== ""))];
  }
  if (errors.length > 0) throw fail.invalidMany(errors);
  if (tagTitles !== undefined) {
    const ids = await ensureTags(db, tagTitles, at);
    patch.tags = JSON.stringify(tagTitles.map((title) => ({ title, internal_id: ids.get(title) ?? 0 })));
  }
  return patch;
}

export async function listDefectsPage(
  ctx: AppContext,
  project: ProjectRow,
  status: DefectStatus | undefined,
  limit: number,
  offset: number,
) {
  const { rows, total, filtered } = await listDefects(ctx.db, project.id, status, limit, offset);
  const links = await linksOf(
    ctx.db,
    project.id,
    rows.map((r) => Number(r.id)),
  );
  const entities = rows.map((r) =>
    presentDefect(
      r,
      links.filter((l) => Number(l.defect_id) === Number(r.id)),
    ),
  );
  return { entities, total, filtered };
}

export async function getDefect(ctx: AppContext, project: ProjectRow, id: number) {
  const d = await liveDefect(ctx.db, project, id);
  return presentDefect(d, await linksOf(ctx.db, project.id, [id]));
}

/**
 * Creates a defect inside the caller's transaction and returns its id; for services that open a
 * defect as part of a larger write (a failed result with `defect: true`).
 */
export async function insertNewDefect(
  tx: Db,
  project: ProjectRow,
  authorId: number | null,
  input: DefectInput & { title: string; actual_result: string; severity: number | string },
  fullValues = false,
): Promise<number> {
  const at = now();
  const patch = await toPatch(tx, project, input, [], at, { full: fullValues });
  const id = await allocateIds(tx, project.id, "defect");
  await insertDefect(tx, {
    project_id: project.id,
    id,
    title: patch.title ?? input.title,
    actual_result: patch.actual_result ?? input.actual_result,
    severity: patch.severity ?? 0,
    status: "open",
    milestone_id: patch.milestone_id ?? null,
    custom_fields: patch.custom_fields ?? "{}",
    attachments: patch.attachments ?? "[]",
    tags: patch.tags ?? "[]",
    author_id: authorId,
    resolved_at: null,
    created_at: at,
    updated_at: at,
    deleted_at: null,
  });
  return id;
}

export async function createDefect(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  input: DefectInput & { title: string; actual_result: string; severity: number | string },
): Promise<number> {
  return ctx.db.transaction().execute((tx) => insertNewDefect(tx, project, p.user.id, input, true));
}

/**
 * Records that a defect was found in a run (and through one of its results when the hash is given).
 * Runs inside the caller's transaction; linking twice is a no-op.
 */
export async function linkDefect(
  tx: Db,
  projectId: number,
  defectId: number,
  runId: number,
  resultHash: string | null = null,
): Promise<void> {
  const link = { project_id: projectId, defect_id: defectId, run_id: runId, result_hash: resultHash };
  if (!(await linkExists(tx, link))) await insertLink(tx, link);
}

/** Links an existing defect to an existing result and its run: "Link to defect" on a run's result. */
export async function linkDefectToResult(ctx: AppContext, project: ProjectRow, id: number, hash: string) {
  await ctx.db.transaction().execute(async (tx) => {
    await liveDefect(tx, project, id);
    const r = await findResult(tx, project.id, hash);
    if (!r) throw fail.notFound(`Result ${hash}`);
    if (r.deleted_at !== null) throw fail.gone(`Result ${hash}`);
    await linkDefect(tx, project.id, id, r.run_id, r.hash);
  });
}

/**
 * Opens a defect for a failed result and links it to the result and its run, inside the caller's
 * transaction (the result write). Title and actual result come from the case and the result comment.
 */
export async function createDefectForResult(
  tx: Db,
  project: ProjectRow,
  input: {
    title: string;
    actualResult: string;
    severity?: number | string;
    authorId: number | null;
    runId: number;
    resultHash: string;
    attachments?: string[];
  },
): Promise<number> {
  const id = await insertNewDefect(tx, project, input.authorId, {
    title: input.title.trim() === "" ? "Failed result" : input.title.slice(0, 255),
    actual_result: input.actualResult,
    severity: input.severity ?? 0,
    ...(input.attachments ? { attachments: input.attachments } : {}),
  });
  await linkDefect(tx, project.id, id, input.runId, input.resultHash);
  return id;
}

export async function editDefect(ctx: AppContext, project: ProjectRow, id: number, input: DefectInput) {
  await ctx.db.transaction().execute(async (tx) => {
    const before = await liveDefect(tx, project, id);
    const at = now();
    const patch = await toPatch(tx, project, input, [], at, { full: false, stored: before.custom_fields });
    await updateDefect(tx, project.id, id, { ...patch, updated_at: at });
  });
}

export async function removeDefect(ctx: AppContext, project: ProjectRow, id: number) {
  await ctx.db.transaction().execute(async (tx) => {
    await liveDefect(tx, project, id);
    const at = now();
    await updateDefect(tx, project.id, id, { deleted_at: at, updated_at: at });
  });
}

/** Moves a defect to a status; resolved stamps resolved_at (kept if already resolved), others clear it. */
export async function setDefectStatus(
  ctx: AppContext,
  project: ProjectRow,
  id: number,
  status: Exclude<DefectStatus, "open">,
) {
  await ctx.db.transaction().execute(async (tx) => {
    const d = await liveDefect(tx, project, id);
    const at = now();
    const resolvedAt = status === "resolved" ? (d.status === "resolved" ? d.resolved_at : at) : null;
    await updateDefect(tx, project.id, id, { status, resolved_at: resolvedAt, updated_at: at });
  });
}
