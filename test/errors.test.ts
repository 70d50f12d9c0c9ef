import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildOptions, type BuiltApp, buildApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { setMaintenance } from "../src/features/settings/settings.service.js";
import type { UserRow } from "../src/features/users/users.repository.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json(): unknown;
}

interface QaseError {
  status: false;
  errorMessage: string;
  errorFields: { field: string; error: string }[];
}

/** Asserts the answer is the Qase error body with the given status, and returns that body. */
function qaseError(res: Answer, status: number): QaseError {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const body = res.json() as QaseError;
  expect(Object.keys(body).sort()).toEqual(["errorFields", "errorMessage", "status"]);
  expect(body.status).toBe(false);
  expect(body.errorMessage).toEqual(expect.any(String));
  expect(body.errorMessage.length).toBeGreaterThan(0);
  expect(Array.isArray(body.errorFields)).toBe(true);
  return body;
}

function logSink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { stream, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe.each(dialects)("the error table on $name", (dialect) => {
  let t: TestApp;
  let owner: UserRow;
  let token: string;
  const extra: BuiltApp[] = [];

  /** Another node on the same store, for what needs other settings or test-only routes. */
  async function node(env: Record<string, string>, opts: Partial<BuildOptions> = {}) {
    const built = await buildApp({
      config: loadConfig({ dataDir: "/nonexistent" }, { ...env }),
      store: t.store,
      logger: false,
      ...opts,
    });
    extra.push(built);
    return built;
  }

  beforeAll(async () => {
    t = await startApp(dialect, { env: { VERDICT_BODY_LIMIT: "1024" } });
    owner = await t.user("owner");
    token = await t.token(owner);
    await t.project("ERR", owner);
  });
  afterAll(async () => {
    for (const b of extra) await b.app.close();
    await t.close();
  });

  const call = (method: string, url: string, opts: { payload?: string | object; headers?: object } = {}) =>
    t.app.inject({
      method: method as "GET",
      url,
      headers: { token, ...opts.headers },
      ...(opts.payload !== undefined ? { payload: opts.payload } : {}),
    });

  it("400 for malformed JSON, an empty JSON body, a body that is not JSON and a malformed URL", async () => {
    const json = { "content-type": "application/json" };
    expect(
      qaseError(await call("POST", "/v1/project", { payload: '{"title": "x",', headers: json }), 400)
        .errorMessage,
    ).toMatch(/not valid JSON/);
    qaseError(await call("POST", "/v1/project", { payload: "", headers: json }), 400);
    const form = { "content-type": "application/x-www-form-urlencoded" }; // curl -d without -H
    expect(
      qaseError(await call("POST", "/v1/project", { payload: "title=x&code=XX", headers: form }), 400)
        .errorMessage,
    ).toMatch(/Content-Type/);
    expect(qaseError(await call("GET", "/v1/project/%E0%A4%A"), 400).errorMessage).toMatch(/^Malformed/);
  });

  it("401 with one message whatever is wrong with the credential", async () => {
    const answers = [
      await t.app.inject({ method: "GET", url: "/v1/project" }),
      await t.app.inject({ method: "GET", url: "/v1/project", headers: { token: "vdt_wrong" } }),
      await t.app.inject({
        method: "GET",
        url: "/v1/project",
        headers: { authorization: "Bearer vdt_wrong" },
      }),
      await t.app.inject({ method: "GET", url: "/v1/project", headers: { authorization: `Basic ${token}` } }),
      await t.app.inject({ method: "GET", url: "/v1/project", headers: { cookie: "verdict_session=nope" } }),
    ];
    const messages = new Set(answers.map((res) => qaseError(res, 401).errorMessage));
    expect(messages.size).toBe(1);
  });

  it("403 naming the missing permission", async () => {
    const viewer = await t.token(await t.user("viewer"));
    const denied = await t.app.inject({
      method: "DELETE",
      url: "/v1/project/ERR",
      headers: { token: viewer },
    });
    expect(qaseError(denied, 403).errorMessage).toContain('"project.delete"');
    const readOnly = await t.token(owner, { scopes: ["read"] });
    const scoped = await t.app.inject({
      method: "POST",
      url: "/v1/project",
      headers: { token: readOnly },
      payload: { title: "Nope", code: "NOPE" },
    });
    expect(qaseError(scoped, 403).errorMessage).toContain('"project.create"');
  });

  it("404 for an unknown route and an unknown project", async () => {
    expect(qaseError(await call("GET", "/v1/no-such-thing"), 404).errorMessage).toContain(
      "/v1/no-such-thing",
    );
    qaseError(await t.app.inject({ method: "POST", url: "/nowhere" }), 404);
    expect(qaseError(await call("GET", "/v1/project/NOPE"), 404).errorMessage).toMatch(/not found/i);
  });

  it("405 with an Allow header for a known path and a wrong method", async () => {
    const put = await call("PUT", "/v1/project/ERR", { payload: {} });
    qaseError(put, 405);
    expect(put.headers.allow).toBe("GET, HEAD, PATCH, DELETE");
    const patch = await call("PATCH", "/v1/project");
    qaseError(patch, 405);
    expect(String(patch.headers.allow).split(", ").sort()).toEqual(["GET", "HEAD", "POST"]);
  });

  it("404 for a deleted project, as for one that never existed (as Qase answers)", async () => {
    await t.project("GONE", owner);
    expect((await call("DELETE", "/v1/project/GONE")).statusCode).toBe(200);
    expect(qaseError(await call("GET", "/v1/project/GONE"), 404).errorMessage).toMatch(/not found/);
  });

  it("413 for a body over VERDICT_BODY_LIMIT", async () => {
    const res = await call("POST", "/v1/project", { payload: { title: "x".repeat(2048), code: "BIG" } });
    qaseError(res, 413);
    // Just under the limit is accepted (the limit, not the route, refused the first one).
    const fits = await call("POST", "/v1/project", { payload: { title: "x".repeat(200), code: "FITS" } });
    expect(fits.statusCode).toBe(200);
  });

  it("422 with one errorFields entry per invalid field", async () => {
    const res = await call("POST", "/v1/project", { payload: { code: "1" } });
    const body = qaseError(res, 422);
    expect(body.errorFields.map((f) => f.field).sort()).toEqual(["code", "title"]);
    for (const f of body.errorFields) expect(f.error).toEqual(expect.any(String));
    expect(body.errorFields.find((f) => f.field === "title")?.error).toBe("is required");
  });

  it("numbers beyond what the columns hold are client errors on every route, never a 500", async () => {
    // Past PostgreSQL's integer (ids) or bigint (times), the query itself used to fail.
    const huge = ["2147483648", "99999999999999999999"];
    const asked: string[] = [];
    const seen = new Set<string>();
    for (const r of t.routes) {
      const params = (r.url.match(/:\w+/g) ?? []).filter((p) => p !== ":code");
      if (r.method === "HEAD" || params.length === 0 || seen.has(`${r.method} ${r.url}`)) continue;
      seen.add(`${r.method} ${r.url}`);
      for (const n of huge) asked.push(`${r.method} ${r.url.replace(":code", "ERR").replace(/:\w+/g, n)}`);
    }
    for (const n of huge)
      asked.push(
        `GET /v1/result/ERR?from_end_time=${n}000`,
        `GET /v1/result/ERR?to_end_time=${n}000`,
        `GET /v1/run/ERR?from_start_time=${n}000`,
        `GET /v1/run/ERR?to_start_time=${n}000`,
        `GET /v1/audit?user_id=${n}`,
      );
    expect(asked.length).toBeGreaterThan(100);
    const json = { "content-type": "application/json" };
    const wrong: string[] = [];
    for (const line of asked) {
      const [method = "", url = ""] = line.split(" ");
      const res = await call(
        method,
        url,
        method === "GET" || method === "DELETE" ? {} : { payload: "{}", headers: json },
      );
      if (res.statusCode < 400 || res.statusCode >= 500) wrong.push(`${line}: ${res.statusCode} ${res.body}`);
    }
    expect(wrong).toEqual([]);
    const access = await call("POST", "/v1/project/ERR/access", {
      payload: { member_id: 2147483648 },
      headers: json,
    });
    expect(qaseError(access, 422).errorFields.map((f) => f.field)).toEqual(["member_id"]);
    const run = await call("POST", "/v1/run/ERR", { payload: { title: "range" }, headers: json });
    const runId = (run.json() as { result: { id: number } }).result.id;
    const v2 = await call("POST", `/v2/ERR/run/${runId}/results`, {
      payload: `{"results": [{"title": "t", "execution": {"status": "passed"}, "testops_id": 9223372036854775808}]}`,
      headers: json,
    });
    // Named like any unknown case id.
    expect(qaseError(v2, 422).errorFields).toEqual([
      { field: "results.0.testops_id", error: expect.stringMatching(/^no test case ERR-/) },
    ]);
  });

  it("429 past the rate limit, with Retry-After", async () => {
    const limited = await node({ VERDICT_RATE_LIMIT: "1" });
    const get = () => limited.app.inject({ method: "GET", url: "/v1/project", headers: { token } });
    expect((await get()).statusCode).toBe(200);
    const res = await get();
    qaseError(res, 429);
    expect(res.headers["retry-after"]).toMatch(/^([1-9]|[1-5]\d|60)$/);
  });

  it("500 through the real error handler: the request id in the body and the log, no stack or detail", async () => {
    const sink = logSink();
    const extend: BuildOptions["extend"] = (app) => {
      app.get("/v1/test-only/boom", { config: { access: "authenticated" } }, async () => {
        throw new Error("kaboom: internal detail /srv/secret/path");
      });
    };
    const first = await node({}, { extend, logger: { level: "info", stream: sink.stream } });
    const res = await first.app.inject({ method: "GET", url: "/v1/test-only/boom", headers: { token } });
    const body = qaseError(res, 500);
    expect(body.errorFields).toEqual([]);
    const id = /^Internal server error \(request id (\S+)\)$/.exec(body.errorMessage)?.[1];
    expect(id).toBeDefined();
    expect(res.body).not.toContain("kaboom");
    expect(res.body).not.toMatch(/\bat .+:\d+:\d+/);

    const logged = sink.entries().filter((e) => e.level === 50);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.reqId).toBe(id);
    expect(JSON.stringify(logged[0]?.err)).toContain("kaboom");

    // Another node numbers its requests differently: the id points at one line across nodes.
    const second = await node({}, { extend });
    const again = await second.app.inject({ method: "GET", url: "/v1/test-only/boom", headers: { token } });
    expect(qaseError(again, 500).errorMessage).not.toBe(body.errorMessage);
  });

  it("client errors raised by plugins keep a status of the table (others become 400), not 500", async () => {
    const withStatus = (statusCode: number) =>
      Object.assign(new Error(`plugin says ${statusCode}`), { statusCode });
    const plugin = await node(
      {},
      {
        extend: (app) => {
          app.get("/v1/test-only/plugin-404", { config: { access: "authenticated" } }, async () => {
            throw withStatus(404);
          });
          app.get("/v1/test-only/plugin-418", { config: { access: "authenticated" } }, async () => {
            throw withStatus(418);
          });
        },
      },
    );
    const get = (url: string) => plugin.app.inject({ method: "GET", url, headers: { token } });
    expect(qaseError(await get("/v1/test-only/plugin-404"), 404).errorMessage).toBe("plugin says 404");
    expect(qaseError(await get("/v1/test-only/plugin-418"), 400).errorMessage).toBe("plugin says 418");
  });

  it("503 in maintenance mode, with Retry-After, while /healthz answers", async () => {
    await setMaintenance(t.ctx.db, true, "upgrading");
    try {
      // A node that has not read the setting yet (the per-node cache would otherwise delay it a second).
      const down = await node({});
      const res = await down.app.inject({ method: "GET", url: "/v1/project", headers: { token } });
      qaseError(res, 503);
      expect(res.headers["retry-after"]).toMatch(/^\d+$/);
      expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
      qaseError(await down.app.inject({ method: "GET", url: "/v1/project" }), 503);
      expect((await down.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await setMaintenance(t.ctx.db, false);
    }
    const up = await node({});
    expect((await up.app.inject({ method: "GET", url: "/v1/project", headers: { token } })).statusCode).toBe(
      200,
    );
  });
});
