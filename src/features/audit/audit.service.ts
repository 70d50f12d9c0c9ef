import type { Db } from "../../db/database.js";
import { now } from "../../db/time.js";
import type { Principal } from "../../http/principal.js";
import { type AuditFilter, countAudit, insertAudit, listAudit } from "./audit.repository.js";

export type AuditAction =
  | "login.succeeded"
  | "login.failed"
  | "logout"
  | "setup.completed"
  | "user.created"
  | "user.role_changed"
  | "user.deactivated"
  | "user.reactivated"
  | "token.created"
  | "token.rotated"
  | "token.revoked"
  | "project.created"
  | "project.updated"
  | "project.deleted"
  | "project.access_granted"
  | "project.access_revoked"
  | "settings.changed"
  | "maintenance.changed";

export interface AuditEvent {
  action: AuditAction;
  actor?: Principal | null;
  /** When there is no principal (failed login, CLI), the user the event is about. */
  actorUserId?: number | null;
  target?: { type: string; id: string | number };
  ip?: string | null;
  /** Never a secret: callers pass names, ids, roles, scopes. */
  details?: Record<string, unknown>;
}

export async function record(db: Db, e: AuditEvent): Promise<void> {
  await insertAudit(db, {
    at: now(),
    actor_user_id: e.actor?.user.id ?? e.actorUserId ?? null,
    actor_token_id: e.actor?.token?.id ?? null,
    action: e.action,
    target_type: e.target?.type ?? null,
    target_id: e.target ? String(e.target.id) : null,
    ip: e.ip ?? e.actor?.ip ?? null,
    details: e.details ? JSON.stringify(e.details) : null,
  });
}

export async function auditPage(db: Db, f: AuditFilter, limit: number, offset: number) {
  const [rows, total] = await Promise.all([listAudit(db, f, limit, offset), countAudit(db, f)]);
  return { rows, total };
}
