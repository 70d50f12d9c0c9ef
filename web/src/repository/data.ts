import { useQuery } from "@tanstack/react-query";
import { api, type Page, type Project } from "../api";
import type { CaseEnum, Suite, SystemField, SystemFieldOption } from "./types";

export function useProject(code: string) {
  return useQuery({
    queryKey: ["project", code],
    queryFn: () => api<Project>("GET", `/v1/project/${encodeURIComponent(code)}`),
  });
}

/** Enum titles and colours come from the server (GET /v1/system_field), never from the app. */
export function useSystemFields() {
  return useQuery({
    queryKey: ["system-fields"],
    queryFn: () => api<SystemField[]>("GET", "/v1/system_field"),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function enumOptions(fields: SystemField[] | undefined, slug: CaseEnum): SystemFieldOption[] {
  return fields?.find((f) => f.slug === slug)?.options ?? [];
}

export function enumField(fields: SystemField[] | undefined, slug: CaseEnum): SystemField | undefined {
  return fields?.find((f) => f.slug === slug);
}

export function enumOption(
  fields: SystemField[] | undefined,
  slug: CaseEnum,
  id: number,
): SystemFieldOption | undefined {
  return enumOptions(fields, slug).find((o) => o.id === id);
}

const SUITE_PAGE = 100;

/**
 * Every suite of a project, read page by page (the API caps a page at 100). A project's suites are few
 * compared with its cases, and the tree needs all of them; cases are never loaded this way.
 */
export function useSuites(code: string) {
  return useQuery({
    queryKey: ["suites", code],
    queryFn: async () => {
      const all: Suite[] = [];
      for (let offset = 0; ; offset += SUITE_PAGE) {
        const page = await api<Page<Suite>>(
          "GET",
          `/v1/suite/${encodeURIComponent(code)}?limit=${SUITE_PAGE}&offset=${offset}`,
        );
        all.push(...page.entities);
        if (page.count < SUITE_PAGE || all.length >= page.total) break;
      }
      return all;
    },
  });
}

export interface SuiteNode {
  suite: Suite;
  depth: number;
  /** Cases in this suite and all suites below it. */
  total: number;
  children: SuiteNode[];
}

/** Nests the flat suite list by parent_id, ordered by position; orphans (parent not visible) go to the top. */
export function suiteTree(suites: Suite[]): SuiteNode[] {
  const byParent = new Map<number | null, Suite[]>();
  const ids = new Set(suites.map((s) => s.id));
  for (const s of suites) {
    const parent = s.parent_id !== null && ids.has(s.parent_id) ? s.parent_id : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), s]);
  }
  const build = (parent: number | null, depth: number): SuiteNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.position - b.position || a.id - b.id)
      .map((suite) => {
        const children = build(suite.id, depth + 1);
        const total = suite.cases_count + children.reduce((n, c) => n + c.total, 0);
        return { suite, depth, total, children };
      });
  return build(null, 0);
}

/** Depth-first order with each suite's path ("Parent / Child"), for pickers. */
export function suitePaths(tree: SuiteNode[], prefix = ""): { id: number; path: string; node: SuiteNode }[] {
  return tree.flatMap((n) => {
    const path = prefix ? `${prefix} / ${n.suite.title}` : n.suite.title;
    return [{ id: n.suite.id, path, node: n }, ...suitePaths(n.children, path)];
  });
}

/** Ids of a suite and everything below it. */
export function subtreeIds(node: SuiteNode): number[] {
  return [node.suite.id, ...node.children.flatMap(subtreeIds)];
}

interface UserSummary {
  id: number;
  name: string;
  email: string;
}

/** A user's name for "who changed this" (any signed-in user may read users). */
export function useUserName(id: number | null) {
  const user = useQuery({
    queryKey: ["user", id],
    queryFn: () => api<UserSummary>("GET", `/v1/user/${id}`),
    enabled: id !== null,
    staleTime: 5 * 60_000,
  });
  if (id === null) return "unknown";
  return user.data?.name ?? `user #${id}`;
}

export function caseKey(code: string, id: number): string {
  return `${code}-${id}`;
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString();
}
