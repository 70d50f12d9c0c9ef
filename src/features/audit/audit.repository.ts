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
  if (f.action) q = q.where("audit_log.action", "=", f.action);
  if (f.userId !== undefined) q = q.where("audit_log.actor_user_id", "=", f.userId);
  return q;
}

/** An entry with its actor's name and email, so that a reader sees who rather than a user id. */
export type AuditListRow = AuditRow & { actor_name: string | null; actor_email: string | null };

export function listAudit(db: Db, f: AuditFilter, limit: number, offset: number): Promise<AuditListRow[]> {
  return filtered(db, f)
    .leftJoin("users", "users.id", "audit_log.actor_user_id")
    .selectAll("audit_log")
    .select(["users.name as actor_name", "users.email as actor_email"])
    .orderBy("audit_log.id", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countAudit(db: Db, f: AuditFilter): Promise<number> {
  const row = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
