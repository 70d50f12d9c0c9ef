import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setMaintenance } from "../../src/features/settings/settings.service.js";
import type { UserRow } from "../../src/features/users/users.repository.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects, otherPgSession } from "../helpers/stores.js";

function isQaseError(body: unknown): boolean {
  const b = body as { status?: unknown; errorMessage?: unknown; errorFields?: unknown };
  return b.status === false && typeof b.errorMessage === "string" && Array.isArray(b.errorFields);
}

describe.each(dialects)("error answers on $name", (dialect) => {
  let t: TestApp;
  let owner: UserRow;
  let token: string;

  beforeAll(async () => {
    t = await startApp(dialect, { env: { VERDICT_BODY_LIMIT: "2048" } });
    owner = await t.user("owner");
    token = await t.token(owner);
    await t.project("ERR", owner);
  });
  afterAll(() => t.close());

  const call = (
    method: string,
    url: string,
    extra: { payload?: string | object; headers?: Record<string, string> } = {},
  ) =>
    t.app.inject({
      method: method as "GET",
      url,
      headers: { token, ...extra.headers },
      payload: extra.payload,
    });

  it("400 for a malformed JSON body", async () => {
    const res = await call("POST", "/v1/project", {
      payload: '{"title": ',
      headers: { "content-type": "application/json" },
    });
    expect(res.statusCode).toBe(400);
    expect(isQaseError(res.json())).toBe(true);
  });

  it("401 and 403 (naming the permission)", async () => {
    const anon = await t.app.inject({ method: "GET", url: "/v1/project" });
    expect(anon.statusCode).toBe(401);
    expect(isQaseError(anon.json())).toBe(true);
    const viewer = await t.token(await t.user("viewer"));
    const res = await t.app.inject({ method: "DELETE", url: "/v1/project/ERR", headers: { token: viewer } });
    expect(res.statusCode).toBe(403);
    expect(res.json().errorMessage).toContain('"project.delete"');
  });

  it("404 for an unknown route and an unknown project; 405 with Allow for a wrong method", async () => {
    const route = await call("GET", "/v1/nothing-here");
    expect(route.statusCode).toBe(404);
    expect(isQaseError(route.json())).toBe(true);
    expect((await call("GET", "/v1/project/NOPE")).statusCode).toBe(404);
    const wrong = await call("PUT", "/v1/project/ERR");
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe("GET, HEAD, PATCH, DELETE");
    expect(isQaseError(wrong.json())).toBe(true);
  });

  it("404 for a deleted project (as Qase answers), and its code can be used again", async () => {
    await t.project("GONE", owner);
    expect((await call("DELETE", "/v1/project/GONE")).statusCode).toBe(200);
    const res = await call("GET", "/v1/project/GONE");
    expect(res.statusCode).toBe(404);
    expect(isQaseError(res.json())).toBe(true);
    expect(
      (await call("POST", "/v1/project", { payload: { title: "Again", code: "GONE" } })).statusCode,
    ).toBe(200);
    expect((await call("GET", "/v1/project/GONE")).statusCode).toBe(200);
  });

  it("413 for a body over the limit", async () => {
    const res = await call("POST", "/v1/project", { payload: { title: "x".repeat(4096), code: "BIG" } });
    expect(res.statusCode).toBe(413);
    expect(isQaseError(res.json())).toBe(true);
  });

  it("422 with one errorFields entry per invalid field, and nothing stored", async () => {
    const res = await call("POST", "/v1/project", { payload: { code: "1", access: "everyone" } });
    expect(res.statusCode).toBe(422);
    const fields = (res.json().errorFields as { field: string }[]).map((f) => f.field).sort();
    expect(fields).toEqual(["access", "code", "title"]);
    const semantic = await call("POST", "/v1/project", { payload: { title: "ok", code: "A1" } });
    expect(semantic.statusCode).toBe(422);
    expect(semantic.json().errorFields).toEqual([{ field: "code", error: "must be 2 to 10 Latin letters" }]);
    expect(
      (await t.ctx.db.selectFrom("projects").select("code").where("code", "=", "A1").execute()).length,
    ).toBe(0);
  });

  it("503 with Retry-After in maintenance mode, while /healthz still answers", async () => {
    await setMaintenance(t.ctx.db, true);
    await new Promise((r) => setTimeout(r, 1100)); // the per-node maintenance cache lives one second
    const res = await call("GET", "/v1/project");
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("60");
    expect(isQaseError(res.json())).toBe(true);
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    await setMaintenance(t.ctx.db, false);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call("GET", "/v1/project")).statusCode).toBe(200);
  });
});

