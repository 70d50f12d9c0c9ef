import type { Static } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import {
  type SuiteCount,
  type SuiteLink,
  suiteCounts,
  suitesWithAncestors,
} from "./run-suites.repository.js";
import { statsOf } from "./runs.present.js";
import type { RunSuite } from "./runs.schemas.js";
import { liveRun } from "./runs.service.js";

export type RunSuiteOut = Static<typeof RunSuite>;

/** Root-first chain of a suite and its live ancestors (a cycle or a missing parent ends it). */
function chainOf(suites: Map<number, SuiteLink>, id: number): SuiteLink[] {
  const chain: SuiteLink[] = [];
  const seen = new Set<number>();
  let at = suites.get(id);
  while (at && !seen.has(at.id)) {
    seen.add(at.id);
    chain.unshift(at);
    at = at.parent_id === null ? undefined : suites.get(at.parent_id);
  }
  return chain;
}

/** Repository order: depth first, siblings by position then id, i.e. the chains compared item by item. */
function compareChains(a: SuiteLink[], b: SuiteLink[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as SuiteLink;
    const y = b[i] as SuiteLink;
    const d = x.position - y.position || x.id - y.id;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Counts of a whole run per suite: suites in repository order, then cases outside suites, then tests
 * without a case. Only groups with at least one line of the run are listed.
 */
export async function runSuiteTotals(
  ctx: AppContext,
  project: ProjectRow,
  runId: number,
): Promise<RunSuiteOut[]> {
  await liveRun(ctx.db, project, runId);
  const counts = await suiteCounts(ctx.db, project.id, runId);
  const suites = await suitesWithAncestors(
    ctx.db,
    project.id,
    counts.flatMap((c) => (c.suiteId === null ? [] : [c.suiteId])),
  );
  const groups = new Map<string, { suiteId: number | null; withoutCase: boolean; counts: SuiteCount[] }>();
  for (const c of counts) {
    const key = c.withoutCase ? "no-case" : c.suiteId === null ? "no-suite" : `suite-${c.suiteId}`;
    const g = groups.get(key) ?? { suiteId: c.suiteId, withoutCase: c.withoutCase, counts: [] };
    g.counts.push(c);
    groups.set(key, g);
  }
  const rows = [...groups.values()].map((g) => ({
    ...g,
    chain: g.suiteId === null ? [] : chainOf(suites, g.suiteId),
  }));
  rows.sort((a, b) => {
    const rank = (r: typeof a) => (r.withoutCase ? 2 : r.suiteId === null ? 1 : 0);
    return rank(a) - rank(b) || compareChains(a.chain, b.chain);
  });
  return rows.map((r) => ({
    suite_id: r.suiteId,
    title: r.chain.at(-1)?.title ?? null,
    path: r.chain.map((s) => s.title),
    without_case: r.withoutCase,
    stats: statsOf(r.counts.map((c) => ({ run_id: runId, status: c.status, n: c.n, flaky: c.flaky }))),
  }));
}
