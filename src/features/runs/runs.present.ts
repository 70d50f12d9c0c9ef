import type { Static } from "@sinclair/typebox";
import type { Db } from "../../db/database.js";
import { iso } from "../../db/time.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import {
  caseIdsOfRuns,
  type EntryCounts,
  entryCounts,
  environmentsByIds,
  milestonesByIds,
  type RunRow,
} from "./runs.repository.js";
import type { Run } from "./runs.schemas.js";

export type RunOut = Static<typeof Run>;
type Stats = RunOut["stats"];

export const RUN_IN_PROGRESS = 0;
export const RUN_COMPLETED = 1;
export const RUN_ABORTED = 2;

/** The deprecated flat counters Qase still returns next to `statuses`. */
const LEGACY_KEYS = ["passed", "failed", "blocked", "skipped", "retest", "in_progress", "invalid"] as const;

export function statsOf(counts: EntryCounts[]): Stats {
  const statuses: Record<string, number> = {};
  let total = 0;
  let untested = 0;
  let flaky = 0;
  for (const c of counts) {
    total += c.n;
    flaky += c.flaky;
    if (c.status === null) untested += c.n;
    else statuses[c.status] = (statuses[c.status] ?? 0) + c.n;
  }
  const stats: Stats = {
    total,
    statuses,
    untested,
    passed: 0,
    failed: 0,
    blocked: 0,
    skipped: 0,
    retest: 0,
    in_progress: 0,
    invalid: 0,
    flaky,
  };
  for (const key of LEGACY_KEYS) stats[key] = statuses[key] ?? 0;
  return stats;
}

/** status_text as Qase shows it: in progress, aborted, or the outcome of a completed run. */
export function statusText(run: RunRow, stats: Stats): string {
  if (run.status === RUN_ABORTED) return "aborted";
  if (run.status !== RUN_COMPLETED) return "in_progress";
  return stats.failed + stats.invalid + stats.blocked > 0 ? "failed" : "passed";
}

interface Tag {
  title: string;
  internal_id: number;
}

/** Builds Qase Run read models for a page of runs with a fixed number of queries, whatever its size. */
export async function presentRuns(
  db: Db,
  project: ProjectRow,
  runs: RunRow[],
  opts: { includeCases: boolean },
): Promise<RunOut[]> {
  const ids = runs.map((r) => r.id);
  const envIds = [...new Set(runs.flatMap((r) => (r.environment_id === null ? [] : [r.environment_id])))];
  const msIds = [...new Set(runs.flatMap((r) => (r.milestone_id === null ? [] : [r.milestone_id])))];
  const [counts, envs, milestones, cases] = await Promise.all([
    entryCounts(db, project.id, ids),
    environmentsByIds(db, project.id, envIds),
    milestonesByIds(db, project.id, msIds),
    opts.includeCases ? caseIdsOfRuns(db, project.id, ids) : Promise.resolve(new Map<number, number[]>()),
  ]);
  const envById = new Map(envs.map((e) => [e.id, e]));
  const msById = new Map(milestones.map((m) => [m.id, m]));
  return runs.map((run) => {
    const stats = statsOf(counts.filter((c) => c.run_id === run.id));
    const env = run.environment_id === null ? undefined : envById.get(run.environment_id);
    const ms = run.milestone_id === null ? undefined : msById.get(run.milestone_id);
    const custom = JSON.parse(run.custom_fields) as Record<string, string | null>;
    const issue =
      run.external_issue === null ? null : (JSON.parse(run.external_issue) as { type: string; link: string });
    const out: RunOut = {
      id: run.id,
      run_id: run.id,
      title: run.title,
      description: run.description,
      status: run.status,
      status_text: statusText(run, stats),
      start_time: iso(run.start_time),
      end_time: iso(run.end_time),
      public: run.public_hash !== null,
      stats,
      time_spent: Number(run.time_spent_ms),
      elapsed_time:
        run.start_time !== null && run.end_time !== null ? Math.max(0, run.end_time - run.start_time) : 0,
      environment: env
        ? // Qase's Run.environment has strings here (unlike Environment itself): "" for none.
          { title: env.title, description: env.description ?? "", slug: env.slug, host: env.host ?? "" }
        : null,
      milestone: ms ? { title: ms.title, description: ms.description } : null,
      custom_fields: Object.entries(custom).map(([id, value]) => ({ id: Number(id), value })),
      tags: JSON.parse(run.tags) as Tag[],
      plan_id: run.plan_id,
      configurations: JSON.parse(run.configurations) as number[],
      external_issue: issue ? { id: issue.link, type: issue.type, link: issue.link } : null,
      is_autotest: run.is_autotest === 1,
      build_id: run.build_id,
      reporter: run.client,
    };
    if (opts.includeCases) out.cases = cases.get(run.id) ?? [];
    return out;
  });
}

export function publicUrl(base: string, project: ProjectRow, run: RunRow): string | null {
  return run.public_hash === null ? null : `${base}/public/run/${project.code}/${run.public_hash}`;
}
