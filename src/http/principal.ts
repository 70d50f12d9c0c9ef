import type { Permission, Role, Scope } from "./permissions.js";

/** Who is calling, resolved once per request by the auth hook. */
export interface Principal {
  user: { id: number; email: string; name: string; role: Role };
  via: "token" | "session" | "cli";
  token: { id: number; scopes: Scope[]; projects: string[] | null; expiresAt: number | null } | null;
  sessionId: number | null;
  permissions: ReadonlySet<Permission>;
  ip: string | null;
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has(permission);
}
