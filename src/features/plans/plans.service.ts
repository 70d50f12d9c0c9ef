import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { iso, now, plain } from "../../db/time.js";
import { type ErrorField, fail } from "../../http/errors.js";
import type { Principal } from "../../http/principal.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { allocateIds } from "../projects/sequences.repository.js";
import {
  countPlanCases,
  existingUserIds,
  findPlan,
  insertPlan,
  listPlans,
  liveCaseIds,
  type PlanCaseRow,
  type PlanRow,
  planCases,
  replacePlanCases,
  updatePlan,
} from "./plans.repository.js";

export interface Assignment {
  case_id: number;
  assignee_id: number | null;
}

export interface PlanInput {
  title?: string | undefined;
  description?: string | null | undefined;
  cases?: number[] | undefined;
  assignments?: Assignment[] | undefined;
}

function present(p: PlanRow, casesCount: number) {
  return {
    id: Number(p.id),
    title: p.title,
    description: p.description,
    cases_count: casesCount,
    created_at: iso(Number(p.created_at)) ?? "",
    updated_at: iso(Number(p.updated_at)) ?? "",
    created: plain(Number(p.created_at)),
    updated: plain(Number(p.updated_at)),
  };
}

/** 404 for a plan that never existed, 410 for a deleted one. */
async function livePlan(db: Db, project: ProjectRow, id: number): Promise<PlanRow> {
  const p = await findPlan(db, project.id, id);
  if (!p) throw fail.notFound(`Plan ${id}`);
  if (p.deleted_at !== null) throw fail.gone(`Plan ${id}`);
  return p;
}

function listIds(ids: number[]): string {
  const shown = ids.slice(0, 20).join(", ");
  return ids.length > 20 ? `${shown} and ${ids.length - 20} more` : shown;
}

/**
 * The plan's case list after a write: every case live in the project, assignees existing users and
 * assignments only for cases of the plan. `previous` keeps the assignees of cases that stay.
 */
async function resolveCases(
  db: Db,
  project: ProjectRow,
  caseIds: number[],
  assignments: Assignment[] | undefined,
  previous: PlanCaseRow[],
  errors: ErrorField[],
): Promise<PlanCaseRow[]> {
  const ids = [...new Set(caseIds)];
  const live = await liveCaseIds(db, project.id, ids);
  const unknown = ids.filter((id) => !live.has(id));
  if (unknown.length > 0) {
    errors.push({ field: "cases", error: `no such cases in ${project.code}: ${listIds(unknown)}` });
  }
  const assignee = new Map(previous.map((c) => [c.case_id, c.assignee_id]));
  if (assignments !== undefined) {
    const notInPlan = assignments.filter((a) => !ids.includes(a.case_id)).map((a) => a.case_id);
    if (notInPlan.length > 0) {
      errors.push({
        field: "assignments",
        error: `cases not in the plan: ${listIds([...new Set(notInPlan)])}`,
      });
    }
    const users = [...new Set(assignments.flatMap((a) => (a.assignee_id === null ? [] : [a.assignee_id])))];
    const known = await existingUserIds(db, users);
    const missing = users.filter((u) => !known.has(u));
    if (missing.length > 0)
      errors.push({ field: "assignments", error: `no such users: ${listIds(missing)}` });
    for (const a of assignments) assignee.set(a.case_id, a.assignee_id);
  }
  return ids
    .sort((a, b) => a - b)
    .map((case_id) => ({ case_id, assignee_id: assignee.get(case_id) ?? null }));
}

function cleanTitle(title: string, errors: ErrorField[]): string {
  const t = title.trim();
  if (t === "") errors.push({ field: "title", error: "must not be blank" });
  return t;
}

export async function listPlansPage(ctx: AppContext, project: ProjectRow, limit: number, offset: number) {
  const { rows, total } = await listPlans(ctx.db, project.id, limit, offset);
  const counts = await countPlanCases(
    ctx.db,
    project.id,
    rows.map((r) => Number(r.id)),
  );
  return { entities: rows.map((r) => present(r, counts.get(Number(r.id)) ?? 0)), total };
}

export async function getPlan(ctx: AppContext, project: ProjectRow, id: number) {
  const plan = await livePlan(ctx.db, project, id);
  const cases = await planCases(ctx.db, project.id, id);
  // Average execution time of the plan's cases over their results: the results of runs are not
  // stored by this server yet, so there is nothing to average and the plan takes no time so far.
  return { ...present(plan, cases.length), average_time: 0, cases };
}

export async function createPlan(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  input: PlanInput & { title: string; cases: number[] },
): Promise<number> {
  return ctx.db.transaction().execute(async (tx) => {
    const errors: ErrorField[] = [];
    const title = cleanTitle(input.title, errors);
    const cases = await resolveCases(tx, project, input.cases, input.assignments, [], errors);
    if (errors.length > 0) throw fail.invalidMany(errors);
    const at = now();
    const id = await allocateIds(tx, project.id, "plan");
    await insertPlan(tx, {
      project_id: project.id,
      id,
      title,
      description: input.description ?? null,
      author_id: p.user.id,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    });
    await replacePlanCases(tx, project.id, id, cases);
    return id;
  });
}

export async function editPlan(ctx: AppContext, project: ProjectRow, id: number, input: PlanInput) {
  await ctx.db.transaction().execute(async (tx) => {
    await livePlan(tx, project, id);
    const errors: ErrorField[] = [];
    const patch: Partial<PlanRow> = {};
    if (input.title !== undefined) patch.title = cleanTitle(input.title, errors);
    if (input.description !== undefined) patch.description = input.description;
    let cases: PlanCaseRow[] | undefined;
    if (input.cases !== undefined || input.assignments !== undefined) {
      const previous = await planCases(tx, project.id, id);
      const ids = input.cases ?? previous.map((c) => c.case_id);
      cases = await resolveCases(tx, project, ids, input.assignments, previous, errors);
    }
    if (errors.length > 0) throw fail.invalidMany(errors);
    await updatePlan(tx, project.id, id, { ...patch, updated_at: now() });
    if (cases !== undefined) await replacePlanCases(tx, project.id, id, cases);
  });
}

export async function removePlan(ctx: AppContext, project: ProjectRow, id: number) {
  await ctx.db.transaction().execute(async (tx) => {
    await livePlan(tx, project, id);
    const at = now();
    await updatePlan(tx, project.id, id, { deleted_at: at, updated_at: at });
  });
}
