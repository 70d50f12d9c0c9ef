import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserRow } from "../../src/features/users/users.repository.js";
import { setUserActive, setUserRole } from "../../src/features/users/users.service.js";
import { UNAUTHORIZED_MESSAGE } from "../../src/http/errors.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

const DAY = 86_400_000;

describe.each(dialects)("personal access tokens on $name", (dialect) => {
  let t: TestApp;
  let owner: UserRow;
  let ownerToken: string;

  beforeAll(async () => {
    t = await startApp(dialect);
    owner = await t.user("owner");
    ownerToken = await t.token(owner);
    await t.project("ALPHA", owner);
    await t.project("BETA", owner);
  });
  afterAll(() => t.close());

  const req = (
    method: string,
    url: string,
    secret: string | null,
    payload?: object,
    header: "token" | "bearer" = "token",
  ) =>
    t.app.inject({
      method: method as "GET",
      url,
      headers: secret ? (header === "token" ? { token: secret } : { authorization: `Bearer ${secret}` }) : {},
      ...(payload ? { payload } : {}),
    });

  async function issue(secret: string, body: object) {
    const res = await req("POST", "/v1/token", secret, body);
    return {
      res,
      body: res.json() as {
        result: { id: number; token: string; preview: string; expires_at: string | null };
      },
    };
  }

  it("shows the secret once, stores only its hash, and accepts both headers", async () => {
    const { res, body } = await issue(ownerToken, {
      title: "GitHub Actions",
      expires_in_days: 30,
      scopes: ["results"],
    });
    expect(res.statusCode).toBe(200);
    const secret = body.result.token;
    expect(secret).toMatch(/^vdt_[0-9A-Za-z]{38}$/);
    expect(body.result.preview).toBe(`${secret.slice(0, 8)}...${secret.slice(-4)}`);
    expect(Date.parse(body.result.expires_at ?? "") - Date.now()).toBeGreaterThan(29 * DAY);

    const listed = (await req("GET", "/v1/token", ownerToken)).body;
    expect(listed).toContain("GitHub Actions");
    expect(listed).not.toContain(secret);
    const rows = await t.ctx.db.selectFrom("api_tokens").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(secret);
    const audit = await t.ctx.db.selectFrom("audit_log").selectAll().execute();
    expect(JSON.stringify(audit)).not.toContain(secret);

    expect((await req("GET", "/v1/project/ALPHA", secret, undefined, "token")).statusCode).toBe(200);
    expect((await req("GET", "/v1/project/ALPHA", secret, undefined, "bearer")).statusCode).toBe(200);
  });

  it("answers one and the same 401 for missing, malformed, unknown, mistyped, expired and revoked tokens", async () => {
    const { body } = await issue(ownerToken, { title: "short-lived", expires_in_days: 7 });
    const good = body.result.token;
    const flipped = `${good.slice(0, 10)}${good[10] === "a" ? "b" : "a"}${good.slice(11)}`;
    const { body: revokedBody } = await issue(ownerToken, { title: "to revoke" });
    await req("DELETE", `/v1/token/${revokedBody.result.id}`, ownerToken);
    await t.ctx.db
      .updateTable("api_tokens")
      .set({ expires_at: Date.now() - 1000 })
      .where("id", "=", body.result.id)
      .execute();
    const unknown = `vdt_${"A".repeat(32)}000000`;
    const bodies = new Set<string>();
    for (const secret of [null, "nonsense", unknown, flipped, good, revokedBody.result.token]) {
      const res = await req("GET", "/v1/project", secret);
      expect(res.statusCode).toBe(401);
      bodies.add(res.body);
    }
    expect([...bodies]).toEqual([
      JSON.stringify({ status: false, errorMessage: UNAUTHORIZED_MESSAGE, errorFields: [] }),
    ]);
  });

  it("supports every expiry preset, a custom date and never, within the workspace policy", async () => {
    for (const days of [7, 30, 60, 90, 180, 365]) {
      const { res } = await issue(ownerToken, { title: `d${days}`, expires_in_days: days });
      expect(res.statusCode).toBe(200);
    }
    const custom = new Date(Date.now() + 45 * DAY).toISOString().slice(0, 10);
    const { body: c } = await issue(ownerToken, { title: "custom", expires_at: custom });
    expect(c.result.expires_at?.slice(0, 10)).toBe(custom);
    const { body: n } = await issue(ownerToken, { title: "never", expires_at: null });
    expect(n.result.expires_at).toBeNull();
    const past = await issue(ownerToken, { title: "past", expires_at: "2001-01-01" });
    expect(past.res.statusCode).toBe(422);

    const policy = await req("PATCH", "/v1/workspace/settings", ownerToken, {
      token_max_lifetime_days: 90,
      token_allow_never: false,
    });
    expect(policy.statusCode).toBe(200);
    const tooLong = await issue(ownerToken, { title: "long", expires_in_days: 365 });
    expect(tooLong.res.statusCode).toBe(422);
    expect(tooLong.res.json().errorFields).toEqual([
      { field: "expires_in_days", error: "the workspace policy allows at most 90 days" },
    ]);
    const never = await issue(ownerToken, { title: "never again", expires_in_days: null });
    expect(never.res.statusCode).toBe(422);
    expect((await issue(ownerToken, { title: "ok", expires_in_days: 90 })).res.statusCode).toBe(200);
    await req("PATCH", "/v1/workspace/settings", ownerToken, {
      token_max_lifetime_days: null,
      token_allow_never: true,
    });
  });

  it("revokes at once and answers 410 for a second revoke", async () => {
    const { body } = await issue(ownerToken, { title: "temp" });
    const secret = body.result.token;
    expect((await req("GET", "/v1/project", secret)).statusCode).toBe(200);
    expect((await req("DELETE", `/v1/token/${body.result.id}`, ownerToken)).statusCode).toBe(200);
    expect((await req("GET", "/v1/project", secret)).statusCode).toBe(401);
    expect((await req("DELETE", `/v1/token/${body.result.id}`, ownerToken)).statusCode).toBe(410);
    expect((await req("DELETE", "/v1/token/999999", ownerToken)).statusCode).toBe(404);
  });

  it("rotates: a new secret with the same name, scopes, projects and lifetime; the old one stops", async () => {
    const { body } = await issue(ownerToken, {
      title: "rotating",
      expires_in_days: 30,
      scopes: ["read"],
      projects: ["ALPHA"],
    });
    const old = body.result.token;
    const rotated = await req("POST", `/v1/token/${body.result.id}/rotate`, ownerToken);
    expect(rotated.statusCode).toBe(200);
    const r = rotated.json().result as {
      id: number;
      token: string;
      title: string;
      scopes: string[];
      projects: string[];
      expires_at: string;
    };
    expect(r).toMatchObject({ id: body.result.id, title: "rotating", scopes: ["read"], projects: ["ALPHA"] });
    expect(r.token).not.toBe(old);
    expect(Math.abs(Date.parse(r.expires_at) - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
    expect((await req("GET", "/v1/project/ALPHA", old)).statusCode).toBe(401);
    expect((await req("GET", "/v1/project/ALPHA", r.token)).statusCode).toBe(200);
  });

  it("applies the owner's current role and state on every request", async () => {
    const member = await t.user("member");
    const secret = await t.token(member);
    expect((await req("POST", "/v1/project", secret, { title: "M", code: "MEM" })).statusCode).toBe(403);
    await setUserRole(t.ctx, null, member, "admin");
    expect((await req("POST", "/v1/project", secret, { title: "M", code: "MEM" })).statusCode).toBe(200);
    await setUserActive(t.ctx, null, { ...member, role: "admin" }, false);
    expect((await req("GET", "/v1/project", secret)).statusCode).toBe(401);
  });

  it("narrows rights by scope and projects, and names the missing permission", async () => {
    const read = (await issue(ownerToken, { title: "read", scopes: ["read"] })).body.result.token;
    const denied = await req("POST", "/v1/project", read, { title: "X", code: "XX" });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().errorMessage).toContain('"project.create"');
    const ci = (await issue(ownerToken, { title: "ci", scopes: ["results"] })).body.result.token;
    expect((await req("DELETE", "/v1/project/BETA", ci)).statusCode).toBe(403);
    const alphaOnly = (await issue(ownerToken, { title: "alpha", projects: ["alpha"] })).body.result.token;
    expect((await req("GET", "/v1/project/ALPHA", alphaOnly)).statusCode).toBe(200);
    expect((await req("GET", "/v1/project/BETA", alphaOnly)).statusCode).toBe(403);
    const list = (await req("GET", "/v1/project", alphaOnly)).json().result;
    expect(list.entities.map((p: { code: string }) => p.code)).toEqual(["ALPHA"]);
    const unknown = await issue(ownerToken, { title: "bad", projects: ["NOPE"] });
    expect(unknown.res.statusCode).toBe(422);
    expect(unknown.res.json().errorFields[0]).toEqual({
      field: "projects",
      error: "unknown project codes: NOPE",
    });
  });

  it("never lets a token mint a token with more rights, more projects or a longer life than itself", async () => {
    const narrow = (
      await issue(ownerToken, {
        title: "narrow",
        scopes: ["results"],
        projects: ["ALPHA"],
        expires_in_days: 7,
      })
    ).body.result.token;
    const wantFull = await issue(narrow, {
      title: "x",
      scopes: ["full"],
      projects: ["ALPHA"],
      expires_in_days: 1,
    });
    expect(wantFull.res.statusCode).toBe(403);
    // A results token cannot manage tokens at all: token.manage needs the full scope.
    const full7 = (await issue(ownerToken, { title: "full7", projects: ["ALPHA"], expires_in_days: 7 })).body
      .result.token;
    expect(
      (await issue(full7, { title: "y", projects: ["ALPHA", "BETA"], expires_in_days: 1 })).res.statusCode,
    ).toBe(403);
    expect((await issue(full7, { title: "y", projects: null, expires_in_days: 1 })).res.statusCode).toBe(403);
    expect(
      (await issue(full7, { title: "y", projects: ["ALPHA"], expires_in_days: 30 })).res.statusCode,
    ).toBe(403);
    expect((await issue(full7, { title: "y", projects: ["ALPHA"], expires_at: null })).res.statusCode).toBe(
      403,
    );
    const child = await issue(full7, {
      title: "child",
      projects: ["ALPHA"],
      expires_in_days: 1,
      scopes: ["read"],
    });
    expect(child.res.statusCode).toBe(200);
  });

  it("lets admins list everyone's tokens and refuses members", async () => {
    const member = await t.user("member");
    const memberToken = await t.token(member);
    expect((await req("GET", "/v1/token?all=true", memberToken)).statusCode).toBe(403);
    const all = (await req("GET", "/v1/token?all=true&limit=100", ownerToken)).json().result;
    expect(all.entities.some((e: { user: { id: number } }) => e.user.id === member.id)).toBe(true);
    const mine = (await req("GET", "/v1/token?limit=100", memberToken)).json().result;
    expect(mine.entities.every((e: { user: { id: number } }) => e.user.id === member.id)).toBe(true);
  });

  it("records last use (time and IP) at most once a minute", async () => {
    const { body } = await issue(ownerToken, { title: "usage" });
    await t.app.inject({
      method: "GET",
      url: "/v1/project",
      headers: { token: body.result.token },
      remoteAddress: "10.1.2.3",
    });
    const first = await t.ctx.db
      .selectFrom("api_tokens")
      .select(["last_used_at", "last_used_ip"])
      .where("id", "=", body.result.id)
      .executeTakeFirstOrThrow();
    expect(first.last_used_ip).toBe("10.1.2.3");
    expect(first.last_used_at).not.toBeNull();
    await t.app.inject({
      method: "GET",
      url: "/v1/project",
      headers: { token: body.result.token },
      remoteAddress: "10.9.9.9",
    });
    const second = await t.ctx.db
      .selectFrom("api_tokens")
      .select(["last_used_at", "last_used_ip"])
      .where("id", "=", body.result.id)
      .executeTakeFirstOrThrow();
    expect(second).toEqual(first);
  });
});
