import { randomBytes } from "node:crypto";
import type { Static } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { now } from "../../db/time.js";
import { type ErrorField, fail } from "../../http/errors.js";
import { parseTime } from "../../http/parse-time.js";
import type { Principal } from "../../http/principal.js";
import { ensureTags, existingUserIds, liveIds } from "../cases/cases.repository.js";
import { existingConfigurationIds } from "../configurations/configurations.repository.js";
import {
  parseValueMap,
  resolveCustomFieldValues,
  type ValueMap,
} from "../custom-fields/custom-field-values.js";
import { findEnvironmentById, findEnvironmentBySlug } from "../environments/environments.repository.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { allocateIds } from "../projects/sequences.repository.js";
import { listEntries, titlesAtVersions } from "./entries.repository.js";
import { entryKey } from "./entry-key.js";
import { currentSuitesOfCases } from "./run-suites.repository.js";
import {
  presentRuns,
  publicUrl,
  RUN_ABORTED,
  RUN_COMPLETED,
  RUN_IN_PROGRESS,
  type RunOut,
} from "./runs.present.js";
import {
  caseVersionsOf,
  findRun,
  findRunByBuild,
  findRunLocked,
  insertEntries,
  insertRun,
  listRuns,
  planCaseIds,
  type RunFilter,
  type RunRow,
  updateRun,
} from "./runs.repository.js";
import type { RunCreateBody, RunExternalIssueBody, RunUpdateBody } from "./runs.schemas.js";

type RunCreate = Static<typeof RunCreateBody>;
type RunUpdate = Static<typeof RunUpdateBody>;

/** 404 for a run that never existed, 410 for a deleted one. `lock`: see findRunLocked. */
export async function liveRun(
  db: Db,
  project: ProjectRow,
  id: number,
  lock?: "key share" | "update",
): Promise<RunRow> {
  const run = await (lock ? findRunLocked(db, project.id, id, lock) : findRun(db, project.id, id));
  if (!run) throw fail.notFound(`Run ${project.code}-${id}`);
  if (run.deleted_at !== null) throw fail.gone(`Run ${project.code}-${id}`);
  return run;
}

function timeField(
  name: string,
  v: string | null | undefined,
  errors: ErrorField[],
): number | null | undefined {
  if (v === undefined || v === null) return v;
  const ms = parseTime(v);
  if (ms === undefined) errors.push({ field: name, error: 'use "YYYY-MM-DD HH:MM:SS" (UTC) or ISO 8601' });
  return ms;
}

/**
 * The custom field values a run write stores (JSON text), checked against the project's run fields.
 * Run create and update both send Qase's full map: it replaces the stored one and must hold every
 * required field. Undefined when an update leaves the values alone.
 */
async function runFieldValues(
  tx: Db,
  project: ProjectRow,
  given: ValueMap | undefined,
  errors: ErrorField[],
): Promise<string | undefined> {
  const r = await resolveCustomFieldValues(tx, project.id, "run", [{ prefix: "", given, full: true }]);
  errors.push(...r.errors);
  return r.values[0];
}

/** Environment by id or slug (the slug wins when both are given, as reporters send only the slug). */
async function environmentId(
  db: Db,
  project: ProjectRow,
  id: number | null | undefined,
  slug: string | null | undefined,
  errors: ErrorField[],
): Promise<number | null | undefined> {
  if (slug) {
    const env = await findEnvironmentBySlug(db, project.id, slug);
    if (!env)
      errors.push({ field: "environment_slug", error: `no environment with slug "${slug}" in this project` });
    return env?.id;
  }
  if (id === undefined || id === null) return id;
  const env = await findEnvironmentById(db, project.id, id);
  if (!env || env.deleted_at !== null)
    errors.push({ field: "environment_id", error: `environment ${id} does not exist in this project` });
  return id;
}

