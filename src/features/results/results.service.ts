import type { Static } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { now } from "../../db/time.js";
import { type ErrorField, fail } from "../../http/errors.js";
import { parseTime } from "../../http/parse-time.js";
import type { Principal } from "../../http/principal.js";
import { MAX_ROW_ID, MAX_UNIX_SECONDS } from "../../http/schema-bounds.js";
import { attachmentRefErrors, stepAttachmentRefs } from "../attachments/attachment-check.js";
import { createDefectForResult } from "../defects/defects.service.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { liveRun } from "../runs/runs.service.js";
import { fromV1, isFailing, normaliseStatus } from "./results.incoming.js";
import { presentResults } from "./results.present.js";
import {
  addToRunTotals,
  findResult,
  findResultForUpdate,
  listResults,
  type ResultFilter,
  type ResultRow,
  recomputeEntry,
  updateResultRow,
} from "./results.repository.js";
import type { V1ResultUpdate } from "./results.schemas.js";

/**
 * A live result of a live run; 404 when it never existed, 410 when it (or its run) was deleted. `lock`
 * (inside a writing transaction) row-locks it until the transaction ends.
 */
async function liveResult(
  db: Db,
  project: ProjectRow,
  hash: string,
  runId?: number,
  lock = false,
): Promise<ResultRow> {
  const r = await (lock ? findResultForUpdate : findResult)(db, project.id, hash);
  if (!r || (runId !== undefined && r.run_id !== runId)) throw fail.notFound(`Result ${hash}`);
  if (r.deleted_at !== null) throw fail.gone(`Result ${hash}`);
  await liveRun(db, project, r.run_id);
  return r;
}

export async function getResult(ctx: AppContext, project: ProjectRow, hash: string, base: string) {
  const r = await liveResult(ctx.db, project, hash);
  const [out] = await presentResults(ctx.db, project.id, [r], base);
  if (!out) throw fail.notFound(`Result ${hash}`);
  return out;
}

function ints(name: string, text: string | undefined): number[] | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const parts = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  // Past the id range the query itself would fail on PostgreSQL; an empty list ("," alone) names nothing.
  if (parts.length === 0 || parts.some((s) => !/^\d{1,10}$/.test(s) || Number(s) > MAX_ROW_ID))
    throw fail.invalid(name, `use a comma-separated list of ids up to ${MAX_ROW_ID}`);
  return parts.map(Number);
}

function endTime(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const seconds = /^\d+$/.test(text) ? Number(text) : undefined;
  const ms =
    seconds === undefined ? parseTime(text) : seconds <= MAX_UNIX_SECONDS ? seconds * 1000 : undefined;
  if (ms === undefined)
    throw fail.invalid(name, 'use "YYYY-MM-DD HH:MM:SS" (UTC) or unix seconds up to year 9999');
  return ms;
}

export function resultFilter(q: {
  status?: string | undefined;
  run?: string | undefined;
  case_id?: string | undefined;
  member?: string | undefined;
  api?: boolean | undefined;
  from_end_time?: string | undefined;
  to_end_time?: string | undefined;
}): ResultFilter {
  const statuses = q.status
    ?.split(",")
    .map((s) => normaliseStatus(s))
    .filter((s) => s !== "");
  return {
    statuses: statuses && statuses.length > 0 ? statuses : undefined,
    runs: ints("run", q.run),
    caseIds: ints("case_id", q.case_id),
    members: ints("member", q.member),
    api: q.api,
    fromEnd: endTime("from_end_time", q.from_end_time),
    toEnd: endTime("to_end_time", q.to_end_time),
  };
}

export async function listResultsPage(
  ctx: AppContext,
  project: ProjectRow,
  filter: ResultFilter,
  limit: number,
  offset: number,
  base: string,
) {
  const r = await listResults(ctx.db, project.id, filter, limit, offset);
  return {
    entities: await presentResults(ctx.db, project.id, r.rows, base),
    total: r.total,
    filtered: r.filtered,
  };
}

/** Edits a result in place (status, time, comment, stacktrace, steps, attachments); the run entry follows. */
export async function editResult(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  runId: number,
  hash: string,
  input: Static<typeof V1ResultUpdate>,
) {
  await ctx.db.transaction().execute(async (tx) => {
    const r = await liveResult(tx, project, hash, runId, true);
    const errors: ErrorField[] = [];
    // Reuse the create mapping for steps and attachments so both paths store the same shape.
    const mapped = fromV1(
      { status: input.status ?? r.status, case_id: r.case_id ?? 1, steps: input.steps ?? null },
      "",
      errors,
    );
    const refs = [{ field: "attachments", hashes: input.attachments ?? [] }];
    if (input.steps) stepAttachmentRefs(mapped.steps, "steps", refs);
    errors.push(...(await attachmentRefErrors(tx, project.id, refs)));
    if (errors.length > 0) throw fail.invalidMany(errors);
    const at = now();
    const patch: Partial<ResultRow> = { updated_at: at };
    if (input.status !== undefined) patch.status = normaliseStatus(input.status);
    if (input.time_ms !== undefined) patch.duration_ms = input.time_ms;
    if (input.comment !== undefined) patch.comment = input.comment;
    if (input.stacktrace !== undefined) patch.stacktrace = input.stacktrace;
    if (input.steps !== undefined) patch.steps = JSON.stringify(mapped.steps);
    if (input.attachments !== undefined) patch.attachments = JSON.stringify(input.attachments ?? []);
    await updateResultRow(tx, r.seq, patch);
    await recomputeEntry(tx, project.id, r.run_id, r.entry_key, at);
    if (patch.duration_ms !== undefined)
      await addToRunTotals(tx, project.id, r.run_id, 0, (patch.duration_ms ?? 0) - (r.duration_ms ?? 0));
    if (input.defect && isFailing(patch.status ?? r.status)) {
      await createDefectForResult(tx, project, {
        title: r.title ?? "Failed result",
        actualResult: (patch.comment ?? r.comment) || `Result ${r.hash} ${patch.status ?? r.status}`,
        authorId: p.user.id,
        runId: r.run_id,
        resultHash: r.hash,
      });
    }
  });
}

export async function deleteResult(ctx: AppContext, project: ProjectRow, runId: number, hash: string) {
  await ctx.db.transaction().execute(async (tx) => {
    const r = await liveResult(tx, project, hash, runId, true);
    const at = now();
    await updateResultRow(tx, r.seq, { deleted_at: at, updated_at: at });
    await recomputeEntry(tx, project.id, r.run_id, r.entry_key, at);
    await addToRunTotals(tx, project.id, r.run_id, -1, -(r.duration_ms ?? 0));
  });
}
