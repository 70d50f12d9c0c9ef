import type { Insertable, Selectable } from "kysely";
import type { ApiTokensTable, Db } from "../../db/database.js";
import { preparedQuery } from "../../db/prepared.js";

export type TokenRow = Omit<Selectable<ApiTokensTable>, "secret_hash">;
export type TokenWithOwner = TokenRow & { user_email: string; user_name: string };

const PUBLIC_COLUMNS = [
  "api_tokens.id",
  "api_tokens.user_id",
  "api_tokens.name",
  "api_tokens.preview",
  "api_tokens.scopes",
  "api_tokens.projects",
  "api_tokens.expires_at",
  "api_tokens.lifetime_ms",
  "api_tokens.created_at",
  "api_tokens.rotated_at",
  "api_tokens.last_used_at",
  "api_tokens.last_used_ip",
  "api_tokens.revoked_at",
] as const;

export async function insertToken(db: Db, row: Insertable<ApiTokensTable>): Promise<number> {
  const r = await db.insertInto("api_tokens").values(row).returning("id").executeTakeFirstOrThrow();
  return r.id;
}

/** The authentication lookup: one indexed read joining the owner, whose current role and state count. */
const tokenForAuth = preparedQuery((db: Db, secretHash: string) =>
  db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select([
      "api_tokens.id",
      "api_tokens.secret_hash",
      "api_tokens.scopes",
      "api_tokens.projects",
      "api_tokens.expires_at",
      "api_tokens.revoked_at",
      "api_tokens.last_used_at",
      "users.id as user_id",
      "users.email",
      "users.name",
      "users.role",
      "users.is_active",
    ])
    .where("api_tokens.secret_hash", "=", secretHash),
);

export async function findTokenForAuth(db: Db, secretHash: string) {
  return (await tokenForAuth(db, secretHash))[0];
}

export function findToken(db: Db, id: number): Promise<TokenRow | undefined> {
  return db.selectFrom("api_tokens").select(PUBLIC_COLUMNS).where("id", "=", id).executeTakeFirst();
}

export interface TokenListFilter {
  userId?: number | undefined;
  includeRevoked: boolean;
}

function listQuery(db: Db, f: TokenListFilter) {
  let q = db.selectFrom("api_tokens").innerJoin("users", "users.id", "api_tokens.user_id");
  if (f.userId !== undefined) q = q.where("api_tokens.user_id", "=", f.userId);
  if (!f.includeRevoked) q = q.where("api_tokens.revoked_at", "is", null);
  return q;
}

export function listTokens(
  db: Db,
  f: TokenListFilter,
  limit: number,
  offset: number,
): Promise<TokenWithOwner[]> {
  return listQuery(db, f)
    .select([...PUBLIC_COLUMNS, "users.email as user_email", "users.name as user_name"])
    .orderBy("api_tokens.id", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countTokens(db: Db, f: TokenListFilter): Promise<number> {
  const r = await listQuery(db, f)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function revokeToken(db: Db, id: number, at: number): Promise<boolean> {
  const r = await db
    .updateTable("api_tokens")
    .set({ revoked_at: at })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function replaceSecret(
  db: Db,
  id: number,
  s: { secret_hash: string; preview: string; expires_at: number | null; at: number },
): Promise<boolean> {
  const r = await db
    .updateTable("api_tokens")
    .set({ secret_hash: s.secret_hash, preview: s.preview, expires_at: s.expires_at, rotated_at: s.at })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Written at most once a minute per token, even with several nodes: the condition is in the UPDATE. */
export async function touchToken(
  db: Db,
  id: number,
  at: number,
  ip: string | null,
  minGapMs: number,
): Promise<void> {
  await db
    .updateTable("api_tokens")
    .set({ last_used_at: at, last_used_ip: ip })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", at - minGapMs)]))
    .execute();
}
