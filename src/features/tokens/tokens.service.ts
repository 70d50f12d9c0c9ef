import { timingSafeEqual } from "node:crypto";
import type { AppContext } from "../../context.js";
import { now } from "../../db/time.js";
import { ApiError, fail } from "../../http/errors.js";
import { effectivePermissions, isRole, isScope, type Role, type Scope } from "../../http/permissions.js";
import type { Principal } from "../../http/principal.js";
import { record } from "../audit/audit.service.js";
import { findActiveProjectCodes } from "../projects/projects.repository.js";
import { getTokenPolicy, type TokenPolicy } from "../settings/settings.service.js";
import { generateSecret, hashSecret, hasValidShape, previewOf, TOKEN_LENGTH } from "./token-secret.js";
import {
  countTokens,
  findToken,
  findTokenForAuth,
  insertToken,
  listTokens,
  replaceSecret,
  revokeToken,
  type TokenRow,
  type TokenWithOwner,
  touchToken,
} from "./tokens.repository.js";

const DAY = 86_400_000;
export const DEFAULT_LIFETIME_DAYS = 90;
const LAST_USED_GAP_MS = 60_000;

export interface CreateTokenInput {
  title: string;
  /** undefined: not given; null: never expires. */
  expiresInDays?: number | null | undefined;
  /** ISO date or date-time; null: never expires. */
  expiresAt?: string | null | undefined;
  scopes?: string[] | undefined;
  /** Project codes; null or undefined: every project the owner can reach. */
  projects?: string[] | null | undefined;
}

function parseScopes(raw: string): Scope[] {
  return raw.split(",").filter(isScope);
}

function parseProjects(raw: string | null): string[] | null {
  return raw === null ? null : (JSON.parse(raw) as string[]);
}

/** Resolves a token request's expiry against the workspace policy. Returns absolute expiry and lifetime. */
function resolveExpiry(input: CreateTokenInput, policy: TokenPolicy, at: number) {
  const hasDays = input.expiresInDays !== undefined;
  const hasAt = input.expiresAt !== undefined;
  if (hasDays && hasAt) throw fail.invalid("expires_at", "give expires_in_days or expires_at, not both");
  let expiresAt: number | null;
  if (!hasDays && !hasAt) {
    expiresAt = at + Math.min(DEFAULT_LIFETIME_DAYS, policy.maxLifetimeDays ?? DEFAULT_LIFETIME_DAYS) * DAY;
  } else if (input.expiresInDays === null || input.expiresAt === null) {
    expiresAt = null;
  } else if (hasDays) {
    const days = input.expiresInDays as number;
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      throw fail.invalid("expires_in_days", "must be an integer from 1 to 3650, or null for never");
    }
    expiresAt = at + days * DAY;
  } else {
    const parsed = Date.parse(input.expiresAt as string);
    if (Number.isNaN(parsed))
      throw fail.invalid("expires_at", "must be an ISO 8601 date or date-time, or null");
    if (parsed <= at) throw fail.invalid("expires_at", "must be in the future");
    expiresAt = parsed;
  }
  const field = hasAt ? "expires_at" : "expires_in_days";
  if (expiresAt === null && !policy.allowNever) {
    throw fail.invalid(field, "the workspace policy does not allow tokens that never expire");
  }
  if (
    policy.maxLifetimeDays !== null &&
    (expiresAt === null || expiresAt - at > policy.maxLifetimeDays * DAY + 60_000)
  ) {
    throw fail.invalid(field, `the workspace policy allows at most ${policy.maxLifetimeDays} days`);
  }
  return { expiresAt, lifetimeMs: expiresAt === null ? null : expiresAt - at };
}

/** A token acting on tokens can never hand out (or get back) more than it holds itself. */
function assertWithinActor(
  actor: Principal,
  role: Role,
  scopes: Scope[],
  projects: string[] | null,
  expiresAt: number | null,
) {
  const token = actor.token;
  if (!token) return;
  for (const p of effectivePermissions(role, scopes)) {
    if (!actor.permissions.has(p)) {
      throw fail.forbidden(`This token cannot grant "${p}", which it does not hold itself`);
    }
  }
  if (token.projects !== null && (projects === null || projects.some((c) => !token.projects?.includes(c)))) {
    throw fail.forbidden("This token cannot grant access to projects outside its own list");
  }
  if (token.expiresAt !== null && (expiresAt === null || expiresAt > token.expiresAt)) {
    throw fail.forbidden("This token cannot create a token that outlives it");
  }
}

async function validateProjects(
  ctx: AppContext,
  projects: string[] | null | undefined,
): Promise<string[] | null> {
  if (projects === null || projects === undefined) return null;
  const codes = [...new Set(projects.map((c) => c.toUpperCase()))];
  if (codes.length === 0) throw fail.invalid("projects", "must list at least one project code, or be null");
  const found = new Set(await findActiveProjectCodes(ctx.db, codes));
  const missing = codes.filter((c) => !found.has(c));
  if (missing.length > 0) throw fail.invalid("projects", `unknown project codes: ${missing.join(", ")}`);
  return codes;
}

