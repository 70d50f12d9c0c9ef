import type { AppContext } from "../../context.js";
import { now } from "../../db/time.js";
import { ApiError, fail } from "../../http/errors.js";
import type { Principal } from "../../http/principal.js";
import { type AsideFile, purgeProjectFiles, settleFiles } from "../attachments/attachment-release.js";
import { record } from "../audit/audit.service.js";
import { findUserById } from "../users/users.repository.js";
import { countProjectEntities } from "./counts.repository.js";
import { countProjectMembers, listProjectMemberRows } from "./members.repository.js";
import {
  addProjectMember,
  countVisibleProjects,
  findProjectByCode,
  insertProject,
  isProjectMember,
  listVisibleProjects,
  markProjectDeleted,
  type ProjectRow,
  type ProjectVisibility,
  purgeProject,
  removeProjectMember,
  updateProjectRow,
} from "./projects.repository.js";

export const PROJECT_ACCESS = ["all", "group", "none"] as const;
const CODE_PATTERN = /^[a-zA-Z]{2,10}$/;

function seesAllProjects(p: Principal): boolean {
  return p.user.role === "owner" || p.user.role === "admin";
}

export function visibilityOf(p: Principal): ProjectVisibility {
  return { userId: p.user.id, seesAll: seesAllProjects(p), codes: p.token?.projects ?? null };
}

const projectKey = (upper: string) => `project:${upper}`;
const memberKey = (project: ProjectRow, p: Principal) => `member:${project.id}:${p.user.id}`;

/**
 * The rules of project access, on facts already looked up: the project (undefined: none by that code)
 * and, when asked for ("member?"), whether the caller is a member. Returns the project or the error.
 */
function projectVerdict(
  p: Principal,
  code: string,
  project: ProjectRow | undefined,
  isMember?: boolean,
): ProjectRow | ApiError | "member?" {
  const upper = code.toUpperCase();
  if (p.token?.projects && !p.token.projects.includes(upper)) {
    return fail.forbidden(`This token is restricted to other projects than ${upper}`);
  }
  // A deleted project reads as one that never existed (404), as on Qase: its code is free to take again.
  if (!project || project.deleted_at !== null) return fail.notFound(`Project "${code}"`);
  if (seesAllProjects(p) || project.access === "all") return project;
  if (isMember === undefined) return "member?";
  return isMember ? project : fail.forbidden(`You have no access to project ${project.code}`);
}

/**
 * The project a project-scoped route acts on, or the error the caller must get: 404 never existed or
 * deleted, 403 outside the token's projects or a closed project the user is not a member of.
 */
export async function projectForRequest(ctx: AppContext, p: Principal, code: string): Promise<ProjectRow> {
  const upper = code.toUpperCase();
  const project = await ctx.cache.get(projectKey(upper), () => findProjectByCode(ctx.db, upper));
  let verdict = projectVerdict(p, code, project);
  if (verdict === "member?" && project) {
    const member = await ctx.cache.get(memberKey(project, p), () =>
      isProjectMember(ctx.db, project.id, p.user.id),
    );
    verdict = projectVerdict(p, code, project, member);
  }
  if (verdict instanceof ApiError || verdict === "member?") throw verdict;
  return verdict;
}

/**
 * The same answer as projectForRequest, synchronously, when the read cache keeps every fact it needs;
 * undefined otherwise, and the caller then asks projectForRequest.
 */
export function keptProjectForRequest(ctx: AppContext, p: Principal, code: string): ProjectRow | undefined {
  const project = ctx.cache.peek<ProjectRow>(projectKey(code.toUpperCase()));
  if (!project) return undefined;
  let verdict = projectVerdict(p, code, project);
  if (verdict === "member?") {
    const member = ctx.cache.peek<boolean>(memberKey(project, p));
    if (member === undefined) return undefined;
    verdict = projectVerdict(p, code, project, member);
  }
  if (verdict instanceof ApiError || verdict === "member?") throw verdict;
  return verdict;
}

export async function listProjects(ctx: AppContext, p: Principal, limit: number, offset: number) {
  const v = visibilityOf(p);
  const [rows, total] = await Promise.all([
    listVisibleProjects(ctx.db, v, limit, offset),
    countVisibleProjects(ctx.db, v),
  ]);
  return { rows, total };
}

export interface CreateProjectInput {
  title: string;
  code: string;
  description?: string | null | undefined;
  access?: string | undefined;
  group?: string | null | undefined;
  settings?: Record<string, unknown> | undefined;
}

