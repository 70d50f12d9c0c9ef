import { iso, plain } from "../../db/time.js";
import { ENUM_FIELDS } from "../system-fields/system-fields.catalog.js";
import type { DefectLinkRow, DefectRow } from "./defects.repository.js";

interface StoredTag {
  title: string;
  internal_id: number;
}

function json<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function severitySlug(id: number): string {
  return ENUM_FIELDS.severity.options.find((o) => o.id === id)?.slug ?? "undefined";
}

/** A defect as the API shows it (GET /v1/defect/{code}/{id}; search hits build on it). */
export function presentDefect(d: DefectRow, links: DefectLinkRow[]) {
  const custom = json<Record<string, string | null>>(d.custom_fields, {});
  const author = d.author_id === null ? null : Number(d.author_id);
  return {
    id: Number(d.id),
    title: d.title,
    actual_result: d.actual_result,
    severity: severitySlug(Number(d.severity)),
    status: d.status,
    milestone_id: d.milestone_id === null ? null : Number(d.milestone_id),
    custom_fields: Object.entries(custom).map(([id, value]) => ({ id: Number(id), value })),
    attachments: json<string[]>(d.attachments, []).map((hash) => ({ hash })),
    resolved_at: iso(d.resolved_at === null ? null : Number(d.resolved_at)),
    member_id: author,
    author_id: author,
    // No external issue tracker is connected to a self-hosted server; the spec has a string, never null.
    external_data: "",
    runs: [...new Set(links.map((l) => Number(l.run_id)))],
    results: [...new Set(links.flatMap((l) => (l.result_hash === null ? [] : [l.result_hash])))],
    tags: json<StoredTag[]>(d.tags, []),
    created_at: iso(Number(d.created_at)) ?? "",
    updated_at: iso(Number(d.updated_at)) ?? "",
    created: plain(Number(d.created_at)),
    updated: plain(Number(d.updated_at)),
  };
}