export interface IssuedToken {
  secret: string;
  token: TokenRow;
}

/** Creates a token for `actor.user` (API) or for the user the CLI named (actor.via === "cli"). */
export async function createToken(
  ctx: AppContext,
  actor: Principal,
  input: CreateTokenInput,
): Promise<IssuedToken> {
  const title = input.title.trim();
  if (title.length === 0 || title.length > 255) throw fail.invalid("title", "must be 1 to 255 characters");
  const scopesIn = input.scopes ?? actor.token?.scopes ?? ["full"];
  const bad = scopesIn.filter((s) => !isScope(s));
  if (bad.length > 0 || scopesIn.length === 0) {
    throw fail.invalid(
      "scopes",
      `unknown scopes: ${bad.join(", ") || "(none given)"}; use read, results or full`,
    );
  }
  const scopes = [...new Set(scopesIn)] as Scope[];
  const projects = await validateProjects(
    ctx,
    input.projects === undefined ? actor.token?.projects : input.projects,
  );
  const at = now();
  const { expiresAt, lifetimeMs } = resolveExpiry(input, await getTokenPolicy(ctx.db), at);
  assertWithinActor(actor, actor.user.role, scopes, projects, expiresAt);

  const secret = generateSecret();
  const id = await ctx.db.transaction().execute(async (tx) => {
    const tokenId = await insertToken(tx, {
      user_id: actor.user.id,
      name: title,
      secret_hash: hashSecret(secret),
      preview: previewOf(secret),
      scopes: scopes.join(","),
      projects: projects === null ? null : JSON.stringify(projects),
      expires_at: expiresAt,
      lifetime_ms: lifetimeMs,
      created_at: at,
    });
    await record(tx, {
      action: "token.created",
      actor,
      actorUserId: actor.user.id,
      target: { type: "token", id: tokenId },
      details: { title, scopes, projects, expires_at: expiresAt },
    });
    return tokenId;
  });
  const token = await findToken(ctx.db, id);
  if (!token) throw new Error("token vanished after insert");
  return { secret, token };
}

type AuthRow = NonNullable<Awaited<ReturnType<typeof findTokenForAuth>>>;
type Grant = Omit<Principal, "ip">;

/** A token row as the read cache keeps it, with what it grants built once. */
interface KeptToken {
  row: AuthRow;
  grant: Grant | null;
  /** The stored hash as bytes, for the constant-time comparison every request makes. */
  stored: Buffer;
}

/** What a token row grants, without the request's address; built once per row while it is cached. */
function grantOf(row: AuthRow): Grant | null {
  if (!isRole(row.role)) return null;
  const scopes = parseScopes(row.scopes);
  return {
    user: { id: row.user_id, email: row.email, name: row.name, role: row.role },
    via: "token",
    token: { id: row.id, scopes, projects: parseProjects(row.projects), expiresAt: row.expires_at },
    sessionId: null,
    permissions: effectivePermissions(row.role, scopes),
  };
}

const tokenKey = (hash: string) => `token:${hash}`;

/** The principal a token row grants at `at`, or null for anything that must answer 401. */
function principalFrom(
  found: KeptToken | null,
  hash: string,
  ip: string | null,
  at: number,
): Principal | null {
  if (!found || !timingSafeEqual(found.stored, Buffer.from(hash))) return null;
  const { row, grant } = found;
  if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= at) || row.is_active !== 1)
    return null;
  if (grant === null) return null;
  // A literal of the principal's own shape: cheaper per request than spreading the grant.
  return {
    user: grant.user,
    via: grant.via,
    token: grant.token,
    sessionId: grant.sessionId,
    permissions: grant.permissions,
    ip,
  };
}

/** "Last used" is written at most once a minute per token. */
const lastUseDue = (row: AuthRow, at: number) =>
  row.last_used_at === null || at - row.last_used_at >= LAST_USED_GAP_MS;

/** Resolves a presented secret to a principal, or null for anything that must answer 401. */
export async function authenticateToken(
  ctx: AppContext,
  secret: string,
  ip: string | null,
): Promise<Principal | null> {
  if (!hasValidShape(secret)) return null;
  const hash = hashSecret(secret);
  const found = await ctx.cache.get<KeptToken | null>(tokenKey(hash), async () => {
    const row = await findTokenForAuth(ctx.db, hash);
    return row ? { row, grant: grantOf(row), stored: Buffer.from(row.secret_hash) } : null;
  });
  const at = now();
  const principal = principalFrom(found, hash, ip, at);
  if (principal && found && lastUseDue(found.row, at)) {
    await touchToken(ctx.db, found.row.id, at, ip, LAST_USED_GAP_MS);
  }
  return principal;
}