async function commonRefs(
  tx: Db,
  project: ProjectRow,
  input: { milestone_id?: number | null | undefined; configurations?: number[] | null | undefined },
  errors: ErrorField[],
) {
  if (typeof input.milestone_id === "number") {
    const ok = await liveIds(tx, "milestones", project.id, [input.milestone_id]);
    if (!ok.has(input.milestone_id))
      errors.push({
        field: "milestone_id",
        error: `milestone ${input.milestone_id} does not exist in this project`,
      });
  }
  const configs = input.configurations ?? [];
  const known = await existingConfigurationIds(tx, project.id, configs);
  const unknown = configs.filter((c) => !known.has(c));
  if (unknown.length > 0)
    errors.push({ field: "configurations", error: `unknown configuration ids: ${unknown.join(", ")}` });
}

async function tagsJson(tx: Db, titles: string[] | null | undefined, at: number): Promise<string> {
  const unique = [...new Set((titles ?? []).map((t) => t.trim()).filter((t) => t !== ""))];
  const ids = await ensureTags(tx, unique, at);
  return JSON.stringify(unique.map((title) => ({ title, internal_id: ids.get(title) ?? 0 })));
}

/** Marker thrown to roll back a create that lost a build_id race: the other writer's run is returned. */
class BuildTaken extends Error {}

/**
 * Creates a run and pins the current version of each of its cases. With a build_id that already has a
 * run, returns that run's id instead (shards of one CI build report into one run).
 */
export async function createRun(ctx: AppContext, p: Principal, project: ProjectRow, input: RunCreate) {
  if (input.build_id) {
    const existing = await findRunByBuild(ctx.db, project.id, input.build_id);
    if (existing && existing.deleted_at === null) return { id: existing.id, created: false };
  }
  if (input.is_cloud) throw fail.invalid("is_cloud", "cloud runs are not available on a self-hosted server");
  const errors: ErrorField[] = [];
  const start = timeField("start_time", input.start_time, errors);
  const end = timeField("end_time", input.end_time, errors);
  const given = parseValueMap(input.custom_field, "", errors) ?? {};
  if (errors.length > 0) throw fail.invalidMany(errors);
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const custom = (await runFieldValues(tx, project, given, errors)) ?? "{}";
      const envId = await environmentId(tx, project, input.environment_id, input.environment_slug, errors);
      await commonRefs(tx, project, input, errors);
      if (
        typeof input.author_id === "number" &&
        !(await existingUserIds(tx, [input.author_id])).has(input.author_id)
      )
        errors.push({ field: "author_id", error: `user ${input.author_id} does not exist` });
      let wanted: number[] | "all" = input.include_all_cases ? "all" : [...new Set(input.cases ?? [])];
      if (typeof input.plan_id === "number") {
        const planCases = await planCaseIds(tx, project.id, input.plan_id);
        if (planCases === undefined)
          errors.push({ field: "plan_id", error: `plan ${input.plan_id} does not exist in this project` });
        else if (wanted !== "all") wanted = [...new Set([...wanted, ...planCases])];
      }
      const cases = await caseVersionsOf(tx, project.id, wanted);
      if (wanted !== "all" && cases.length !== wanted.length) {
        const found = new Set(cases.map((c) => c.id));
        const missing = wanted.filter((id) => !found.has(id));
        errors.push({
          field: "cases",
          error: `unknown or deleted case ids: ${missing.slice(0, 50).join(", ")}`,
        });
      }
      if (errors.length > 0) throw fail.invalidMany(errors);

      const at = now();
      const tags = await tagsJson(tx, input.tags, at);
      const id = await allocateIds(tx, project.id, "run");
      const inserted = await insertRun(tx, {
        project_id: project.id,
        id,
        title: input.title.trim() || "Untitled run",
        description: input.description ?? null,
        status: RUN_IN_PROGRESS,
        is_autotest: input.is_autotest ? 1 : 0,
        environment_id: envId ?? null,
        milestone_id: input.milestone_id ?? null,
        plan_id: input.plan_id ?? null,
        author_id: input.author_id ?? p.user.id,
        tags,
        configurations: JSON.stringify([...new Set(input.configurations ?? [])]),
        custom_fields: custom,
        build_id: input.build_id ?? null,
        client: null,
        public_hash: null,
        external_issue: null,
        start_time: start ?? at,
        end_time: end ?? null,
        created_at: at,
        updated_at: at,
        deleted_at: null,
      });
      if (!inserted) throw new BuildTaken();
      await insertEntries(
        tx,
        cases.map((c) => ({
          project_id: project.id,
          run_id: id,
          entry_key: entryKey(c.id, {}),
          case_id: c.id,
          case_version: c.version,
          title: c.title,
          params: null,
          status: null,
          last_result_hash: null,
          attempts: 0,
          failed_attempts: 0,
          marked_flaky: 0,
          muted: 0,
          updated_at: at,
        })),
      );
      return { id, created: true };
    });
  } catch (e) {
    if (!(e instanceof BuildTaken) || !input.build_id) throw e;
    const existing = await findRunByBuild(ctx.db, project.id, input.build_id);
    if (!existing) throw e;
    return { id: existing.id, created: false };
  }
}

