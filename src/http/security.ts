import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import type { AppContext } from "../context.js";
import type { ProjectRow } from "../features/projects/projects.repository.js";
import { keptProjectForRequest, projectForRequest } from "../features/projects/projects.service.js";
import { authenticateSession, SESSION_COOKIE } from "../features/sessions/sessions.service.js";
import { getMaintenance } from "../features/settings/settings.service.js";
import { authenticateToken, keptTokenPrincipal } from "../features/tokens/tokens.service.js";
import { ApiError, fail } from "./errors.js";
import { hostCheck } from "./hosts.js";
import { PERMISSIONS, type Permission, WORKSPACE_PERMISSIONS_FOR_RESTRICTED_TOKENS } from "./permissions.js";
import type { Principal } from "./principal.js";
import type { RateDecision } from "./rate-limit.js";

/**
 * What a route needs: a named permission, "authenticated" (any signed-in caller, e.g. sign-out), or
 * "public" (health, sign-in, the spec). Every route must declare one; the app refuses to start otherwise.
 */
export type RouteAccess = Permission | "authenticated" | "public";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** false: outside the rate limit and maintenance mode (health probes). */
    operational?: boolean;
    /** Sets a session cookie (sign-in, setup): the Host and any Origin must be this server's. */
    setsSession?: boolean;
    /** Set at registration from the URL: the path parameter holding a project code. */
    projectParam?: string;
  }
  interface FastifyRequest {
    principal: Principal | null;
    project: ProjectRow | null;
  }
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const PROJECT_PARAMS = ["code", "project_code"];
const MAINTENANCE_CACHE_MS = 1000;

/** Every registered route: method list by URL, for the 405 answer and for the access matrix test. */
export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

