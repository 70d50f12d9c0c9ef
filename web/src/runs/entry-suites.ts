import type { RunEntry, RunSuite } from "./types";

/** A run page's lines that share a suite; `path` null for cases outside any suite. */
export interface SuiteGroup {
  key: string;
  path: string | null;
  /** Lines whose test has no case in the repository (a reporter's test with auto-creation off). */
  withoutCase: boolean;
  entries: RunEntry[];
  /** The whole run's counts for this group (GET /v1/run/{code}/{id}/suites); undefined if it lacks it. */
  totals: RunSuite | undefined;
}

function keyOf(suiteId: number | null, withoutCase: boolean): string {
  return withoutCase ? "no-case" : suiteId === null ? "no-suite" : `suite-${suiteId}`;
}

/**
 * Groups the loaded page of a run's lines by the suite their case is in now (each entry names it), in
 * the order of the run's suite totals: suites in repository order, cases outside suites, then tests
 * without cases. Each group carries the whole run's counts for its suite, so a suite whose lines span
 * pages shows its full totals. Until the totals have arrived the page is one ungrouped block, so rows
 * do not jump about.
 */
export function suiteGroups(entries: RunEntry[], suites: RunSuite[] | undefined): SuiteGroup[] {
  if (!suites) return [{ key: "all", path: null, withoutCase: false, entries, totals: undefined }];
  const rank = new Map(suites.map((s, index) => [keyOf(s.suite_id, s.without_case), { index, s }]));
  const groups = new Map<string, SuiteGroup & { rank: number }>();
  for (const e of entries) {
    const withoutCase = e.case_id === null;
    const key = keyOf(withoutCase ? null : e.suite_id, withoutCase);
    let g = groups.get(key);
    if (!g) {
      const known = rank.get(key);
      const path =
        e.suite_id === null || withoutCase ? null : (known?.s.path.join(" / ") ?? `Suite ${e.suite_id}`);
      // A group the totals do not know (the repository changed between the two reads) goes last.
      g = { key, path, withoutCase, entries: [], totals: known?.s, rank: known?.index ?? suites.length };
      groups.set(key, g);
    }
    g.entries.push(e);
  }
  return [...groups.values()].sort((a, b) => a.rank - b.rank);
}
