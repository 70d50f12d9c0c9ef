import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Page } from "../api";
import type { Environment, Milestone, Plan } from "./types";

export const MANAGE_PAGE = 20;

/** One page of a project's list resource (plan, milestone, environment, defect), with extra filters. */
export function useProjectList<T>(
  resource: string,
  code: string,
  page: number,
  filters: Record<string, string> = {},
) {
  return useQuery({
    queryKey: [resource, code, page, filters],
    queryFn: () => {
      const q = new URLSearchParams({
        limit: String(MANAGE_PAGE),
        offset: String((page - 1) * MANAGE_PAGE),
        ...filters,
      });
      return api<Page<T>>("GET", `/v1/${resource}/${encodeURIComponent(code)}?${q}`);
    },
    placeholderData: keepPreviousData,
  });
}

/**
 * The first 100 of a resource for a picker (the API's largest page). Pickers of environments, milestones
 * and plans rarely meet more; the list pages page through all of them.
 */
function usePickable<T>(resource: string, code: string) {
  return useQuery({
    queryKey: [resource, code, "pick"],
    queryFn: () => api<Page<T>>("GET", `/v1/${resource}/${encodeURIComponent(code)}?limit=100`),
  });
}

export const useEnvironmentOptions = (code: string) => usePickable<Environment>("environment", code);
export const useMilestoneOptions = (code: string) => usePickable<Milestone>("milestone", code);
export const usePlanOptions = (code: string) => usePickable<Plan>("plan", code);

/** After a write, every view of that resource and the project's counts are stale. */
export function useInvalidate(code: string) {
  const client = useQueryClient();
  return (...resources: string[]) => {
    for (const r of resources) client.invalidateQueries({ queryKey: [r, code] });
    client.invalidateQueries({ queryKey: ["project", code] });
    client.invalidateQueries({ queryKey: ["projects"] });
  };
}

export function selectData<T extends { id: number; title: string }>(items: T[] | undefined) {
  return (items ?? []).map((i) => ({ value: String(i.id), label: i.title }));
}
