import { sql } from "kysely";
import type { Db } from "../../db/database.js";
import { flakyEntries } from "./runs.repository.js";

/** 1 for a line whose test has no case in the repository, 0 otherwise: a grouping key of its own. */
const WITHOUT_CASE = sql<number>`case when e.case_id is null then 1 else 0 end`;

/**
 * Entry counts of one run per suite (the suite the case is in now), status and case link, plus how many
 * are flaky. Index-friendly: the run's entries through their primary key prefix (project_id, run_id),
 * each case and suite through theirs. Deleted cases and cases in deleted suites count as outside suites.
 */
export function suiteCountsQuery(db: Db, projectId: number, runId: number) {
  return db
    .selectFrom("run_entries as e")
    .leftJoin("cases as c", (j) =>
      j
        .onRef("c.project_id", "=", "e.project_id")
        .onRef("c.id", "=", "e.case_id")
        .on("c.deleted_at", "is", null),
    )
    .leftJoin("suites as s", (j) =>
      j
        .onRef("s.project_id", "=", "c.project_id")
        .onRef("s.id", "=", "c.suite_id")
        .on("s.deleted_at", "is", null),
    )
    .select([
      "s.id as suite_id",
      WITHOUT_CASE.as("without_case"),
      "e.status as status",
      (eb) => eb.fn.countAll<string | number>().as("n"),
      flakyEntries("e").as("flaky"),
    ])
    .where("e.project_id", "=", projectId)
    .where("e.run_id", "=", runId)
    .groupBy(["s.id", WITHOUT_CASE, "e.status"]);
}

export interface SuiteCount {
  suiteId: number | null;
  withoutCase: boolean;
  /** null while untested */
  status: string | null;
  n: number;
  flaky: number;
}

export async function suiteCounts(db: Db, projectId: number, runId: number): Promise<SuiteCount[]> {
  const rows = await suiteCountsQuery(db, projectId, runId).execute();
  return rows.map((r) => ({
    suiteId: r.suite_id,
    withoutCase: Number(r.without_case) === 1,
    status: r.status,
    n: Number(r.n),
    flaky: Number(r.flaky ?? 0),
  }));
}

export interface SuiteLink {
  id: number;
  parent_id: number | null;
  title: string;
  position: number;
}

/**
 * The given live suites and their live ancestors, one query per level of nesting. A suite whose parent
 * is gone is read as a root, as the repository tree shows it.
 */
export async function suitesWithAncestors(
  db: Db,
  projectId: number,
  ids: number[],
): Promise<Map<number, SuiteLink>> {
  const out = new Map<number, SuiteLink>();
  let wanted = [...new Set(ids)];
  while (wanted.length > 0) {
    const rows = await db
      .selectFrom("suites")
      .select(["id", "parent_id", "title", "position"])
      .where("project_id", "=", projectId)
      .where("id", "in", wanted)
      .where("deleted_at", "is", null)
      .execute();
    for (const r of rows) out.set(r.id, r);
    wanted = [
      ...new Set(rows.flatMap((r) => (r.parent_id === null || out.has(r.parent_id) ? [] : [r.parent_id]))),
    ];
  }
  return out;
}

/** The suite each live case of the list is in now (null outside suites or in a deleted suite). */
export async function currentSuitesOfCases(
  db: Db,
  projectId: number,
  caseIds: number[],
): Promise<Map<number, number | null>> {
  const out = new Map<number, number | null>();
  if (caseIds.length === 0) return out;
  const rows = await db
    .selectFrom("cases as c")
    .leftJoin("suites as s", (j) =>
      j
        .onRef("s.project_id", "=", "c.project_id")
        .onRef("s.id", "=", "c.suite_id")
        .on("s.deleted_at", "is", null),
    )
    .select(["c.id as case_id", "s.id as suite_id"])
    .where("c.project_id", "=", projectId)
    .where("c.id", "in", [...new Set(caseIds)])
    .where("c.deleted_at", "is", null)
    .execute();
  for (const r of rows) out.set(r.case_id, r.suite_id);
  return out;
}
