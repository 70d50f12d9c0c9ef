import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { ApiError, fail } from "../../http/errors.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import type { RunRow } from "../runs/runs.repository.js";
import { liveRun } from "../runs/runs.service.js";
import { caseOutcomes, earlierRunsLike, previousRunOfPlan } from "./insights.repository.js";

/** Insights' failing statuses: blocked means "could not run", not "broke" (unlike a run's outcome). */
export const INSIGHT_FAILING: readonly string[] = ["failed", "invalid"];
const TOP_DURATION_CHANGES = 20;
const CANDIDATES_PER_READ = 200;

/** A run title's kind: numbers and the punctuation around them taken out ("PR 45 build 7" -> "pr build"). */
export function titleKind(title: string): string {
  return title
    .toLowerCase()
    .replace(/\d+/g, " ")
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter((w) => w !== "")
    .join(" ");
}

/**
 * A LIKE pattern every title of the kind matches: its words in order. Non-ASCII letters become
 * wildcards, since SQLite's lower() folds ASCII only; the service checks candidates exactly.
 */
function kindPattern(kind: string): string {
  const words = kind.split(" ").filter((w) => w !== "");
  const esc = words.map((w) => w.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]+/g, "%"));
  return `%${esc.join("%")}%`;
}

async function previousOfKind(db: Db, project: ProjectRow, run: RunRow): Promise<number | undefined> {
  if (run.plan_id !== null) return previousRunOfPlan(db, project.id, run.plan_id, run.id);
  const kind = titleKind(run.title);
  const pattern = kindPattern(kind);
  let before = run.id;
  for (;;) {
    const batch = await earlierRunsLike(db, project.id, before, pattern, CANDIDATES_PER_READ);
    const hit = batch.find((r) => titleKind(r.title) === kind);
    if (hit) return hit.id;
    const last = batch.at(-1);
    if (batch.length < CANDIDATES_PER_READ || !last) return undefined;
    before = last.id;
  }
}

type Outcome = "failing" | "passing" | "neither";
interface CaseState {
  outcome: Outcome;
  durationMs: number | null;
}

/** Per case of one run: its lines folded (one failing line fails it), durations summed. */
function foldCases(rows: { caseId: number; status: string; durationMs: number | null }[]) {
  const out = new Map<number, CaseState>();
  for (const r of rows) {
    const s = out.get(r.caseId) ?? { outcome: "neither", durationMs: null };
    const line: Outcome = INSIGHT_FAILING.includes(r.status)
      ? "failing"
      : r.status === "passed"
        ? "passing"
        : "neither";
    if (line === "failing" || (line === "passing" && s.outcome === "neither")) s.outcome = line;
    if (r.durationMs !== null) s.durationMs = (s.durationMs ?? 0) + r.durationMs;
    out.set(r.caseId, s);
  }
  return out;
}

export function diffRuns(now: Map<number, CaseState>, before: Map<number, CaseState>) {
  const lists = {
    new_failures: [] as number[],
    fixed: [] as number[],
    still_failing: [] as number[],
    new_tests: [] as number[],
    missing_tests: [] as number[],
  };
  const changes: { case_id: number; before_ms: number; after_ms: number; change_ms: number }[] = [];
  for (const [caseId, s] of now) {
    const b = before.get(caseId);
    if (!b) lists.new_tests.push(caseId);
    const failedBefore = b?.outcome === "failing";
    if (s.outcome === "failing") (failedBefore ? lists.still_failing : lists.new_failures).push(caseId);
    if (s.outcome === "passing" && failedBefore) lists.fixed.push(caseId);
    if (b && s.durationMs !== null && b.durationMs !== null && s.durationMs !== b.durationMs) {
      const change = s.durationMs - b.durationMs;
      changes.push({ case_id: caseId, before_ms: b.durationMs, after_ms: s.durationMs, change_ms: change });
    }
  }
  for (const caseId of before.keys()) if (!now.has(caseId)) lists.missing_tests.push(caseId);
  for (const l of Object.values(lists)) l.sort((a, b) => a - b);
  changes.sort((a, b) => Math.abs(b.change_ms) - Math.abs(a.change_ms) || a.case_id - b.case_id);
  return { lists, changes };
}

export async function compareRuns(ctx: AppContext, project: ProjectRow, id: number, withId?: number) {
  if (withId === id) throw fail.invalid("with", "must be another run than the one compared");
  const run = await liveRun(ctx.db, project, id);
  let otherId = withId;
  if (otherId === undefined) {
    otherId = await previousOfKind(ctx.db, project, run);
    if (otherId === undefined) {
      const kind = run.plan_id !== null ? `of plan ${run.plan_id}` : "with the same title (numbers aside)";
      throw new ApiError(
        "not_found",
        `Nothing to compare Run ${project.code}-${id} with: no earlier run ${kind}; pass ?with=<run id>`,
      );
    }
  } else {
    await liveRun(ctx.db, project, otherId);
  }
  const rows = await caseOutcomes(ctx.db, project.id, [id, otherId]);
  const now = foldCases(rows.filter((r) => r.runId === id));
  const before = foldCases(rows.filter((r) => r.runId === otherId));
  const { lists, changes } = diffRuns(now, before);
  return {
    run_id: id,
    with_id: otherId,
    ...lists,
    duration_changes: changes.slice(0, TOP_DURATION_CHANGES),
    counts: {
      new_failures: lists.new_failures.length,
      fixed: lists.fixed.length,
      still_failing: lists.still_failing.length,
      new_tests: lists.new_tests.length,
      missing_tests: lists.missing_tests.length,
      duration_changes: changes.length,
    },
  };
}
