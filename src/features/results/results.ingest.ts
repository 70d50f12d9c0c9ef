import { randomBytes } from "node:crypto";
import type { Insertable } from "kysely";
import type { AppContext } from "../../context.js";
import type { RunEntriesTable } from "../../db/database.js";
import { now } from "../../db/time.js";
import { type ErrorField, fail } from "../../http/errors.js";
import type { Principal } from "../../http/principal.js";
import { attachmentRefErrors } from "../attachments/attachment-check.js";
import { createDefectForResult } from "../defects/defects.service.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { entryKey } from "../runs/entry-key.js";
import { widenRunSpan } from "../runs/run-span.repository.js";
import { RUN_COMPLETED } from "../runs/runs.present.js";
import { updateRun } from "../runs/runs.repository.js";
import { liveRun } from "../runs/runs.service.js";
import { matchCases } from "./case-matcher.js";
import { type IncomingResult, isFailing } from "./results.incoming.js";
import {
  addToRunTotals,
  entryAttempts,
  existingByIdem,
  insertResults,
  type NewResult,
  upsertEntries,
} from "./results.repository.js";

export interface Stored {
  hash: string;
  caseId: number | null;
}

/** New public result hashes: 40 hex characters each, as Qase's; one CSPRNG call for the batch. */
export function newResultHashes(n: number): string[] {
  const hex = randomBytes(20 * n).toString("hex");
  return Array.from({ length: n }, (_, i) => hex.slice(i * 40, i * 40 + 40));
}

/** Whether the project lets reporters create cases for results that match none (on by default). */
export function autoCreateCases(project: ProjectRow): boolean {
  try {
    const settings = JSON.parse(project.settings) as { auto_create_cases?: unknown };
    return settings.auto_create_cases !== false;
  } catch {
    return true;
  }
}

/** "reporter=playwright-qase-reporter;reporter_version=2.7.0;..." -> "playwright-qase-reporter 2.7.0". */
export function reporterOf(xClient: string | undefined): string | null {
  if (!xClient) return null;
  const parts = new Map(
    xClient.split(";").map((kv) => {
      const i = kv.indexOf("=");
      return [kv.slice(0, i).trim(), kv.slice(i + 1).trim()] as const;
    }),
  );
  const name = parts.get("reporter");
  if (!name) return null;
  return `${name}${parts.get("reporter_version") ? ` ${parts.get("reporter_version")}` : ""}`.slice(0, 200);
}

/**
 * Stores a batch of results in one run, all or nothing: results whose client id the run already holds
 * are skipped (a retried batch stores nothing twice), cases are matched or created, entries and their
 * counters updated, defects opened for failed results that ask for one. Returns one answer per input.
 */
