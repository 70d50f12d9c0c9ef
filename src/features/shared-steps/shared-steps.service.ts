import { createHash, randomBytes } from "node:crypto";
import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { iso, now, plain } from "../../db/time.js";
import { type ErrorField, fail } from "../../http/errors.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import {
  casesUsing,
  findSharedStep,
  insertSharedStep,
  listSharedSteps,
  type SharedStepRow,
  updateSharedStep,
} from "./shared-steps.repository.js";

/** A step as written by clients. */
interface StepIn {
  hash?: string | null | undefined;
  action: string;
  expected_result?: string | null | undefined;
  data?: string | null | undefined;
  attachments?: string[] | null | undefined;
  steps?: unknown[] | null | undefined;
}

/** How steps are kept in shared_steps.steps. */
interface StoredStep {
  hash: string;
  action: string;
  expected_result: string | null;
  data: string | null;
  attachments: string[];
  steps: StoredStep[];
}

export interface SharedStepInput {
  title?: string | undefined;
  action?: string | null | undefined;
  expected_result?: string | null | undefined;
  data?: string | null | undefined;
  /** Validated by the route schema as StepIn objects (recursive schemas type as unknown). */
  steps?: unknown[] | null | undefined;
}

function parseSteps(text: string): StoredStep[] {
  try {
    return JSON.parse(text) as StoredStep[];
  } catch {
    return [];
  }
}

interface StepOut {
  data: string;
  hash: string;
  action: string;
  expected_result: string;
  attachments: { hash: string }[];
  steps: StepOut[];
}

function stepOut(s: StoredStep): StepOut {
  return {
    // Qase's spec has strings here, never null: a step without them answers "".
    data: s.data ?? "",
    hash: s.hash,
    action: s.action,
    expected_result: s.expected_result ?? "",
    attachments: s.attachments.map((hash) => ({ hash })),
    steps: s.steps.map(stepOut),
  };
}

export function presentSharedStep(row: SharedStepRow, cases: number[]) {
  const steps = parseSteps(row.steps);
  const first = steps[0];
  const created = Number(row.created_at);
  const updated = Number(row.updated_at);
  return {
    hash: row.hash,
    title: row.title,
    // Deprecated single-step fields: the first step, as older clients read them.
    action: first?.action ?? "",
    expected_result: first?.expected_result ?? "",
    steps: steps.map(stepOut),
    data: first?.data ?? "",
    cases,
    cases_count: cases.length,
    created: plain(created),
    updated: plain(updated),
    created_at: iso(created) ?? "",
    updated_at: iso(updated) ?? "",
  };
}

/** Steps as stored: actions required, each with a hash (kept when given, else derived from content). */
function normaliseSteps(
  steps: StepIn[],
  owner: string,
  path: string,
  errors: ErrorField[],
  seen: Set<string>,
): StoredStep[] {
  return steps.map((s, i) => {
    const field = `${path}.${i}`;
    const action = s.action.trim();
    if (action === "") errors.push({ field: `${field}.action`, error: "must not be blank" });
    const step: StoredStep = {
      hash: "",
      action,
      expected_result: s.expected_result ?? null,
      data: s.data ?? null,
      attachments: [...new Set(s.attachments ?? [])],
      steps: normaliseSteps((s.steps ?? []) as StepIn[], owner, `${field}.steps`, errors, seen),
    };
    step.hash =
      s.hash ??
      createHash("sha1")
        .update(JSON.stringify([owner, field, step.action, step.expected_result, step.data]))
        .digest("hex");
    if (seen.has(step.hash)) errors.push({ field: `${field}.hash`, error: "step hashes must be unique" });
    seen.add(step.hash);
    return step;
  });
}

/** The stored steps of a write, or undefined when the write leaves them alone. */
function stepsOf(input: SharedStepInput, owner: string, errors: ErrorField[]): StoredStep[] | undefined {
  let given: StepIn[] | undefined;
  if (input.steps !== undefined && input.steps !== null) given = input.steps as StepIn[];
  else if (input.action !== undefined && input.action !== null) {
    given = [{ action: input.action, expected_result: input.expected_result, data: input.data }];
  }
  if (given === undefined) return undefined;
  const steps = normaliseSteps(given, owner, "steps", errors, new Set());
  if (steps.length === 0) errors.push({ field: "steps", error: "a shared step needs at least one step" });
  return steps;
}

/** 404 for a shared step that never existed, 410 for a deleted one. */
async function liveSharedStep(db: Db, project: ProjectRow, hash: string): Promise<SharedStepRow> {
  const row = await findSharedStep(db, project.id, hash);
  if (!row) throw fail.notFound(`Shared step ${hash}`);
  if (row.deleted_at !== null) throw fail.gone(`Shared step ${hash}`);
  return row;
}

export async function listSharedStepsPage(
  ctx: AppContext,
  project: ProjectRow,
  search: string | undefined,
  limit: number,
  offset: number,
) {
  const r = await listSharedSteps(ctx.db, project.id, search, limit, offset);
  const users = await casesUsing(
    ctx.db,
    project.id,
    r.rows.map((s) => s.hash),
  );
  return {
    entities: r.rows.map((s) => presentSharedStep(s, users.get(s.hash) ?? [])),
    total: r.total,
    filtered: r.filtered,
  };
}

export async function getSharedStep(ctx: AppContext, project: ProjectRow, hash: string) {
  const row = await liveSharedStep(ctx.db, project, hash);
  return presentSharedStep(row, (await casesUsing(ctx.db, project.id, [hash])).get(hash) ?? []);
}

export async function createSharedStep(
  ctx: AppContext,
  project: ProjectRow,
  input: SharedStepInput & { title: string },
): Promise<string> {
  const errors: ErrorField[] = [];
  const title = input.title.trim();
  if (title === "") errors.push({ field: "title", error: "must not be blank" });
  const hash = randomBytes(20).toString("hex");
  const steps = stepsOf(input, hash, errors);
  if (steps === undefined) errors.push({ field: "steps", error: "a shared step needs at least one step" });
  if (errors.length > 0) throw fail.invalidMany(errors);
  const at = now();
  await insertSharedStep(ctx.db, {
    project_id: project.id,
    hash,
    title,
    steps: JSON.stringify(steps ?? []),
    created_at: at,
    updated_at: at,
    deleted_at: null,
  });
  return hash;
}

export async function editSharedStep(
  ctx: AppContext,
  project: ProjectRow,
  hash: string,
  input: SharedStepInput,
) {
  const errors: ErrorField[] = [];
  const patch: Partial<SharedStepRow> = {};
  if (input.title !== undefined) {
    patch.title = input.title.trim();
    if (patch.title === "") errors.push({ field: "title", error: "must not be blank" });
  }
  const steps = stepsOf(input, hash, errors);
  if (steps !== undefined) patch.steps = JSON.stringify(steps);
  if (errors.length > 0) throw fail.invalidMany(errors);
  await ctx.db.transaction().execute(async (tx) => {
    await liveSharedStep(tx, project, hash);
    await updateSharedStep(tx, project.id, hash, { ...patch, updated_at: now() });
  });
}

/** Soft delete: 410 from now on and new case writes may no longer use it; cases using it keep their steps. */
export async function removeSharedStep(ctx: AppContext, project: ProjectRow, hash: string) {
  await ctx.db.transaction().execute(async (tx) => {
    await liveSharedStep(tx, project, hash);
    const at = now();
    await updateSharedStep(tx, project.id, hash, { deleted_at: at, updated_at: at });
  });
}