export async function createProject(
  ctx: AppContext,
  p: Principal,
  input: CreateProjectInput,
): Promise<ProjectRow> {
  const errors: { field: string; error: string }[] = [];
  if (!CODE_PATTERN.test(input.code)) errors.push({ field: "code", error: "must be 2 to 10 Latin letters" });
  const title = input.title.trim();
  if (title.length === 0 || title.length > 255)
    errors.push({ field: "title", error: "must be 1 to 255 characters" });
  const access = input.access ?? "all";
  if (!(PROJECT_ACCESS as readonly string[]).includes(access)) {
    errors.push({ field: "access", error: "must be one of all, group, none" });
  }
  if (errors.length > 0) throw fail.invalidMany(errors);
  const code = input.code.toUpperCase();
  const at = now();
  // A deleted project's files that nothing else uses go with it, once the purge commits.
  const aside: AsideFile[] = [];
  const created = ctx.db.transaction().execute(async (tx) => {
    const existing = await findProjectByCode(tx, code);
    if (existing && existing.deleted_at === null) {
      throw fail.invalid("code", `a project with code ${code} already exists`);
    }
    if (existing) await purgeProjectFiles(ctx, tx, existing.id, () => purgeProject(tx, existing.id), aside);
    const project = await insertProject(tx, {
      code,
      title,
      description: input.description ?? null,
      access,
      settings: JSON.stringify(input.settings ?? {}),
      created_by: p.user.id,
      at,
    });
    await addProjectMember(tx, project.id, p.user.id, at);
    await record(tx, { action: "project.created", actor: p, target: { type: "project", id: code } });
    return project;
  });
  try {
    const project = await created;
    await settleFiles(ctx, aside, true);
    return project;
  } catch (err) {
    await settleFiles(ctx, aside, false);
    throw err;
  }
}

/** Stored settings as an object (a broken value reads as no settings rather than failing reads). */
export function parseSettings(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export interface ProjectUpdate {
  title?: string | undefined;
  description?: string | null | undefined;
  access?: "all" | "group" | "none" | undefined;
  settings?: { auto_create_cases?: boolean | undefined } | undefined;
}

/** Changes title, description, access or settings (merged into the stored ones); audited. */
export async function updateProject(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  input: ProjectUpdate,
): Promise<ProjectRow> {
  return ctx.db.transaction().execute(async (tx) => {
    const current = (await findProjectByCode(tx, project.code)) ?? project;
    const patch: Partial<ProjectRow> = { updated_at: now() };
    if (input.title !== undefined) {
      const title = input.title.trim();
      if (title === "") throw fail.invalid("title", "must not be blank");
      patch.title = title;
    }
    if (input.description !== undefined) patch.description = input.description;
    if (input.access !== undefined) patch.access = input.access;
    if (input.settings !== undefined) {
      const merged = { ...parseSettings(current.settings) };
      for (const [k, v] of Object.entries(input.settings)) if (v !== undefined) merged[k] = v;
      patch.settings = JSON.stringify(merged);
    }
    await updateProjectRow(tx, project.id, patch);
    await record(tx, {
      action: "project.updated",
      actor: p,
      target: { type: "project", id: project.code },
      details: { fields: Object.keys(input) },
    });
    return { ...current, ...patch };
  });
}

export async function deleteProject(ctx: AppContext, p: Principal, project: ProjectRow): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await markProjectDeleted(tx, project.id, now());
    await record(tx, { action: "project.deleted", actor: p, target: { type: "project", id: project.code } });
  });
}

export async function setProjectAccess(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  memberId: number,
  grant: boolean,
): Promise<void> {
  const user = await findUserById(ctx.db, memberId);
  if (!user) throw fail.invalid("member_id", `no user with id ${memberId}`);
  await ctx.db.transaction().execute(async (tx) => {
    if (grant) await addProjectMember(tx, project.id, memberId, now());
    else if (!(await removeProjectMember(tx, project.id, memberId))) {
      throw fail.invalid("member_id", `user ${memberId} is not a member of ${project.code}`);
    }
    await record(tx, {
      action: grant ? "project.access_granted" : "project.access_revoked",
      actor: p,
      target: { type: "project", id: project.code },
      details: { member_id: memberId },
    });
  });
}

/** Who was granted access to the project (what "group" and "none" projects open to non-admins). */
export async function listProjectMembers(
  ctx: AppContext,
  project: ProjectRow,
  limit: number,
  offset: number,
) {
  const [rows, total] = await Promise.all([
    listProjectMemberRows(ctx.db, project.id, limit, offset),
    countProjectMembers(ctx.db, project.id),
  ]);
  return { rows, total };
}

/** Entity counts of the project read model. */
export interface ProjectCounts {
  cases: number;
  suites: number;
  milestones: number;
  runs: { total: number; active: number };
  defects: { total: number; open: number };
}

export async function projectCounts(ctx: AppContext, project: ProjectRow): Promise<ProjectCounts> {
  const c = await ctx.cache.get(`counts:${project.id}`, () => countProjectEntities(ctx.db, project.id));
  return {
    cases: c.cases,
    suites: c.suites,
    milestones: c.milestones,
    runs: { total: c.runs, active: c.runs_active },
    defects: { total: c.defects, open: c.defects_open },
  };
}
