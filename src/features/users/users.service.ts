import type { AppContext } from "../../context.js";
import { now } from "../../db/time.js";
import { fail } from "../../http/errors.js";
import { isRole, ROLE_RANK, type Role } from "../../http/permissions.js";
import type { Principal } from "../../http/principal.js";
import { record } from "../audit/audit.service.js";
import { deleteSessionsOfUser } from "../sessions/sessions.repository.js";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password.js";
import {
  countActiveOwners,
  countUsers,
  findUserByEmail,
  findUserById,
  insertUser,
  listUsers,
  type UserRow,
  updateUser,
} from "./users.repository.js";

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export interface CreateUserInput {
  email: string;
  name: string;
  role: string;
  password?: string | undefined;
}

/** Only an owner may hand out or take away the owner role; admins manage everyone else. */
function assertMayManage(actor: Principal | null, current: Role | null, next: Role | null) {
  if (actor === null) return; // the CLI runs with the machine's authority
  if (!actor.permissions.has("user.manage")) throw fail.forbidden('Missing permission "user.manage"');
  const actorRank = ROLE_RANK[actor.user.role];
  for (const r of [current, next]) {
    if (r !== null && ROLE_RANK[r] > actorRank)
      throw fail.forbidden(`Only an owner can manage the ${r} role`);
    if (r === "owner" && actor.user.role !== "owner") throw fail.forbidden("Only an owner can manage owners");
  }
}

export async function createUser(
  ctx: AppContext,
  actor: Principal | null,
  input: CreateUserInput,
  opts: { firstRun?: boolean } = {},
): Promise<UserRow> {
  const errors: { field: string; error: string }[] = [];
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254)
    errors.push({ field: "email", error: "must be an email address" });
  const name = input.name.trim();
  if (name.length === 0 || name.length > 255)
    errors.push({ field: "name", error: "must be 1 to 255 characters" });
  if (!isRole(input.role))
    errors.push({ field: "role", error: "must be one of owner, admin, member, viewer" });
  if (
    input.password !== undefined &&
    (input.password.length < PASSWORD_MIN_LENGTH || input.password.length > PASSWORD_MAX_LENGTH)
  ) {
    errors.push({
      field: "password",
      error: `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
    });
  }
  if (errors.length > 0) throw fail.invalidMany(errors);
  const role = input.role as Role;
  assertMayManage(actor, null, role);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return ctx.db.transaction().execute(async (tx) => {
    if (opts.firstRun && (await countUsers(tx)) > 0)
      throw fail.forbidden("Verdict is already set up; sign in instead");
    if (await findUserByEmail(tx, email))
      throw fail.invalid("email", "a user with this email already exists");
    const user = await insertUser(tx, { email, name, role, password_hash: passwordHash, at: now() });
    await record(tx, {
      action: "user.created",
      actor,
      target: { type: "user", id: user.id },
      details: { email, role },
    });
    return user;
  });
}

export async function requireUser(ctx: AppContext, idOrEmail: number | string): Promise<UserRow> {
  const user =
    typeof idOrEmail === "number"
      ? await findUserById(ctx.db, idOrEmail)
      : await findUserByEmail(ctx.db, idOrEmail);
  if (!user) throw fail.notFound(`User ${idOrEmail}`);
  return user;
}

export async function setUserRole(
  ctx: AppContext,
  actor: Principal | null,
  user: UserRow,
  role: string,
): Promise<UserRow> {
  if (!isRole(role)) throw fail.invalid("role", "must be one of owner, admin, member, viewer");
  assertMayManage(actor, user.role as Role, role);
  await ctx.db.transaction().execute(async (tx) => {
    if (
      user.role === "owner" &&
      role !== "owner" &&
      (await countActiveOwners(tx)) <= 1 &&
      user.is_active === 1
    ) {
      throw fail.invalid("role", "the last active owner cannot be demoted");
    }
    await updateUser(tx, user.id, { role }, now());
    await record(tx, {
      action: "user.role_changed",
      actor,
      target: { type: "user", id: user.id },
      details: { from: user.role, to: role },
    });
  });
  return requireUser(ctx, user.id);
}

/** Deactivation takes effect at once: sessions are dropped and the user's tokens fail authentication. */
export async function setUserActive(
  ctx: AppContext,
  actor: Principal | null,
  user: UserRow,
  active: boolean,
): Promise<UserRow> {
  assertMayManage(actor, user.role as Role, null);
  if (actor && actor.user.id === user.id && !active)
    throw fail.invalid("is_active", "you cannot deactivate yourself");
  await ctx.db.transaction().execute(async (tx) => {
    if (!active && user.role === "owner" && user.is_active === 1 && (await countActiveOwners(tx)) <= 1) {
      throw fail.invalid("is_active", "the last active owner cannot be deactivated");
    }
    await updateUser(tx, user.id, { is_active: active ? 1 : 0 }, now());
    if (!active) await deleteSessionsOfUser(tx, user.id);
    await record(tx, {
      action: active ? "user.reactivated" : "user.deactivated",
      actor,
      target: { type: "user", id: user.id },
    });
  });
  return requireUser(ctx, user.id);
}

export async function listUsersPage(ctx: AppContext, limit: number, offset: number) {
  const [rows, total] = await Promise.all([listUsers(ctx.db, limit, offset), countUsers(ctx.db)]);
  return { rows, total };
}