export function declareRoutePolicy(app: FastifyInstance, routes: RegisteredRoute[]) {
  app.addHook("onRoute", (route: RouteOptions) => {
    const config = (route.config ?? {}) as { access?: RouteAccess; projectParam?: string };
    const access = config.access;
    if (
      access === undefined ||
      !(access === "public" || access === "authenticated" || PERMISSIONS.includes(access))
    ) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no valid access (config.access)`);
    }
    const param = PROJECT_PARAMS.find((p) => route.url.includes(`:${p}`));
    if (param && access !== "public") config.projectParam = param;
    route.config = config;
    for (const m of [route.method].flat()) routes.push({ method: m, url: route.url, access });
  });
}

function credentialOf(req: FastifyRequest): string | null {
  const token = req.headers.token;
  if (typeof token === "string" && token.length > 0) return token.trim();
  const auth = req.headers.authorization;
  if (typeof auth === "string" && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, "").trim();
  return null;
}

function sameOrigin(req: FastifyRequest, publicUrl: string | undefined): boolean {
  let origin = req.headers.origin;
  if (!origin && typeof req.headers.referer === "string") {
    try {
      origin = new URL(req.headers.referer).origin;
    } catch {
      return false;
    }
  }
  if (!origin) return false;
  const own = `${req.protocol}://${req.host}`;
  return origin === own || (publicUrl !== undefined && origin === new URL(publicUrl).origin);
}

export function registerSecurityHooks(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest("principal", null);
  app.decorateRequest("project", null);
  const limit = ctx.config.rateLimit;
  let maintenance = { checkedAt: 0, on: false };
  const maintenanceKnown = () => Date.now() - maintenance.checkedAt <= MAINTENANCE_CACHE_MS;

  const rule = { limit, windowMs: 60_000 };
  const knownHost = hostCheck(app, ctx.config);
  /** Requests whose session cookie a browser sends or receives must name this server (DNS rebinding). */
  function requireKnownHost(req: FastifyRequest) {
    if (!knownHost(req)) {
      throw fail.forbidden(
        `Refused: "${req.host}" is not a name of this server; set VERDICT_PUBLIC_URL or VERDICT_ALLOWED_HOSTS`,
      );
    }
  }
  ctx.limiter.reportTo?.(app.log);

  /** Sets the RateLimit headers for a counted request; past the limit, the 429. */
  function applyCount({ allowed, count, resetInMs }: RateDecision, reply: FastifyReply) {
    const resetIn = Math.min(60, Math.max(1, Math.ceil(resetInMs / 1000)));
    reply.header("ratelimit-limit", limit);
    reply.header("ratelimit-remaining", Math.max(0, limit - count));
    reply.header("ratelimit-reset", resetIn);
    if (!allowed) {
      throw new ApiError(
        "rate_limited",
        `Rate limit of ${limit} requests per minute exceeded; retry in ${resetIn} s`,
        [],
        { "retry-after": String(resetIn) },
      );
    }
  }

  async function rateLimit(key: string, reply: FastifyReply) {
    // A Redis limiter answers from this process while Redis is unreachable (it never throws for that).
    applyCount(await ctx.limiter.hit(key, rule), reply);
  }

  function maintenanceGate() {
    if (maintenance.on) {
      throw new ApiError("maintenance", "Verdict is down for maintenance; try again shortly", [], {
        "retry-after": "60",
      });
    }
  }

  /**
   * What follows authentication, on both paths: the route's permission, then the project it names.
   * Returns a promise only when the project must be looked up.
   */
  function authorize(
    req: FastifyRequest,
    principal: Principal,
    access: Exclude<RouteAccess, "public">,
    projectParam: string | undefined,
  ): void | Promise<void> {
    req.principal = principal;
    if (access !== "authenticated" && !principal.permissions.has(access)) {
      throw fail.forbidden(
        `Missing permission "${access}"${principal.token ? " (role or token scope)" : ""}`,
      );
    }
    if (projectParam) {
      const code = (req.params as Record<string, string>)[projectParam] ?? "";
      const kept = keptProjectForRequest(ctx, principal, code);
      if (kept) {
        req.project = kept;
        return;
      }
      return projectForRequest(ctx, principal, code).then((project) => {
        req.project = project;
      });
    }
    if (
      principal.token?.projects &&
      access !== "authenticated" &&
      !WORKSPACE_PERMISSIONS_FOR_RESTRICTED_TOKENS.has(access)
    ) {
      throw fail.forbidden("This token is restricted to projects and cannot act on the whole workspace");
    }
  }

  /** Every check, with whatever it has to look up or wait for. */
  async function check(
    req: FastifyRequest,
    reply: FastifyReply,
    access: RouteAccess,
    projectParam: string | undefined,
  ) {
    if (!maintenanceKnown()) {
      maintenance = { checkedAt: Date.now(), on: (await getMaintenance(ctx.db)).on };
    }
    maintenanceGate();

    const ip = req.ip ?? null;
    if (access === "public") {
      await rateLimit(`ip:${ip}`, reply);
      if (req.routeOptions.config.setsSession) {
        requireKnownHost(req);
        if (req.headers.origin !== undefined && !sameOrigin(req, ctx.config.publicUrl)) {
          throw fail.forbidden("Cross-site request refused: the Origin header does not match this server");
        }
      }
      return;
    }
    let principal: Principal | null = null;
    const credential = credentialOf(req);
    if (credential !== null) {
      principal = await authenticateToken(ctx, credential, ip);
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) {
        requireKnownHost(req);
        principal = await authenticateSession(ctx, cookie, ip);
        if (principal && UNSAFE.has(req.method) && !sameOrigin(req, ctx.config.publicUrl)) {
          throw fail.forbidden("Cross-site request refused: the Origin header does not match this server");
        }
      }
    }
    if (principal === null) {
      await rateLimit(`ip:${ip}`, reply); // failed guesses are limited per address
      throw fail.unauthorized();
    }
    await rateLimit(principal.token ? `token:${principal.token.id}` : `user:${principal.user.id}`, reply);
    await authorize(req, principal, access, projectParam);
  }

  /**
   * The same checks without a promise, for the common case of a CI or script call: a token the read
   * cache keeps and an in-process limiter. Returns false, having done nothing yet, when anything must
   * be looked up first (the caller then runs `check`); once the request is counted it finishes here,
   * with a promise only if the project must be looked up.
   */
  function checkFromKept(
    req: FastifyRequest,
    reply: FastifyReply,
    access: RouteAccess,
    projectParam: string | undefined,
  ): boolean | Promise<void> {
    const limiter = ctx.limiter;
    if (!limiter.hitNow || !maintenanceKnown() || access === "public") return false;
    maintenanceGate();
    const credential = credentialOf(req);
    if (credential === null) return false;
    const principal = keptTokenPrincipal(ctx, credential, req.ip ?? null);
    if (principal === undefined || principal.token === null) return false;
    applyCount(limiter.hitNow(`token:${principal.token.id}`, rule), reply);
    return authorize(req, principal, access, projectParam) ?? true;
  }

  app.addHook("onRequest", (req, reply, done) => {
    let outcome: boolean | Promise<void>;
    try {
      // Every answer over HTTPS carries HSTS, including those of the not-found handler.
      if (req.protocol === "https")
        reply.header("strict-transport-security", "max-age=31536000; includeSubDomains");
      const config = req.routeOptions.config;
      const access = config.access;
      // No access: an unknown route (the not-found handler answers). Operational: health probes.
      if (access === undefined || config.operational === false) return done();
      if (ctx.config.requireHttps && req.protocol !== "https") {
        throw fail.forbidden("HTTPS is required: this server refuses API calls over plain HTTP");
      }
      outcome = checkFromKept(req, reply, access, config.projectParam);
      if (outcome === false) outcome = check(req, reply, access, config.projectParam);
    } catch (err) {
      return done(err as Error);
    }
    if (outcome === true) return done();
    outcome.then(() => done(), done);
  });
}

/** The principal of an authenticated route; throws if a route declared "public" asks for one. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw fail.unauthorized();
  return req.principal;
}

export function projectOf(req: FastifyRequest): ProjectRow {
  if (!req.project) throw new Error(`route ${req.routeOptions.url} has no project parameter`);
  return req.project;
}
