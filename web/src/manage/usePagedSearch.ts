import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, type Page } from "../api";

/**
 * A paged list searched by title: the search box (debounced, back to page 1 on typing), the page,
 * and the query for `path` with `params` (unset ones left out). `queryKey` names the list and its
 * filters; changing a filter should call `firstPage`.
 */
export function usePagedSearch<T>(opts: {
  queryKey: unknown[];
  path: string;
  params: Record<string, string | undefined>;
  perPage: number;
  enabled?: boolean;
}) {
  const [search, setSearchText] = useState("");
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: [...opts.queryKey, debounced, page],
    queryFn: () => {
      const q = new URLSearchParams({
        limit: String(opts.perPage),
        offset: String((page - 1) * opts.perPage),
      });
      for (const [k, v] of Object.entries(opts.params)) if (v) q.set(k, v);
      if (debounced) q.set("search", debounced);
      return api<Page<T>>("GET", `${opts.path}?${q}`);
    },
    placeholderData: keepPreviousData,
    enabled: opts.enabled ?? true,
  });
  return {
    query,
    search,
    setSearch: (text: string) => {
      setSearchText(text);
      setPage(1);
    },
    page,
    setPage,
    firstPage: () => setPage(1),
    pages: query.data ? Math.ceil(query.data.filtered / opts.perPage) : 0,
  };
}
