import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AppContext } from "../../context.js";
import { now } from "../../db/time.js";
import { ApiError, fail } from "../../http/errors.js";
import { fromLoopback } from "../../http/hosts.js";
import { effectivePermissions, isRole } from "../../http/permissions.js";
import type { Principal } from "../../http/principal.js";
import { record } from "../audit/audit.service.js";
import { verifyPassword } from "../users/password.js";
import { countUsers, findCredentials, findUserById } from "../users/users.repository.js";
import { createUser } from "../users/users.service.js";
import {
  deleteExpiredSessions,
  deleteSession,
  findSessionForAuth,
  insertSession,
  touchSession,
} from "./sessions.repository.js";

export const SESSION_COOKIE = "verdict_session";
export const SESSION_TTL_MS = 7 * 86_400_000;
const TOUCH_GAP_MS = 60_000;
/** Failures of one account from one address before each further attempt must wait. */
export const LOGIN_FREE_FAILURES = 5;
/** The longest wait between two attempts of one account from one address. */
export const LOGIN_MAX_DELAY_MS = 15 * 60_000;
/** How long an (account, address) pair's failures are remembered after the last one. */
const LOGIN_PAIR_MEMORY_MS = 24 * 3_600_000;
/** The window of one address's ceiling over every account (config.signInAddressLimit failures). */
export const LOGIN_ADDRESS_WINDOW_MS = 15 * 60_000;

/** The wait before the next attempt after `failures` failures: 2, 4, 8 ... s once the free ones are used. */
export function loginDelayMs(failures: number): number {
  if (failures < LOGIN_FREE_FAILURES) return 0;
  return Math.min(LOGIN_MAX_DELAY_MS, 1000 * 2 ** (failures - LOGIN_FREE_FAILURES + 1));
}

function hash(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export interface NewSession {
  secret: string;
  principal: Principal;
}

async function openSession(ctx: AppContext, userId: number, ip: string | null, userAgent: string | null) {
  const secret = `vds_${randomBytes(32).toString("base64url")}`;
  const at = now();
  await deleteExpiredSessions(ctx.db, at);
  await insertSession(ctx.db, {
    user_id: userId,
    secret_hash: hash(secret),
    at,
    expires_at: at + SESSION_TTL_MS,
    ip,
    user_agent: userAgent?.slice(0, 512) ?? null,
  });
  return secret;
}

function tooSoon(waitMs: number): ApiError {
  return new ApiError("rate_limited", "Too many failed sign-in attempts; try again later", [], {
    "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))),
  });
}

/**
 * Password sign-in. Failures slow down the (account, address) pair with growing waits, and a much
 * higher ceiling slows down one address over all accounts; while either waits the password is not
 * even checked, so guessing gains nothing. No account is ever blocked for other addresses, and a
 * success forgets the pair's failures.
 */
export async function login(
  ctx: AppContext,
  email: string,
  password: string,
  ip: string | null,
  userAgent: string | null,
): Promise<string> {
  const address = ip ?? "unknown";
  const pairKey = `login:pair:${email.toLowerCase()}|${address}`;
  const addressKey = `login:ip:${address}`;
  const addressRule = { limit: ctx.config.signInAddressLimit, windowMs: LOGIN_ADDRESS_WINDOW_MS };
  const [pair, byAddress] = await Promise.all([
    ctx.limiter.failures(pairKey),
    ctx.limiter.peek(addressKey, addressRule),
  ]);
  if (!byAddress.allowed) throw tooSoon(byAddress.resetInMs);
  const waitMs = pair ? loginDelayMs(pair.failures) - pair.sinceLastMs : 0;
  if (waitMs > 0) throw tooSoon(waitMs);

  const creds = await findCredentials(ctx.db, email);
  const good = await verifyPassword(password, creds?.password_hash ?? null);
  if (!creds || !good || creds.is_active !== 1) {
    await Promise.all([
      ctx.limiter.addFailure(pairKey, LOGIN_PAIR_MEMORY_MS),
      ctx.limiter.hit(addressKey, addressRule),
    ]);
    await record(ctx.db, { action: "login.failed", actorUserId: creds?.id ?? null, ip, details: { email } });
    throw new ApiError("unauthorized", "Wrong email or password");
  }
  if (pair) await ctx.limiter.clearFailures(pairKey);
  const secret = await openSession(ctx, creds.id, ip, userAgent);
  await record(ctx.db, { action: "login.succeeded", actorUserId: creds.id, ip });
  return secret;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(hash(a));
  const y = Buffer.from(hash(b));
  return timingSafeEqual(x, y);
}

/**
 * First run only: creates the owner and signs them in. Refused once any user exists, and from another
 * machine than the server's own unless the setup code printed at start comes with it: whoever reaches
 * a fresh server first must not become its owner.
 */
export async function setupOwner(
  ctx: AppContext,
  input: { email: string; name: string; password: string; setup_code?: string | undefined },
  ip: string | null,
  userAgent: string | null,
): Promise<string> {
  if ((await countUsers(ctx.db)) > 0) throw fail.forbidden("Verdict is already set up; sign in instead");
  const { setup_code: code, ...owner } = input;
  if (!fromLoopback(ip) && !(code !== undefined && sameSecret(code.trim(), ctx.config.setupCode))) {
    throw fail.forbidden(
      code === undefined
        ? "Setup from another machine needs the setup code that the server printed in its log at start"
        : "Wrong setup code; the server printed the right one in its log at start",
    );
  }
  const user = await createUser(ctx, null, { ...owner, role: "owner" }, { firstRun: true });
  await record(ctx.db, { action: "setup.completed", actorUserId: user.id, ip });
  return openSession(ctx, user.id, ip, userAgent);
}

export async function authenticateSession(
  ctx: AppContext,
  secret: string,
  ip: string | null,
): Promise<Principal | null> {
  if (!secret.startsWith("vds_") || secret.length > 100) return null;
  const h = hash(secret);
  const row = await findSessionForAuth(ctx.db, h);
  if (!row || !timingSafeEqual(Buffer.from(row.secret_hash), Buffer.from(h))) return null;
  const at = now();
  if (row.expires_at <= at || row.is_active !== 1 || !isRole(row.role)) return null;
  if (at - row.last_seen_at >= TOUCH_GAP_MS) await touchSession(ctx.db, row.id, at);
  return {
    user: { id: row.user_id, email: row.email, name: row.name, role: row.role },
    via: "session",
    token: null,
    sessionId: row.id,
    permissions: effectivePermissions(row.role, null),
    ip,
  };
}

export async function logout(ctx: AppContext, p: Principal): Promise<void> {
  if (p.sessionId !== null) await deleteSession(ctx.db, p.sessionId);
  await record(ctx.db, { action: "logout", actor: p });
}

export async function currentUser(ctx: AppContext, p: Principal) {
  const user = await findUserById(ctx.db, p.user.id);
  if (!user) throw fail.unauthorized();
  return user;
}

export async function needsSetup(ctx: AppContext): Promise<boolean> {
  return (await countUsers(ctx.db)) === 0;
}