describe.each(dialects)("500 and readiness on $name", (dialect) => {
  it("answers 500 with a request id and no stack when the database is gone, and /readyz says 503", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await startApp(dialect, { logger: { level: "info", stream: sink } });
    const owner = await t.user("owner");
    const token = await t.token(owner);
    expect((await t.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
    await t.store.close();
    const res = await t.app.inject({ method: "GET", url: "/v1/project", headers: { token } });
    expect(res.statusCode).toBe(500);
    expect(res.json().errorMessage).toMatch(/^Internal server error \(request id [\w-]+\)$/);
    expect(res.body).not.toMatch(/at \w+ \(/);
    expect((await t.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(503);
    expect(lines.join("")).not.toContain(token);
    await t.app.close();
    await t.store.dispose().catch(() => undefined);
  });
});

const postgres = dialects.find((d) => d.name === "postgres");

describe.skipIf(!postgres)("a deadlock on PostgreSQL", () => {
  it("answers 503 with Retry-After, having stored nothing, and the retry succeeds", async () => {
    const t = await startApp(postgres as (typeof dialects)[number]);
    try {
      const owner = await t.user("owner");
      const token = await t.token(owner);
      await t.project("DL", owner);
      const call = (method: string, url: string, payload?: object) =>
        t.app.inject({ method: method as "GET", url, headers: { token }, ...(payload ? { payload } : {}) });
      const suite = (await call("POST", "/v1/suite/DL", { title: "target" })).json().result.id;
      const caseId = (await call("POST", "/v1/case/DL", { title: "moved" })).json().result.id;
      const { id: projectId } = await t.ctx.db
        .selectFrom("projects")
        .select("id")
        .where("code", "=", "DL")
        .executeTakeFirstOrThrow();
      // Another session holds the case sequence, then wants the new tag the request has inserted while
      // it waits for that sequence: a circle. Its own deadlock_timeout is longer than the server's, so
      // PostgreSQL breaks the circle by rolling back the request.
      const other = await otherPgSession(t.store);
      try {
        await other.query("begin");
        await other.query("set local deadlock_timeout = '30s'");
        await other.query(
          "select last_id from project_sequences where project_id = $1 and entity = 'case' for update",
          [projectId],
        );
        const move = call("PATCH", `/v1/case/DL/${caseId}`, { suite_id: suite, tags: ["deadlock-tag"] });
        await new Promise((r) => setTimeout(r, 300));
        const tag = other.query(
          "insert into tags (title, created_at) values ('deadlock-tag', 1) on conflict do nothing",
        );
        const res = await move;
        await tag;
        await other.query("rollback");
        expect(res.statusCode).toBe(503);
        expect(res.headers["retry-after"]).toBe("1");
        expect(isQaseError(res.json())).toBe(true);
      } finally {
        await other.end();
      }
      expect((await call("GET", `/v1/case/DL/${caseId}`)).json().result.suite_id).toBe(null);
      expect(
        (await call("PATCH", `/v1/case/DL/${caseId}`, { suite_id: suite, tags: ["deadlock-tag"] }))
          .statusCode,
      ).toBe(200);
      expect((await call("GET", `/v1/case/DL/${caseId}`)).json().result.suite_id).toBe(suite);
    } finally {
      await t.close();
    }
  });
});