/**
 * The same answer as authenticateToken, synchronously, when the read cache keeps the token and nothing
 * is to be written; undefined otherwise (not kept, refused, or its last use due), and the caller then
 * asks authenticateToken. No shape check: only a secret that passed it was ever kept.
 */
export function keptTokenPrincipal(
  ctx: AppContext,
  secret: string,
  ip: string | null,
): Principal | undefined {
  if (secret.length !== TOKEN_LENGTH) return undefined;
  const hash = hashSecret(secret);
  const found = ctx.cache.peek<KeptToken | null>(tokenKey(hash));
  if (!found) return undefined;
  const at = now();
  if (lastUseDue(found.row, at)) return undefined;
  return principalFrom(found, hash, ip, at) ?? undefined;
}

export async function listTokensFor(
  ctx: AppContext,
  actor: Principal,
  opts: { all: boolean; includeRevoked: boolean; limit: number; offset: number },
): Promise<{ rows: TokenWithOwner[]; total: number }> {
  if (opts.all && !actor.permissions.has("token.admin")) {
    throw fail.forbidden('Listing every user\'s tokens needs the "token.admin" permission');
  }
  const filter = { userId: opts.all ? undefined : actor.user.id, includeRevoked: opts.includeRevoked };
  const [rows, total] = await Promise.all([
    listTokens(ctx.db, filter, opts.limit, opts.offset),
    countTokens(ctx.db, filter),
  ]);
  return { rows, total };
}

async function loadVisible(
  ctx: AppContext,
  actor: Principal,
  id: number,
  adminMayAct: boolean,
): Promise<TokenRow> {
  const token = await findToken(ctx.db, id);
  const mine = token?.user_id === actor.user.id;
  if (!token || (!mine && !(adminMayAct && actor.permissions.has("token.admin"))))
    throw fail.notFound("Token");
  if (token.revoked_at !== null) throw fail.gone("Token");
  return token;
}

export async function revokeTokenById(ctx: AppContext, actor: Principal, id: number): Promise<void> {
  const token = await loadVisible(ctx, actor, id, true);
  await ctx.db.transaction().execute(async (tx) => {
    if (!(await revokeToken(tx, token.id, now()))) throw fail.gone("Token");
    await record(tx, {
      action: "token.revoked",
      actor,
      target: { type: "token", id: token.id },
      details: { title: token.name, owner_id: token.user_id },
    });
  });
}

/** New secret, same name, scopes, projects and lifetime; the old secret stops working at once. */
export async function rotateTokenById(ctx: AppContext, actor: Principal, id: number): Promise<IssuedToken> {
  const token = await loadVisible(ctx, actor, id, false);
  const at = now();
  if (token.expires_at !== null && token.expires_at <= at) {
    throw new ApiError("validation", "This token has expired; create a new one instead", [
      { field: "id", error: "token has expired" },
    ]);
  }
  const scopes = parseScopes(token.scopes);
  const projects = parseProjects(token.projects);
  const lifetimeDays = token.lifetime_ms === null ? null : token.lifetime_ms / DAY;
  const expiresAt = token.lifetime_ms === null ? null : at + token.lifetime_ms;
  const policy = await getTokenPolicy(ctx.db);
  if (expiresAt === null && !policy.allowNever) {
    throw fail.invalid(
      "expires_at",
      "the workspace policy no longer allows tokens that never expire; create a new one",
    );
  }
  if (policy.maxLifetimeDays !== null && (lifetimeDays === null || lifetimeDays > policy.maxLifetimeDays)) {
    throw fail.invalid(
      "expires_at",
      `the workspace policy now allows at most ${policy.maxLifetimeDays} days`,
    );
  }
  assertWithinActor(actor, actor.user.role, scopes, projects, expiresAt);
  const secret = generateSecret();
  await ctx.db.transaction().execute(async (tx) => {
    const done = await replaceSecret(tx, token.id, {
      secret_hash: hashSecret(secret),
      preview: previewOf(secret),
      expires_at: expiresAt,
      at,
    });
    if (!done) throw fail.gone("Token");
    await record(tx, {
      action: "token.rotated",
      actor,
      target: { type: "token", id: token.id },
      details: { title: token.name },
    });
  });
  const updated = await findToken(ctx.db, token.id);
  if (!updated) throw new Error("token vanished after rotation");
  return { secret, token: updated };
}

export function tokenStatus(t: TokenRow, at = now()): "active" | "expired" | "revoked" {
  if (t.revoked_at !== null) return "revoked";
  if (t.expires_at !== null && t.expires_at <= at) return "expired";
  return "active";
}

export { parseProjects, parseScopes };
