import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findProjectByCode } from "../src/features/projects/projects.repository.js";
import type { UserRow } from "../src/features/users/users.repository.js";
import { setUserActive } from "../src/features/users/users.service.js";
import { PERMISSIONS, ROLES, type Role, SCOPES, type Scope } from "../src/http/permissions.js";
import { declareRoutePolicy, type RegisteredRoute } from "../src/http/security.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

/**
 * The expected access model, written out by hand on purpose: a change to src/http/permissions.ts that
 * grants or withdraws a right must be mirrored here, or this suite fails.
 */
const ALL_ROLES: Role[] = ["owner", "admin", "member", "viewer"];
const WRITERS: Role[] = ["owner", "admin", "member"];
const ADMINS: Role[] = ["owner", "admin"];
const ANY_SCOPE: Scope[] = ["read", "results", "full"];
const CI: Scope[] = ["results", "full"];
const FULL: Scope[] = ["full"];

const EXPECTED: Record<string, { roles: Role[]; scopes: Scope[] }> = {
  "project.read": { roles: ALL_ROLES, scopes: ANY_SCOPE },
  "project.create": { roles: ADMINS, scopes: FULL },
  "project.update": { roles: ADMINS, scopes: FULL },
  "project.delete": { roles: ADMINS, scopes: FULL },
  "project.access": { roles: ADMINS, scopes: FULL },
  "repository.write": { roles: WRITERS, scopes: FULL },
  "run.create": { roles: WRITERS, scopes: CI },
  "result.create": { roles: WRITERS, scopes: CI },
  "attachment.create": { roles: WRITERS, scopes: CI },
  "defect.write": { roles: WRITERS, scopes: FULL },
  "configuration.create": { roles: WRITERS, scopes: CI },
  "token.read": { roles: ALL_ROLES, scopes: ANY_SCOPE },
  "token.manage": { roles: ALL_ROLES, scopes: FULL },
  "token.admin": { roles: ADMINS, scopes: FULL },
  "user.read": { roles: ALL_ROLES, scopes: ANY_SCOPE },
  "user.manage": { roles: ADMINS, scopes: FULL },
  "audit.read": { roles: ADMINS, scopes: ANY_SCOPE },
  "settings.manage": { roles: ADMINS, scopes: FULL },
};

/** Workspace routes a token restricted to some projects may still call. */
const RESTRICTED_TOKEN_WORKSPACE = new Set(["project.read", "token.read", "token.manage"]);

const PROJECT = "MTX";

function urlFor(route: RegisteredRoute): string {
  return route.url
    .replace(/:(code|project_code)\b/g, PROJECT)
    .replace(/:hash\b/g, "0000000000000000000000000000000000000000")
    .replace(/:(\w+)/g, "999999")
    .replace(/\*$/, "x");
}

function isProjectScoped(route: RegisteredRoute): boolean {
  return /:(code|project_code)\b/.test(route.url);
}

describe("every permission has a hand-written expectation", () => {
  it("covers PERMISSIONS exactly", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PERMISSIONS].sort());
  });
});

describe("a route without declared access cannot be registered", () => {
  it("fails app construction", async () => {
    const app = Fastify();
    declareRoutePolicy(app, []);
    expect(() => app.get("/v1/undeclared", async () => ({}))).toThrow(/declares no valid access/);
    await app.close();
  });
});

describe.each(dialects)("access matrix on $name", (dialect) => {
  let t: TestApp;
  const principals: { label: string; role: Role | null; scope: Scope | null; secret: string | null }[] = [];
  let restrictedSecret = "";
  let deactivatedSecret = "";
  let owner: UserRow;

  beforeAll(async () => {
    t = await startApp(dialect);
    owner = await t.user("owner");
    await t.project(PROJECT, owner);
    await t.project("OTH", owner);
    principals.push({ label: "anonymous", role: null, scope: null, secret: null });
    for (const role of ROLES) {
      const user = role === "owner" ? owner : await t.user(role);
      for (const scope of SCOPES) {
        principals.push({
          label: `${role}/${scope}`,
          role,
          scope,
          secret: await t.token(user, { scopes: [scope] }),
        });
      }
    }
    restrictedSecret = await t.token(owner, { projects: ["OTH"] });
    const leaver = await t.user("admin");
    deactivatedSecret = await t.token(leaver);
    await setUserActive(t.ctx, null, leaver, false);
  });
  afterAll(() => t.close());

  async function call(route: RegisteredRoute, secret: string | null) {
    const res = await t.app.inject({
      method: route.method as "GET",
      url: urlFor(route),
      headers: secret ? { token: secret } : {},
    });
    return res.statusCode;
  }

  it("answers every route for every role and scope as declared", async () => {
    const routes = t.routes.filter((r) => r.method !== "HEAD");
    expect(routes.length).toBeGreaterThan(15);
    const mismatches: string[] = [];
    for (const route of routes) {
      for (const p of principals) {
        const status = await call(route, p.secret);
        let allowed: boolean;
        if (route.access === "public") allowed = true;
        else if (p.role === null || p.scope === null) allowed = false;
        else if (route.access === "authenticated") allowed = true;
        else {
          const e = EXPECTED[route.access];
          allowed = (e?.roles.includes(p.role) && e.scopes.includes(p.scope)) === true;
        }
        const denied = status === 401 || status === 403;
        if (allowed === denied) mismatches.push(`${route.method} ${route.url} as ${p.label}: ${status}`);
        if (!allowed && p.role === null && status !== 401) {
          mismatches.push(`${route.method} ${route.url} anonymous: ${status}, expected 401`);
        }
      }
      // A DELETE that was allowed removed the project: bring it back so the next route meets it alive.
      if ((await findProjectByCode(t.ctx.db, PROJECT))?.deleted_at !== null) await t.project(PROJECT, owner);
    }
    expect(mismatches).toEqual([]);
  });

  it("refuses a deactivated owner's token everywhere with 401", async () => {
    const bad: string[] = [];
    for (const route of t.routes.filter((r) => r.access !== "public" && r.method !== "HEAD")) {
      const status = await call(route, deactivatedSecret);
      if (status !== 401) bad.push(`${route.method} ${route.url}: ${status}`);
    }
    expect(bad).toEqual([]);
  });

  it("keeps a project-restricted token inside its projects", async () => {
    const bad: string[] = [];
    for (const route of t.routes.filter((r) => r.access !== "public" && r.method !== "HEAD")) {
      const status = await call(route, restrictedSecret);
      const mayPass =
        route.access === "authenticated" ||
        (!isProjectScoped(route) && RESTRICTED_TOKEN_WORKSPACE.has(route.access));
      if (mayPass === (status === 403)) bad.push(`${route.method} ${route.url}: ${status}`);
    }
    expect(bad).toEqual([]);
  });
});
