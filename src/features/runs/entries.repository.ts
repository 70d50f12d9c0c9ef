import type { Db } from "../../db/database.js";
import { entryCounts } from "./runs.repository.js";

/**
 * One page of a run's entries (one per case and parameter set), in case order; untested = null status.
 * The counts come from the run's kept status counts (0017) instead of counting the entries on every page.
 */
export async function listEntries(
  db: Db,
  projectId: number,
  runId: number,
  statuses: (string | null)[] | undefined,
  limit: number,
  offset: number,
) {
  let q = db.selectFrom("run_entries").where("project_id", "=", projectId).where("run_id", "=", runId);
  if (statuses) {
    const named = statuses.filter((s): s is string => s !== null);
    const untested = statuses.includes(null);
    q = q.where((eb) =>
      eb.or([
        ...(named.length > 0 ? [eb("status", "in", named)] : []),
        ...(untested ? [eb("status", "is", null)] : []),
      ]),
    );
  }
  const [counts, rows] = await Promise.all([
    entryCounts(db, projectId, [runId]),
    q.selectAll().orderBy("case_id").orderBy("entry_key").limit(limit).offset(offset).execute(),
  ]);
  const wanted = statuses ? new Set(statuses) : null;
  let total = 0;
  let filtered = 0;
  for (const c of counts) {
    total += c.n;
    if (!wanted || wanted.has(c.status)) filtered += c.n;
  }
  return { rows, total, filtered };
}

/** The titles cases had at the given versions (the versions a run pinned). */
export async function titlesAtVersions(
  db: Db,
  projectId: number,
  pairs: { caseId: number; version: number }[],
) {
  const out = new Map<string, string>();
  if (pairs.length === 0) return out;
  // Only the pinned versions, each by its key: a case edited a hundred times has a hundred snapshots.
  const rows = await db
    .selectFrom("case_versions")
    .select(["case_id", "version", "snapshot"])
    .where("project_id", "=", projectId)
    .where((eb) =>
      eb(
        eb.refTuple("case_id", "version"),
        "in",
        pairs.map((p) => eb.tuple(p.caseId, p.version)),
      ),
    )
    .execute();
  for (const r of rows)
    out.set(`${r.case_id}:${r.version}`, (JSON.parse(r.snapshot) as { title: string }).title);
  return out;
}
