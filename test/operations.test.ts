import net from "node:net";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { RedisRateLimiter } from "../src/http/rate-limit.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

const redisUrl = process.env.VERDICT_TEST_REDIS_URL;
const dialect = dialects[0];

function memoryLog() {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return {
    stream,
    text: () => text,
    entries: () =>
      text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** A TCP server that accepts connections and never answers: a hung Redis. */
async function muteServer() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port where nothing listens: a Redis that is down. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each(dialects)("health and readiness on $name", (d) => {
  it("/healthz answers without auth; /readyz is 200 with a live database and 503 once it is gone", async () => {
    const t = await startApp(d);
    try {
      const health = await t.app.inject({ method: "GET", url: "/healthz" });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: "ok" });

      const ready = await t.app.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: "ok", checks: { database: "ok" } });

      await t.store.close();
      const down = await t.app.inject({ method: "GET", url: "/readyz" });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: "unavailable", checks: { database: "unreachable" } });
      // Liveness does not depend on the database: the process is alive, only not ready.
      expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await t.app.close();
      await t.store.dispose().catch(() => undefined);
    }
  });
});

describe.skipIf(!dialect)("readiness with Redis", () => {
  it("reports Redis degraded when it is down, and the API answers from the in-process limiter at once", async () => {
    if (!dialect) return;
    // A long connect timeout: the fallback must not wait for it.
    const limiter = new RedisRateLimiter(`redis://127.0.0.1:${await closedPort()}`, "verdict-test:", {
      connectTimeoutMs: 10_000,
    });
    const log = memoryLog();
    const t = await startApp(dialect, {
      limiter,
      env: { VERDICT_RATE_LIMIT: "3" },
      logger: { level: "info", stream: log.stream },
    });
    try {
      const token = await t.token(await t.user("owner"));
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const api = await t.app.inject({ method: "GET", url: "/v1/project", headers: { token } });
        statuses.push(api.statusCode);
        // Counted (by the fallback), not let through uncounted.
        expect(api.headers["ratelimit-limit"]).toBe("3");
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const ready = await t.app.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(200);
      const body = ready.json();
      expect(body).toMatchObject({ status: "degraded", checks: { database: "ok", redis: "degraded" } });
      expect(body.reasons.redis).toMatch(/ECONNREFUSED|not connected/);
      const opened = log.entries().filter((e) => String(e.msg).startsWith("Redis unavailable"));
      expect(opened).toHaveLength(1); // once, not once per request
    } finally {
      await t.close();
      await limiter.close();
    }
  });

  it("does not hang, neither /readyz nor the API, when Redis accepts connections but never answers", async () => {
    if (!dialect) return;
    const mute = await muteServer();
    const limiter = new RedisRateLimiter(mute.url, "verdict-test:", {
      commandTimeoutMs: 300,
      connectTimeoutMs: 300,
    });
    const t = await startApp(dialect, { limiter });
    try {
      const ready = await t.app.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ status: "degraded", checks: { redis: "degraded" } });
      const token = await t.token(await t.user("owner"));
      const api = await t.app.inject({ method: "GET", url: "/v1/project", headers: { token } });
      expect(api.statusCode).toBe(200);
      expect(api.headers["ratelimit-remaining"]).toBeDefined();
    } finally {
      await t.close();
      await limiter.close();
      await mute.close();
    }
  });

  it.skipIf(!redisUrl)("is 200 with a reachable Redis", async () => {
    if (!dialect || !redisUrl) return;
    const limiter = new RedisRateLimiter(redisUrl, "verdict-test:ready:");
    const t = await startApp(dialect, { limiter });
    try {
      const ready = await t.app.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: "ok", checks: { database: "ok", redis: "ok" } });
    } finally {
      await t.close();
      await limiter.close();
    }
  });
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Structural checks of the OpenAPI 3 rules a client generator trips over; returns the problems found. */
function openApiProblems(doc: JsonObject): string[] {
  const problems: string[] = [];
  if (typeof doc.openapi !== "string" || !/^3\.[01]\.\d+$/.test(doc.openapi))
    problems.push("openapi is not 3.x.y");
  const info = doc.info;
  if (!isObject(info) || typeof info.title !== "string" || typeof info.version !== "string") {
    problems.push("info.title and info.version are required");
  }
  const resolve = (ref: string): Json | undefined => {
    if (!ref.startsWith("#/")) return undefined;
    let node: Json | undefined = doc;
    for (const raw of ref.slice(2).split("/")) {
      const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
    }
    return node;
  };
  const walk = (node: Json, where: string) => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) walk(n, `${where}/${i}`);
    } else if (isObject(node)) {
      if (typeof node.$ref === "string" && resolve(node.$ref) === undefined) {
        problems.push(`${where}: unresolved $ref ${node.$ref}`);
      }
      for (const [k, v] of Object.entries(node))
        walk(v, `${where}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`);
    }
  };
  walk(doc, "#");

  const schemes = isObject(doc.components) ? doc.components.securitySchemes : undefined;
  for (const req of Array.isArray(doc.security) ? doc.security : []) {
    for (const name of isObject(req) ? Object.keys(req) : []) {
      if (!isObject(schemes) || !isObject(schemes[name]))
        problems.push(`security scheme ${name} is not defined`);
    }
  }

  const paths = doc.paths;
  if (!isObject(paths)) return [...problems, "paths is not an object"];
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith("/")) problems.push(`${path}: paths start with /`);
    if (path.includes("/:")) problems.push(`${path}: Fastify-style parameter left in the path`);
    if (!isObject(item)) {
      problems.push(`${path}: not a path item`);
      continue;
    }
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of Object.keys(item).filter((k) => HTTP_METHODS.includes(k))) {
      const op = item[method];
      const where = `${method.toUpperCase()} ${path}`;
      if (!isObject(op)) {
        problems.push(`${where}: not an operation`);
        continue;
      }
      if (!isObject(op.responses) || Object.keys(op.responses).length === 0)
        problems.push(`${where}: no responses`);
      else {
        for (const code of Object.keys(op.responses)) {
          if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(code))
            problems.push(`${where}: bad response key ${code}`);
        }
      }
      if (typeof op.operationId === "string") {
        if (operationIds.has(op.operationId)) problems.push(`${where}: duplicate operationId`);
        operationIds.add(op.operationId);
      }
      const params = [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(op.parameters) ? op.parameters : []),
      ].filter(isObject);
      for (const p of params) {
        if (typeof p.name !== "string" || !["query", "header", "path", "cookie"].includes(String(p.in))) {
          problems.push(`${where}: parameter without name or valid "in"`);
        }
        if (p.in === "path" && (p.required !== true || !templated.includes(String(p.name)))) {
          problems.push(`${where}: path parameter ${String(p.name)} must be required and in the template`);
        }
      }
      for (const name of templated) {
        if (!params.some((p) => p.in === "path" && p.name === name)) {
          problems.push(`${where}: path parameter {${name}} is not declared`);
        }
      }
    }
  }
  return problems;
}

