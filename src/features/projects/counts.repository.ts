import { sql } from "kysely";
import type { Db } from "../../db/database.js";
import { preparedQuery } from "../../db/prepared.js";

export interface CountRow {
  cases: number;
  suites: number;
  milestones: number;
  defects: number;
  defects_open: number;
  runs: number;
  runs_active: number;
}

type Counted = "suites" | "milestones" | "defects" | "runs";

/**
 * Live (not deleted) entities of a project: one round trip, one aggregate per table (cases: the counter
 * triggers keep on the project), compiled once
 * (every GET /v1/project answers with these counts, so building the query per request dominated it).
 * "Open" defects are those in status open, as GET /v1/defect/{code}?status=open lists them; active runs
 * are those in progress (status 0).
 */
const countsQuery = preparedQuery(
  (db: Db, p1: number, p2: number, p3: number, p4: number, p5: number, p6: number, p7: number) =>
    db.selectNoFrom((eb) => {
      const live = (table: Counted, projectId: number) =>
        eb
          .selectFrom(table)
          .select((e) => e.fn.countAll<string | number>().as("n"))
          .where("project_id", "=", projectId)
          .where("deleted_at", "is", null);
      return [
        eb.selectFrom("projects").select("cases_count").where("id", "=", p1).as("cases"),
        live("suites", p2).as("suites"),
        live("milestones", p3).as("milestones"),
        live("defects", p4).as("defects"),
        live("defects", p5).where("status", "=", sql.lit("open")).as("defects_open"),
        live("runs", p6).as("runs"),
        live("runs", p7).where("status", "=", sql.lit(0)).as("runs_active"),
      ];
    }),
);

export async function countProjectEntities(db: Db, projectId: number): Promise<CountRow> {
  const id = projectId;
  const [row] = await countsQuery(db, id, id, id, id, id, id, id);
  const n = (v: unknown) => Number(v ?? 0);
  return {
    cases: n(row?.cases),
    suites: n(row?.suites),
    milestones: n(row?.milestones),
    defects: n(row?.defects),
    defects_open: n(row?.defects_open),
    runs: n(row?.runs),
    runs_active: n(row?.runs_active),
  };
}