const STATUS_FILTERS: Record<string, { status: number; failed?: boolean }[]> = {
  in_progress: [{ status: RUN_IN_PROGRESS }],
  active: [{ status: RUN_IN_PROGRESS }],
  passed: [{ status: RUN_COMPLETED, failed: false }],
  failed: [{ status: RUN_COMPLETED, failed: true }],
  complete: [{ status: RUN_COMPLETED }],
  aborted: [{ status: RUN_ABORTED }],
  abort: [{ status: RUN_ABORTED }],
};

export function runStatusFilter(text: string | undefined) {
  if (text === undefined || text.trim() === "") return undefined;
  const out: { status: number; failed?: boolean }[] = [];
  for (const part of text.split(",")) {
    const wanted = STATUS_FILTERS[part.trim()];
    if (!wanted)
      throw fail.invalid(
        "status",
        `unknown run status "${part.trim()}"; use in_progress, passed, failed or aborted`,
      );
    out.push(...wanted);
  }
  return out;
}

export async function listRunsPage(
  ctx: AppContext,
  project: ProjectRow,
  filter: RunFilter,
  includeCases: boolean,
  limit: number,
  offset: number,
) {
  const r = await listRuns(ctx.db, project.id, filter, limit, offset);
  const entities = await presentRuns(ctx.db, project, r.rows, { includeCases });
  return { entities, total: r.total, filtered: r.filtered };
}

export async function getRun(
  ctx: AppContext,
  project: ProjectRow,
  id: number,
  includeCases: boolean,
): Promise<RunOut> {
  const run = await liveRun(ctx.db, project, id);
  const [out] = await presentRuns(ctx.db, project, [run], { includeCases });
  if (!out) throw fail.notFound(`Run ${project.code}-${id}`);
  return out;
}

export async function editRun(ctx: AppContext, project: ProjectRow, id: number, input: RunUpdate) {
  const errors: ErrorField[] = [];
  const given = parseValueMap(input.custom_field, "", errors);
  if (errors.length > 0) throw fail.invalidMany(errors);
  await ctx.db.transaction().execute(async (tx) => {
    await liveRun(tx, project, id);
    const custom = given === undefined ? undefined : await runFieldValues(tx, project, given, errors);
    const envId = await environmentId(tx, project, input.environment_id, input.environment_slug, errors);
    await commonRefs(tx, project, input, errors);
    if (errors.length > 0) throw fail.invalidMany(errors);
    const at = now();
    const patch: Partial<RunRow> = { updated_at: at };
    if (input.title !== undefined) patch.title = input.title.trim() || "Untitled run";
    if (input.description !== undefined) patch.description = input.description;
    if (input.environment_slug !== undefined || input.environment_id !== undefined)
      patch.environment_id = envId ?? null;
    if (input.milestone_id !== undefined) patch.milestone_id = input.milestone_id;
    if (input.tags !== undefined) patch.tags = await tagsJson(tx, input.tags, at);
    if (input.configurations !== undefined)
      patch.configurations = JSON.stringify([...new Set(input.configurations ?? [])]);
    if (custom !== undefined) patch.custom_fields = custom;
    await updateRun(tx, project.id, id, patch);
  });
}

