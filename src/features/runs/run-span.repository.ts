import { sql } from "kysely";
import type { Db } from "../../db/database.js";

/** The times a result carries; its end is end_time, or start + duration when only those are known. */
export interface TimedResult {
  start_time?: number | null | undefined;
  end_time?: number | null | undefined;
  duration_ms?: number | null | undefined;
}

/**
 * Earliest start and latest end of the results that carry a start time, each null when none does. The
 * end of a result without a start is not its own (ingestion stores the arrival time then).
 */
export function spanOf(rows: TimedResult[]): { start: number | null; end: number | null } {
  let start: number | null = null;
  let end: number | null = null;
  for (const r of rows) {
    const s = r.start_time ?? null;
    if (s === null) continue;
    const e = r.end_time ?? (r.duration_ms != null ? s + r.duration_ms : null);
    if (start === null || s < start) start = s;
    if (e !== null && (end === null || e > end)) end = e;
  }
  return { start, end };
}

/**
 * Widens the run's results span with new results' times (0018). A run whose results carry times starts
 * at the first result's start, not when the run was created; a completed run then ends at the last
 * result's end. Runs whose results carry no times keep their own start and end.
 */
export async function widenRunSpan(db: Db, projectId: number, runId: number, rows: TimedResult[]) {
  const { start, end } = spanOf(rows);
  if (start === null) return;
  const first =
    start === null
      ? sql<number | null>`results_start`
      : sql<
          number | null
        >`case when results_start is null or results_start > ${start} then ${start} else results_start end`;
  const last =
    end === null
      ? sql<number | null>`results_end`
      : sql<
          number | null
        >`case when results_end is null or results_end < ${end} then ${end} else results_end end`;
  await db
    .updateTable("runs")
    .set({
      results_start: first,
      results_end: last,
      start_time: first,
      end_time: end === null ? sql`end_time` : sql`case when status = 0 then end_time else ${last} end`,
    })
    .where("project_id", "=", projectId)
    .where("id", "=", runId)
    .execute();
}