export async function ingestResults(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  runId: number,
  incoming: IncomingResult[],
  opts: { client?: string | null } = {},
): Promise<Stored[]> {
  return ctx.db.transaction().execute(async (tx) => {
    // Side by side with other batches; a completion or deletion of the run waits for this one.
    const run = await liveRun(tx, project, runId, "key share");
    const at = now();

    // Idempotency: drop results the run already has, and repeats of one id within the batch.
    const keys = [...new Set(incoming.flatMap((r) => (r.idemKey ? [r.idemKey] : [])))];
    const known = await existingByIdem(tx, project.id, runId, keys, ctx.prepare);
    const answers: (Stored | undefined)[] = incoming.map((r) => {
      const k = r.idemKey ? known.get(r.idemKey) : undefined;
      return k ? { hash: k.hash, caseId: k.case_id } : undefined;
    });
    const seen = new Set<string>();
    const fresh: { r: IncomingResult; i: number }[] = [];
    for (const [i, r] of incoming.entries()) {
      if (answers[i]) continue;
      if (r.idemKey) {
        if (seen.has(r.idemKey)) continue;
        seen.add(r.idemKey);
      }
      fresh.push({ r, i });
    }
    if (fresh.length === 0) return fill(answers, incoming);
    if (run.status === RUN_COMPLETED)
      throw fail.invalid("run", `run ${project.code}-${runId} is completed; it takes no new results`);

    // One entry per result for its own and its steps' hashes, one query for the batch.
    const errors: ErrorField[] = await attachmentRefErrors(
      tx,
      project.id,
      fresh.map(({ r }) => ({ field: `${r.field}attachments`, hashes: attachmentsOf(r) })),
    );
    const matches = await matchCases(
      tx,
      ctx.dialect,
      project,
      fresh.map((f) => f.r),
      { autoCreate: autoCreateCases(project), authorId: p.user.id, at, prepare: ctx.prepare },
      errors,
    );
    if (errors.length > 0) throw fail.invalidMany(errors);

    const rows: (NewResult & { hash: string; entry_key: string })[] = [];
    const newHashes = newResultHashes(fresh.reduce((n, _, k) => n + (matches[k]?.length ?? 0), 0));
    const owners: number[] = [];
    for (const [n, { r, i }] of fresh.entries()) {
      const identity = r.signature ?? [...r.suitePath, r.title ?? ""].join("\u0000");
      // Serialised once per result (a result for several cases is stored once per case).
      const steps = r.steps.length === 0 ? "[]" : JSON.stringify(r.steps);
      const attachments = r.attachments.length === 0 ? "[]" : JSON.stringify(r.attachments);
      const params = isEmpty(r.params) ? "{}" : JSON.stringify(r.params);
      const paramGroups = r.paramGroups.length === 0 ? "[]" : JSON.stringify(r.paramGroups);
      const fields = isEmpty(r.fields) ? "{}" : JSON.stringify(r.fields);
      const suitePath = r.suitePath.length === 0 ? "[]" : JSON.stringify(r.suitePath);
      for (const [m, match] of (matches[n] ?? []).entries()) {
        rows.push({
          hash: newHashes[rows.length] as string,
          project_id: project.id,
          run_id: runId,
          entry_key: entryKey(match.caseId, r.params, identity),
          case_id: match.caseId,
          // A result for several cases is stored once per case; each copy needs its own key.
          idem_key: r.idemKey === null ? null : m === 0 ? r.idemKey : `${r.idemKey}#${match.caseId}`,
          status: r.status,
          title: r.title,
          signature: r.signature,
          comment: r.comment,
          stacktrace: r.stacktrace,
          error_context: r.errorContext,
          start_time: r.startTime,
          // A start and a duration tell the end; only a result that tells nothing ends when it arrives.
          end_time:
            r.endTime ?? (r.startTime !== null && r.durationMs !== null ? r.startTime + r.durationMs : at),
          duration_ms: r.durationMs,
          thread: r.thread,
          steps_type: r.stepsType,
          steps,
          attachments,
          params,
          param_groups: paramGroups,
          fields,
          suite_path: suitePath,
          is_api: r.isApi ? 1 : 0,
          attempt: 1,
          is_flaky: r.isFlaky ? 1 : 0,
          muted: r.muted ? 1 : 0,
          author_id: r.authorId ?? p.user.id,
          created_at: at,
          updated_at: at,
          deleted_at: null,
        });
        owners.push(i);
      }
    }

    // Attempt numbers continue the entry's count, so a retry of a test reads "attempt 2".
    const prior = await entryAttempts(
      tx,
      project.id,
      runId,
      [...new Set(rows.map((r) => r.entry_key))],
      ctx.prepare,
    );
    const counter = new Map(prior);
    for (const row of rows) {
      const n = (counter.get(row.entry_key) ?? 0) + 1;
      counter.set(row.entry_key, n);
      row.attempt = n;
    }
    const inserted = await insertResults(tx, rows, ctx.prepare);
    const stored = rows.filter((r) => inserted.has(r.hash));
    if (stored.length < rows.length) {
      // Another writer stored some of these client ids between our check and our insert: answer with theirs.
      const theirs = await existingByIdem(
        tx,
        project.id,
        runId,
        rows.filter((r) => !inserted.has(r.hash)).flatMap((r) => (r.idem_key ? [r.idem_key] : [])),
      );
      for (const row of rows)
        if (!inserted.has(row.hash) && row.idem_key) {
          const t = theirs.get(row.idem_key);
          if (t) row.hash = t.hash;
        }
    }
    await upsertEntries(tx, entriesOf(stored, matches, at), ctx.prepare);
    await addToRunTotals(
      tx,
      project.id,
      runId,
      stored.length,
      stored.reduce((ms, r) => ms + (r.duration_ms ?? 0), 0),
    );
    await widenRunSpan(tx, project.id, runId, stored);
    for (const [k, row] of rows.entries()) {
      const i = owners[k] as number;
      if (!answers[i]) answers[i] = { hash: row.hash, caseId: row.case_id ?? null };
    }

    for (const [k, row] of rows.entries()) {
      if (!inserted.has(row.hash) || !isFailing(row.status) || !incoming[owners[k] as number]?.defect)
        continue;
      await createDefectForResult(tx, project, {
        title: row.title ?? "Failed result",
        actualResult: row.comment ?? row.stacktrace?.slice(0, 10000) ?? `Result ${row.hash} ${row.status}`,
        authorId: p.user.id,
        runId,
        resultHash: row.hash,
      });
    }
    const client = opts.client ?? null;
    if (client && run.client === null) await updateRun(tx, project.id, runId, { client, updated_at: at });
    return fill(answers, incoming);
  });
}

function fill(answers: (Stored | undefined)[], incoming: IncomingResult[]): Stored[] {
  return incoming.map((_, i) => answers[i] ?? { hash: "", caseId: null });
}

/** The attachment hashes a result names, its own and its steps' (nested), in order. */
function attachmentsOf(r: IncomingResult): string[] {
  const out = r.attachments.length === 0 ? [] : [...r.attachments];
  const walk = (steps: IncomingResult["steps"]) => {
    for (const s of steps) {
      for (const h of s.attachments) out.push(h);
      if (s.steps.length > 0) walk(s.steps);
    }
  };
  walk(r.steps);
  return out;
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/** One entry row per entry touched by the batch: last status, counters of this batch. */
function entriesOf(
  stored: (NewResult & { entry_key: string })[],
  matches: { caseId: number | null; caseVersion: number | null }[][],
  at: number,
): Insertable<RunEntriesTable>[] {
  const versions = new Map<number, number | null>();
  for (const list of matches)
    for (const m of list) if (m.caseId !== null) versions.set(m.caseId, m.caseVersion);
  const out = new Map<string, Insertable<RunEntriesTable>>();
  for (const row of stored) {
    const prev = out.get(row.entry_key);
    const failing = isFailing(row.status) ? 1 : 0;
    out.set(row.entry_key, {
      project_id: row.project_id,
      run_id: row.run_id,
      entry_key: row.entry_key,
      case_id: row.case_id ?? null,
      case_version:
        row.case_id === null || row.case_id === undefined ? null : (versions.get(row.case_id) ?? null),
      title: row.title ?? null,
      params: row.params === "{}" ? null : (row.params ?? null),
      status: row.status,
      last_result_hash: row.hash,
      attempts: (prev?.attempts ?? 0) + 1,
      failed_attempts: (prev?.failed_attempts ?? 0) + failing,
      marked_flaky: prev?.marked_flaky === 1 || row.is_flaky === 1 ? 1 : 0,
      muted: row.muted ?? 0,
      updated_at: at,
    });
  }
  return [...out.values()];
}
