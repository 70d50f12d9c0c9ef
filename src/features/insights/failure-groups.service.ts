import type { AppContext } from "../../context.js";
import { iso } from "../../db/time.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { liveRun } from "../runs/runs.service.js";
import { errorSignature } from "./error-signature.js";
import { failingResults } from "./insights.repository.js";
import { INSIGHT_FAILING } from "./run-compare.service.js";

const MESSAGE_OUT_CHARS = 1000;

interface Group {
  signature: string;
  message: string;
  caseIds: Set<number>;
  hashes: string[];
  first: number;
  last: number;
}

/** One page of the run's failing results grouped by normalised error, largest group first. */
export async function failureGroups(
  ctx: AppContext,
  project: ProjectRow,
  runId: number,
  limit: number,
  offset: number,
) {
  await liveRun(ctx.db, project, runId);
  const rows = await failingResults(ctx.db, project.id, runId, INSIGHT_FAILING);
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const sig = errorSignature(r.message, r.stack);
    let g = groups.get(sig.signature);
    if (!g) {
      g = { ...sig, caseIds: new Set(), hashes: [], first: r.at, last: r.at };
      groups.set(sig.signature, g);
    }
    if (r.caseId !== null) g.caseIds.add(r.caseId);
    g.hashes.push(r.hash);
    g.first = Math.min(g.first, r.at);
    g.last = Math.max(g.last, r.at);
  }
  const sorted = [...groups.values()].sort(
    (a, b) =>
      b.hashes.length - a.hashes.length || a.first - b.first || a.signature.localeCompare(b.signature),
  );
  const entities = sorted.slice(offset, offset + limit).map((g) => ({
    signature: g.signature,
    message: g.message.slice(0, MESSAGE_OUT_CHARS),
    count: g.hashes.length,
    case_ids: [...g.caseIds].sort((a, b) => a - b),
    result_hashes: g.hashes,
    first_seen: iso(g.first) ?? "",
    last_seen: iso(g.last) ?? "",
  }));
  return { entities, total: sorted.length };
}
