// The per-request checks have two paths: one synchronous, when the read cache keeps the token and the
// project (SQLite, in-process limiter), and the full one. Every call here is repeated, so that from the
// second on the kept path answers (on SQLite; PostgreSQL keeps nothing and proves the full path gives
// the same answers). Each answer must be the one the full path gives, the limit must count each request
// once, and a write must take effect at the next request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserRow } from "../../src/features/users/users.repository.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

const LIMIT = 20;

describe.each(dialects)("per-request checks from kept facts on $name", (dialect) => {
  let t: TestApp;
  let admin: UserRow;
  let member: UserRow;

  beforeAll(async () => {
    t = await startApp(dialect, { env: { VERDICT_RATE_LIMIT: String(LIMIT) } });
    admin = await t.user("admin");
    member = await t.user("member");
    await t.project("OPEN", admin, "all");
    await t.project("SHUT", admin, "none");
  });
  afterAll(() => t.close());

  const get = (token: string, url: string) => t.app.inject({ url, headers: { token } });
  /** The same request three times: the statuses, and the errors' messages when refused. */
  async function thrice(token: string, url: string) {
    const out: (number | string)[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await get(token, url);
      out.push(res.statusCode === 200 ? 200 : `${res.statusCode} ${res.json().errorMessage}`);
    }
    return out;
  }

  it("serves a kept token and project, and the same refusals again and again", async () => {
    const token = await t.token(member);
    expect(await thrice(token, "/v1/project/OPEN")).toEqual([200, 200, 200]);
    const shut = await thrice(token, "/v1/project/SHUT");
    expect(shut).toEqual(Array(3).fill("403 You have no access to project SHUT"));
    expect(await thrice(token, "/v1/project/NOPE")).toEqual(Array(3).fill('404 Project "NOPE" not found'));

    const restricted = await t.token(member, { projects: ["OPEN"] });
    expect(await thrice(restricted, "/v1/project/OPEN")).toEqual([200, 200, 200]);
    expect(await thrice(restricted, "/v1/project/SHUT")).toEqual(
      Array(3).fill("403 This token is restricted to other projects than SHUT"),
    );
    expect(await thrice(restricted, "/v1/user")).toEqual(
      Array(3).fill("403 This token is restricted to projects and cannot act on the whole workspace"),
    );

    const readOnly = await t.token(member, { scopes: ["read"] });
    const post = () =>
      t.app.inject({
        method: "POST",
        url: "/v1/suite/OPEN",
        headers: { token: readOnly },
        payload: { title: "S" },
      });
    for (let i = 0; i < 3; i++) {
      await get(readOnly, "/v1/project/OPEN");
      const res = await post();
      expect(res.statusCode).toBe(403);
      expect(res.json().errorMessage).toBe('Missing permission "repository.write" (role or token scope)');
    }
  });

  it("lets a write take effect at the next request: membership granted, token revoked", async () => {
    const token = await t.token(member, { title: "to revoke" });
    const adminToken = await t.token(admin);
    expect((await get(token, "/v1/project/SHUT")).statusCode).toBe(403);
    const grant = await t.app.inject({
      method: "POST",
      url: "/v1/project/SHUT/access",
      headers: { token: adminToken },
      payload: { member_id: member.id },
    });
    expect(grant.statusCode).toBe(200);
    expect(await thrice(token, "/v1/project/SHUT")).toEqual([200, 200, 200]);

    const list = (await get(token, "/v1/token")).json().result.entities as { id: number; title: string }[];
    const revoke = await t.app.inject({
      method: "DELETE",
      url: `/v1/token/${list.find((k) => k.title === "to revoke")?.id}`,
      headers: { token },
    });
    expect(revoke.statusCode).toBe(200);
    expect(await thrice(token, "/v1/project/OPEN")).toEqual(
      Array(3).fill("401 Unauthorized: the API token is missing, invalid, expired or revoked."),
    );
  });

  it("counts each request once against the limit, then answers 429 with Retry-After", async () => {
    const token = await t.token(member);
    const remaining: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await get(token, "/v1/project/OPEN");
      expect(res.statusCode).toBe(200);
      expect(res.headers["ratelimit-limit"]).toBe(String(LIMIT));
      remaining.push(Number(res.headers["ratelimit-remaining"]));
    }
    expect(remaining).toEqual(Array.from({ length: LIMIT }, (_, i) => LIMIT - 1 - i));
    const over = await get(token, "/v1/project/OPEN");
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers["retry-after"])).toBeGreaterThan(0);
    expect(over.headers["ratelimit-remaining"]).toBe("0");
  });

  it("answers from kept facts on SQLite: the read cache serves the token and project", async () => {
    // PostgreSQL keeps them until its change feed says otherwise: test/foundation/pg-change-cache.
    if (dialect.name !== "sqlite") return;
    const token = await t.token(member);
    // The first request writes the token's last use, which empties the cache; the second keeps it.
    await get(token, "/v1/project/OPEN");
    await get(token, "/v1/project/OPEN");
    const before = t.ctx.cache.stats.hits;
    for (let i = 0; i < 5; i++) expect((await get(token, "/v1/project/OPEN")).statusCode).toBe(200);
    // Two kept facts a request (the token, the project), nothing loaded.
    expect(t.ctx.cache.stats.hits - before).toBe(10);
  });
});
