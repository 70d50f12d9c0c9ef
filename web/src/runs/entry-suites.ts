import { useQueries } from "@tanstack/react-query";
import { useMemo } from "react";
import { api } from "../api";
import { suitePaths, suiteTree, useSuites } from "../repository/data";
import type { TestCase } from "../repository/types";
import type { RunEntry } from "./types";

/** A run page's lines that share a suite; `path` null for cases outside any suite. */
export interface SuiteGroup {
  key: string;
  path: string | null;
  /** Lines whose test has no case in the repository (a reporter's test with auto-creation off). */
  withoutCase: boolean;
  entries: RunEntry[];
}

/**
 * Groups the loaded page of a run's lines by the suite their case is in now, suites in repository
 * order, cases outside suites and tests without cases last. The entries API carries no suite, so each
 * case is read once (cached under the key the case page uses) and suites come from the suite tree.
 * Until every lookup has answered the page is one ungrouped block, so rows do not jump about.
 */
export function useSuiteGroups(code: string, entries: RunEntry[] | undefined): SuiteGroup[] {
  const ids = useMemo(
    () => [...new Set((entries ?? []).flatMap((e) => (e.case_id === null ? [] : [e.case_id])))],
    [entries],
  );
  const cases = useQueries({
    queries: ids.map((id) => ({
      queryKey: ["case", code, id],
      queryFn: () => api<TestCase>("GET", `/v1/case/${encodeURIComponent(code)}/${id}`),
      staleTime: 60_000,
      retry: false,
    })),
  });
  const suites = useSuites(code);
  const settled = cases.every((c) => !c.isPending) && !suites.isPending;
  const suiteOf = new Map<number, number | null>();
  ids.forEach((id, i) => {
    suiteOf.set(id, cases[i]?.data?.suite_id ?? null);
  });
  const order = useMemo(() => {
    const out = new Map<number, { index: number; path: string }>();
    suitePaths(suiteTree(suites.data ?? [])).forEach((p, index) => {
      out.set(p.id, { index, path: p.path });
    });
    return out;
  }, [suites.data]);

  const list = entries ?? [];
  if (!settled) return [{ key: "all", path: null, withoutCase: false, entries: list }];
  const groups = new Map<string, SuiteGroup & { rank: number }>();
  for (const e of list) {
    const suiteId = e.case_id === null ? null : (suiteOf.get(e.case_id) ?? null);
    const known = suiteId === null ? undefined : order.get(suiteId);
    const withoutCase = e.case_id === null;
    const key = withoutCase ? "no-case" : known ? `suite-${suiteId}` : "no-suite";
    let g = groups.get(key);
    if (!g) {
      const rank = known ? known.index : withoutCase ? Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER - 1;
      g = { key, path: known?.path ?? null, withoutCase, entries: [], rank };
      groups.set(key, g);
    }
    g.entries.push(e);
  }
  return [...groups.values()].sort((a, b) => a.rank - b.rank);
}
