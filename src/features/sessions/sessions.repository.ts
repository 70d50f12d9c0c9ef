import type { Db } from "../../db/database.js";

export async function insertSession(
  db: Db,
  s: {
    user_id: number;
    secret_hash: string;
    at: number;
    expires_at: number;
    ip: string | null;
    user_agent: string | null;
  },
): Promise<number> {
  const r = await db
    .insertInto("sessions")
    .values({
      user_id: s.user_id,
      secret_hash: s.secret_hash,
      created_at: s.at,
      expires_at: s.expires_at,
      last_seen_at: s.at,
      ip: s.ip,
      user_agent: s.user_agent,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

export function findSessionForAuth(db: Db, secretHash: string) {
  return db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id",
      "sessions.secret_hash",
      "sessions.expires_at",
      "sessions.last_seen_at",
      "users.id as user_id",
      "users.email",
      "users.name",
      "users.role",
      "users.is_active",
    ])
    .where("sessions.secret_hash", "=", secretHash)
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: number, at: number): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: at }).where("id", "=", id).execute();
}

export async function deleteSession(db: Db, id: number): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

export async function deleteSessionsOfUser(db: Db, userId: number): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

export async function deleteExpiredSessions(db: Db, at: number): Promise<void> {
  await db.deleteFrom("sessions").where("expires_at", "<=", at).execute();
}
