import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

function cookieOf(setCookie: string | string[] | undefined): string {
  const raw = [setCookie ?? []].flat().find((c) => c.startsWith("verdict_session=")) ?? "";
  return raw.split(";")[0] ?? "";
}

describe.each(dialects)("web sessions, users and audit on $name", (dialect) => {
  let t: TestApp;
  const origin = "http://localhost:80";

  beforeAll(async () => {
    t = await startApp(dialect);
  });
  afterAll(() => t.close());

  const inject = (
    method: string,
    url: string,
    opts: { cookie?: string; payload?: object; headers?: Record<string, string> } = {},
  ) =>
    t.app.inject({
      method: method as "GET",
      url,
      headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers },
      ...(opts.payload ? { payload: opts.payload } : {}),
    });

  it("creates the owner on first run only, signed in with an HttpOnly SameSite=Lax cookie", async () => {
    expect((await inject("GET", "/v1/auth/setup")).json().result).toEqual({
      needs_setup: true,
      setup_code_required: false,
    });
    const res = await inject("POST", "/v1/auth/setup", {
      payload: { email: "Owner@Example.test", name: "Olga", password: "long enough pw" },
    });
    expect(res.statusCode).toBe(200);
    const header = [res.headers["set-cookie"]].flat().join(";");
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    expect(header).not.toMatch(/Secure/i);
    const me = await inject("GET", "/v1/auth/me", { cookie: cookieOf(res.headers["set-cookie"]) });
    expect(me.json().result).toMatchObject({
      user: { email: "owner@example.test", role: "owner" },
      via: "session",
    });
    expect((await inject("GET", "/v1/auth/setup")).json().result).toEqual({
      needs_setup: false,
      setup_code_required: false,
    });
    const again = await inject("POST", "/v1/auth/setup", {
      payload: { email: "x@example.test", name: "X", password: "long enough pw" },
    });
    expect(again.statusCode).toBe(403);
  });

  it("signs in and out; a wrong password says nothing about which part was wrong", async () => {
    const wrong = await inject("POST", "/v1/auth/login", {
      payload: { email: "owner@example.test", password: "nope" },
    });
    const nobody = await inject("POST", "/v1/auth/login", {
      payload: { email: "ghost@example.test", password: "nope" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toBe(nobody.body);
    const ok = await inject("POST", "/v1/auth/login", {
      payload: { email: "owner@example.test", password: "long enough pw" },
    });
    const cookie = cookieOf(ok.headers["set-cookie"]);
    expect((await inject("GET", "/v1/project", { cookie })).statusCode).toBe(200);
    expect((await inject("POST", "/v1/auth/logout", { cookie, headers: { origin } })).statusCode).toBe(200);
    expect((await inject("GET", "/v1/project", { cookie })).statusCode).toBe(401);
  });

  it("refuses cookie-authenticated writes from another origin (CSRF), not token ones", async () => {
    const ok = await inject("POST", "/v1/auth/login", {
      payload: { email: "owner@example.test", password: "long enough pw" },
    });
    const cookie = cookieOf(ok.headers["set-cookie"]);
    const body = { title: "Shop", code: "SHOP" };
    expect((await inject("POST", "/v1/project", { cookie, payload: body })).statusCode).toBe(403);
    const evil = await inject("POST", "/v1/project", {
      cookie,
      payload: body,
      headers: { origin: "https://evil.example" },
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().errorMessage).toContain("Cross-site request refused");
    expect(
      (await inject("POST", "/v1/project", { cookie, payload: body, headers: { origin } })).statusCode,
    ).toBe(200);
    const owner = await t.ctx.db
      .selectFrom("users")
      .select(["id", "email", "name", "role", "is_active", "created_at", "updated_at"])
      .where("email", "=", "owner@example.test")
      .executeTakeFirstOrThrow();
    const token = await t.token(owner);
    expect(
      (await inject("POST", "/v1/project", { payload: { title: "T", code: "TOK" }, headers: { token } }))
        .statusCode,
    ).toBe(200);
  });

  it("slows failed sign-ins of an account from one address, even for the right password, not from others", async () => {
    await t.user("member", "locked@example.test");
    for (let i = 0; i < 5; i++) {
      const res = await inject("POST", "/v1/auth/login", {
        payload: { email: "locked@example.test", password: `guess ${i}` },
      });
      expect(res.statusCode).toBe(401);
    }
    const right = await inject("POST", "/v1/auth/login", {
      payload: { email: "locked@example.test", password: "password-123" },
    });
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers["retry-after"])).toBeGreaterThan(0);
    const elsewhere = await t.app.inject({
      method: "POST",
      url: "/v1/auth/login",
      payload: { email: "locked@example.test", password: "password-123" },
      remoteAddress: "10.20.30.40",
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it("lets admins manage users with the owner rules, and keeps an audit trail without secrets", async () => {
    const ownerRow = await t.ctx.db
      .selectFrom("users")
      .select(["id", "email", "name", "role", "is_active", "created_at", "updated_at"])
      .where("email", "=", "owner@example.test")
      .executeTakeFirstOrThrow();
    const ownerToken = await t.token(ownerRow);
    const admin = await t.user("admin");
    const adminToken = await t.token(admin);
    const as = (token: string, method: string, url: string, payload?: object) =>
      inject(method, url, { payload, headers: { token } });

    const created = await as(adminToken, "POST", "/v1/user", {
      email: "new@example.test",
      name: "New",
      role: "member",
      password: "pw-12345678",
    });
    expect(created.statusCode).toBe(200);
    const id = created.json().result.id as number;
    expect(
      (
        await as(adminToken, "POST", "/v1/user", { email: "new@example.test", name: "Dup", role: "member" })
      ).json().errorFields,
    ).toEqual([{ field: "email", error: "a user with this email already exists" }]);
    expect(
      (await as(adminToken, "POST", "/v1/user", { email: "o2@example.test", name: "O2", role: "owner" }))
        .statusCode,
    ).toBe(403);
    expect((await as(adminToken, "PATCH", `/v1/user/${ownerRow.id}`, { role: "member" })).statusCode).toBe(
      403,
    );
    expect((await as(ownerToken, "PATCH", `/v1/user/${ownerRow.id}`, { role: "admin" })).statusCode).toBe(
      422,
    );
    expect((await as(adminToken, "PATCH", `/v1/user/${id}`, { role: "viewer" })).json().result.role).toBe(
      "viewer",
    );
    expect(
      (await as(adminToken, "PATCH", `/v1/user/${id}`, { is_active: false })).json().result.is_active,
    ).toBe(false);
    const memberToken = await t.token(await t.user("member"));
    expect((await as(memberToken, "GET", "/v1/audit")).statusCode).toBe(403);

    const audit = await as(adminToken, "GET", "/v1/audit?limit=100");
    const actions = (audit.json().result.entities as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "setup.completed",
        "login.failed",
        "login.succeeded",
        "logout",
        "user.created",
        "user.role_changed",
        "user.deactivated",
        "project.created",
      ]),
    );
    const everything = JSON.stringify(await t.ctx.db.selectFrom("audit_log").selectAll().execute());
    for (const secret of [ownerToken, adminToken, "long enough pw", "pw-12345678", "password-123"]) {
      expect(everything).not.toContain(secret);
    }
  });
});
