import type { Insertable, Selectable } from "kysely";
import type { AuditLogTable, Db } from "../../db/database.js";

export type AuditRow = Selectable<AuditLogTable>;

export async function insertAudit(db: Db, row: Insertable<AuditLogTable>): Promise<void> {
  await db.insertInto("audit_log").values(row).execute();
}

export interface AuditFilter {
  action?: string | undefined;
  userId?: number | undefined;
}

function filtered(db: Db, f: AuditFilter) {
  let q = db.selectFrom("audit_log");
  if (f.action) q = q.where("action", "=", f.action);
  if (f.userId !== undefined) q = q.where("actor_user_id", "=", f.userId);
  return q;
}

export function listAudit(db: Db, f: AuditFilter, limit: number, offset: number): Promise<AuditRow[]> {
  return filtered(db, f).selectAll().orderBy("id", "desc").limit(limit).offset(offset).execute();
}

export async function countAudit(db: Db, f: AuditFilter): Promise<number> {
  const row = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