export async function deleteRun(ctx: AppContext, project: ProjectRow, id: number) {
  await ctx.db.transaction().execute(async (tx) => {
    await liveRun(tx, project, id, "update");
    const at = now();
    // A deleted run frees its build id, so the same build can report into a fresh run.
    await updateRun(tx, project.id, id, { deleted_at: at, updated_at: at, build_id: null });
  });
}

/** Completes a run (idempotent: completing a completed run changes nothing). */
export async function completeRun(ctx: AppContext, project: ProjectRow, id: number) {
  await ctx.db.transaction().execute(async (tx) => {
    // Waits for the batches in flight; those that come after read the run completed.
    const run = await liveRun(tx, project, id, "update");
    if (run.status === RUN_COMPLETED) return;
    const at = now();
    // Results that carry times end the run at the last one's end, not when it was marked complete.
    await updateRun(tx, project.id, id, {
      status: RUN_COMPLETED,
      end_time: run.results_end ?? at,
      updated_at: at,
    });
  });
}

/** Turns the public link on (a fresh unguessable hash) or off; returns the link or null. */
export async function setRunPublic(
  ctx: AppContext,
  project: ProjectRow,
  id: number,
  on: boolean,
  base: string,
) {
  return ctx.db.transaction().execute(async (tx) => {
    const run = await liveRun(tx, project, id);
    const hash = on ? (run.public_hash ?? randomBytes(24).toString("base64url")) : null;
    await updateRun(tx, project.id, id, { public_hash: hash, updated_at: now() });
    return publicUrl(base, project, { ...run, public_hash: hash });
  });
}

export async function linkRunExternalIssues(
  ctx: AppContext,
  project: ProjectRow,
  body: Static<typeof RunExternalIssueBody>,
) {
  await ctx.db.transaction().execute(async (tx) => {
    for (const link of body.links) {
      await liveRun(tx, project, link.run_id);
      const issue = link.external_issue
        ? JSON.stringify({ type: body.type, link: link.external_issue })
        : null;
      await updateRun(tx, project.id, link.run_id, { external_issue: issue, updated_at: now() });
    }
  });
}

/** A run's entries: each case at the version the run pinned, its current status and attempts. */
export async function listRunEntries(
  ctx: AppContext,
  project: ProjectRow,
  runId: number,
  status: string | undefined,
  limit: number,
  offset: number,
) {
  await liveRun(ctx.db, project, runId);
  const statuses = status
    ?.split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "")
    .map((s) => (s === "untested" ? null : s));
  const r = await listEntries(
    ctx.db,
    project.id,
    runId,
    statuses && statuses.length > 0 ? statuses : undefined,
    limit,
    offset,
  );
  const [titles, suiteOf] = await Promise.all([
    titlesAtVersions(
      ctx.db,
      project.id,
      r.rows.flatMap((e) =>
        e.case_id !== null && e.case_version !== null ? [{ caseId: e.case_id, version: e.case_version }] : [],
      ),
    ),
    currentSuitesOfCases(
      ctx.db,
      project.id,
      r.rows.flatMap((e) => (e.case_id === null ? [] : [e.case_id])),
    ),
  ]);
  const entities = r.rows.map((e) => ({
    case_id: e.case_id,
    case_version: e.case_version,
    title: titles.get(`${e.case_id}:${e.case_version}`) ?? e.title,
    params: e.params === null ? {} : (JSON.parse(e.params) as Record<string, string>),
    status: e.status,
    attempts: e.attempts,
    is_flaky: e.marked_flaky === 1 || (e.status === "passed" && e.failed_attempts > 0),
    muted: e.muted === 1,
    last_result_hash: e.last_result_hash,
    suite_id: e.case_id === null ? null : (suiteOf.get(e.case_id) ?? null),
  }));
  return { entities, total: r.total, filtered: r.filtered };
}
