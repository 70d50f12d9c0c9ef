import type { Db } from "../../db/database.js";

export interface CountRow {
  cases: number;
  suites: number;
  milestones: number;
  defects: number;
  defects_open: number;
  runs: number;
  runs_active: number;
}

/**
 * Live (not deleted) entities of a project: one round trip, one aggregate per table. "Open" defects
 * are those in status open, the same set GET /v1/defect/{code}?status=open lists.
 */
export async function countProjectEntities(db: Db, projectId: number): Promise<CountRow> {
  const row = await db
    .selectNoFrom((eb) => {
      const live = (table: "cases" | "suites" | "milestones" | "defects" | "runs") =>
        eb
          .selectFrom(table)
          .select((e) => e.fn.countAll<string | number>().as("n"))
          .where("project_id", "=", projectId)
          .where("deleted_at", "is", null);
      return [
        live("cases").as("cases"),
        live("suites").as("suites"),
        live("milestones").as("milestones"),
        live("defects").as("defects"),
        live("defects").where("status", "=", "open").as("defects_open"),
        live("runs").as("runs"),
        // Active: not completed and not aborted (run status 0).
        live("runs").where("status", "=", 0).as("runs_active"),
      ];
    })
    .executeTakeFirstOrThrow();
  return {
    cases: Number(row.cases ?? 0),
    suites: Number(row.suites ?? 0),
    milestones: Number(row.milestones ?? 0),
    defects: Number(row.defects ?? 0),
    defects_open: Number(row.defects_open ?? 0),
    runs: Number(row.runs ?? 0),
    runs_active: Number(row.runs_active ?? 0),
  };
}
