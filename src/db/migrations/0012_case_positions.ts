// Frozen in time: never edit after release; add a new migration instead.
// The next position of a case in a suite is the live cases' highest one: indexed, so creating cases
// (by hand or by automated results) reads one index entry instead of every live case of the suite.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("cases_suite_position_live")
    .on("cases")
    .columns(["project_id", "suite_id", "position"])
    .where(sql.ref("deleted_at"), "is", null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("cases_suite_position_live").execute();
}