describe.skipIf(!dialect)("OpenAPI", () => {
  let t: TestApp;
  beforeAll(async () => {
    if (dialect) t = await startApp(dialect);
  });
  afterAll(() => t?.close());

  it("serves a valid OpenAPI 3 document at /openapi.json without auth", async () => {
    const res = await t.app.inject({ method: "GET", url: "/openapi.json" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    const doc = res.json() as JsonObject;
    expect(openApiProblems(doc)).toEqual([]);
    const paths = doc.paths as Record<string, JsonObject>;
    expect(Object.keys(paths["/v1/project"] ?? {})).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(paths["/v1/token"] ?? {})).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(paths["/v1/project/{code}"] ?? {})).toEqual(expect.arrayContaining(["get", "delete"]));
    expect(Object.keys(paths)).not.toContain("/healthz");
  });

  it("lists every registered /v1 and /v2 route, so the spec is generated from the routes", async () => {
    const doc = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json() as JsonObject;
    const paths = doc.paths as Record<string, JsonObject>;
    const missing = t.routes
      .filter((r) => /^\/v[12]\//.test(r.url) && r.method !== "HEAD")
      .map((r) => ({ method: r.method.toLowerCase(), path: r.url.replace(/:(\w+)/g, "{$1}") }))
      .filter(({ method, path }) => !isObject(paths[path]?.[method]))
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
  });

  it("finds problems in a broken document (the checker itself can fail)", () => {
    const broken: JsonObject = {
      openapi: "2.0",
      info: { title: "x" },
      security: [{ Nope: [] }],
      paths: {
        "/v1/project/:code": { get: { responses: {} } },
        "/v1/a/{id}": { get: { responses: { 200: { $ref: "#/components/responses/Missing" } } } },
      },
    };
    expect(openApiProblems(broken)).toEqual([
      "openapi is not 3.x.y",
      "info.title and info.version are required",
      "#/paths/~1v1~1a~1{id}/get/responses/200: unresolved $ref #/components/responses/Missing",
      "security scheme Nope is not defined",
      "/v1/project/:code: Fastify-style parameter left in the path",
      "GET /v1/project/:code: no responses",
      "GET /v1/a/{id}: path parameter {id} is not declared",
    ]);
  });
});

describe.skipIf(!dialect)("log redaction", () => {
  it("never writes a Token, an Authorization header, a session cookie or a password into the log", async () => {
    if (!dialect) return;
    const log = memoryLog();
    const t = await startApp(dialect);
    const owner = await t.user("owner", "redaction@example.test");
    const token = await t.token(owner);
    const wrongToken = "vdt_notarealsecretbutstillasecret0000000000";
    const app = (
      await buildApp({
        config: t.config,
        store: t.store,
        logger: {
          level: "trace",
          stream: log.stream,
          // As an operator debugging a proxy might configure: whole header sets in every request line.
          serializers: {
            req: (req: { method: string; url: string; headers: object }) => ({
              method: req.method,
              url: req.url,
              headers: req.headers,
            }),
            res: (reply: { statusCode: number; getHeaders?: () => object }) => ({
              statusCode: reply.statusCode,
              headers: reply.getHeaders?.(),
            }),
          },
        },
        extend: (a) => {
          // Code that logs headers by hand, flat or nested one level down.
          a.addHook("onRequest", async (req) => {
            req.log.info({ headers: req.headers }, "request headers");
            req.log.debug({ request: { headers: req.headers } }, "request headers, nested");
          });
          // A failure whose error carries the request headers, as HTTP client errors do.
          a.get("/v1/test-only/fail", { config: { access: "authenticated" } }, async (req) => {
            throw Object.assign(new Error("upstream refused"), { headers: { ...req.headers } });
          });
        },
      })
    ).app;
    try {
      const login = await app.inject({
        method: "POST",
        url: "/v1/auth/login",
        payload: { email: "redaction@example.test", password: "password-123" },
      });
      expect(login.statusCode).toBe(200);
      const cookie = login.cookies.find((c) => c.name === "verdict_session");
      expect(cookie?.value).toBeTruthy();
      const session = cookie?.value ?? "";

      expect((await app.inject({ method: "GET", url: "/v1/project", headers: { token } })).statusCode).toBe(
        200,
      );
      const bearer = { authorization: `Bearer ${token}` };
      expect((await app.inject({ method: "GET", url: "/v1/project", headers: bearer })).statusCode).toBe(200);
      const viaCookie = { cookie: `verdict_session=${session}` };
      expect((await app.inject({ method: "GET", url: "/v1/auth/me", headers: viaCookie })).statusCode).toBe(
        200,
      );
      const guess = { token: wrongToken };
      expect((await app.inject({ method: "GET", url: "/v1/project", headers: guess })).statusCode).toBe(401);
      const failing = await app.inject({ method: "GET", url: "/v1/test-only/fail", headers: { token } });
      expect(failing.statusCode).toBe(500);

      const text = log.text();
      // The log really holds those requests, their headers and the error: redaction had work to do.
      expect(text).toContain("request headers");
      expect(text).toContain("upstream refused");
      expect(text).toContain('"user-agent":"lightMyRequest"');
      expect(text).toContain("[redacted]");
      for (const secret of [token, wrongToken, session, "password-123"]) expect(text).not.toContain(secret);
      // Nor a recognisable part of one: the random body of each token.
      for (const secret of [token, wrongToken]) expect(text).not.toContain(secret.slice(4, 24));
    } finally {
      await app.close();
      await t.close();
    }
  });
});

describe.skipIf(!dialect)("secrets in logged URLs", () => {
  it("redacts a token in ?token= and other secret parameters, by name and by a Verdict token's shape", async () => {
    if (!dialect) return;
    const log = memoryLog();
    const t = await startApp(dialect, { logger: { level: "debug", stream: log.stream } });
    try {
      const token = await t.token(await t.user("owner"));
      const refused = await t.app.inject({ method: "GET", url: `/v1/project?token=${token}` });
      expect(refused.statusCode).toBe(401);
      const urls = [
        "/v1/project?api_token=plain-secret-1&limit=5",
        "/v1/project?limit=5&ACCESS_TOKEN=plain-secret-2",
        "/v1/project?password=plain-secret-3;secret=plain-secret-4",
        "/v1/auth/setup?setup_code=plain-secret-5&code=plain-secret-6&key=plain-secret-7",
        `/v1/no-such-route/${token}`,
        `/v1/project?q=${token}`,
      ];
      for (const url of urls) await t.app.inject({ method: "GET", url, headers: { token } });
      const text = log.text();
      // The request lines are there, with their harmless parts: redaction had work to do.
      expect(text).toContain("/v1/project?api_token=[redacted]&limit=5");
      expect(text).toContain("/v1/project?token=[redacted]");
      expect(text).toContain("/v1/no-such-route/[redacted]");
      for (const secret of [token, token.slice(4, 24)]) expect(text).not.toContain(secret);
      for (let i = 1; i <= 7; i++) expect(text).not.toContain(`plain-secret-${i}`);
    } finally {
      await t.close();
    }
  });
});
