import { sql } from "kysely";
import type { Db } from "../../src/db/database.js";

/** Live cases in a deleted suite and live suites under a deleted one: what no tree shows. */
export async function liveUnderDeleted(db: Db, projectId: number) {
  const { rows } = await sql<{ kind: string; id: number | string; title: string }>`
    select 'case' as kind, c.id, c.title from cases c
      join suites s on s.project_id = c.project_id and s.id = c.suite_id
     where c.project_id = ${projectId} and c.deleted_at is null and s.deleted_at is not null
    union all
    select 'suite' as kind, c.id, c.title from suites c
      join suites s on s.project_id = c.project_id and s.id = c.parent_id
     where c.project_id = ${projectId} and c.deleted_at is null and s.deleted_at is not null`.execute(db);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Live cases sharing a position in their suite, and live suites sharing one under their parent. */
export async function sharedPositions(db: Db, projectId: number) {
  const { rows } = await sql<{ kind: string; parent: number | string | null; position: number }>`
    select 'case' as kind, suite_id as parent, position from cases
     where project_id = ${projectId} and deleted_at is null group by suite_id, position having count(*) > 1
    union all
    select 'suite' as kind, parent_id as parent, position from suites
     where project_id = ${projectId} and deleted_at is null group by parent_id, position having count(*) > 1`.execute(
    db,
  );
  return rows.map((r) => ({ ...r, parent: r.parent === null ? null : Number(r.parent) }));
}
