/**
 * The access model in one place: named permissions, roles as bundles of them, and token scopes
 * that narrow a role. Effective rights of a token = role ∩ scope (∩ its projects, checked per route).
 */
export const PERMISSIONS = [
  "project.read",
  "project.create",
  "project.update",
  "project.delete",
  "project.access",
  "repository.write",
  "run.create",
  "result.create",
  "attachment.create",
  "defect.write",
  "configuration.create",
  "token.read",
  "token.manage",
  "token.admin",
  "user.read",
  "user.manage",
  "audit.read",
  "settings.manage",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ["read", "results", "full"] as const;
export type Scope = (typeof SCOPES)[number];

const VIEWER: Permission[] = ["project.read", "token.read", "token.manage", "user.read"];
const MEMBER: Permission[] = [
  ...VIEWER,
  "repository.write",
  "run.create",
  "result.create",
  "attachment.create",
  "defect.write",
  "configuration.create",
];
const ADMIN: Permission[] = [
  ...MEMBER,
  "project.create",
  "project.update",
  "project.delete",
  "project.access",
  "token.admin",
  "user.manage",
  "audit.read",
  "settings.manage",
];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(ADMIN),
  admin: new Set(ADMIN),
  member: new Set(MEMBER),
  viewer: new Set(VIEWER),
};

const READ: Permission[] = PERMISSIONS.filter((p) => p.endsWith(".read"));

export const SCOPE_PERMISSIONS: Record<Scope, ReadonlySet<Permission>> = {
  read: new Set(READ),
  // What a CI pipeline needs: create and complete runs, post results and attachments.
  results: new Set<Permission>([
    ...READ,
    "run.create",
    "result.create",
    "attachment.create",
    "configuration.create",
  ]),
  full: new Set(PERMISSIONS),
};

/** What a project-restricted token may still do outside any project. */
export const WORKSPACE_PERMISSIONS_FOR_RESTRICTED_TOKENS: ReadonlySet<Permission> = new Set([
  "project.read",
  "token.read",
  "token.manage",
]);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export function effectivePermissions(role: Role, scopes: readonly Scope[] | null): Set<Permission> {
  const fromRole = ROLE_PERMISSIONS[role];
  if (scopes === null) return new Set(fromRole);
  const out = new Set<Permission>();
  for (const p of fromRole) if (scopes.some((s) => SCOPE_PERMISSIONS[s].has(p))) out.add(p);
  return out;
}

/** Roles ordered by reach, for "may this actor hand out that role" decisions. */
export const ROLE_RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
