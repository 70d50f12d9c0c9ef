import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

const owner = { email: "first@example.test", name: "First", password: "long enough pw" };

function cookieOf(setCookie: string | string[] | undefined): string {
  return ([setCookie ?? []].flat().find((c) => c.startsWith("verdict_session=")) ?? "").split(";")[0] ?? "";
}

describe.each(dialects)("Host check and first-run setup on $name", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp(dialect, { env: { VERDICT_PUBLIC_URL: "https://verdict.example.com" } });
  });
  afterAll(() => t.close());

  const setup = (opts: { host?: string; ip?: string; code?: string }) =>
    t.app.inject({
      method: "POST",
      url: "/v1/auth/setup",
      headers: { host: opts.host ?? "localhost:80" },
      remoteAddress: opts.ip ?? "127.0.0.1",
      payload: { ...owner, ...(opts.code !== undefined ? { setup_code: opts.code } : {}) },
    });

  it("refuses setup under a foreign Host (DNS rebinding) and from another machine without the code", async () => {
    const rebound = await setup({ host: "attacker.example:80" });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.json().errorMessage).toContain("is not a name of this server");
    const crossSite = await t.app.inject({
      method: "POST",
      url: "/v1/auth/setup",
      headers: { origin: "http://attacker.example" },
      payload: owner,
    });
    expect(crossSite.statusCode).toBe(403);

    const info = await t.app.inject({ method: "GET", url: "/v1/auth/setup", remoteAddress: "10.1.2.3" });
    expect(info.json().result).toEqual({ needs_setup: true, setup_code_required: true });
    const remote = await setup({ ip: "10.1.2.3", host: "verdict.example.com" });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().errorMessage).toMatch(/setup code/);
    expect((await setup({ ip: "10.1.2.3", host: "verdict.example.com", code: "wrong" })).statusCode).toBe(
      403,
    );
    // X-Forwarded-For from an untrusted peer is not believed.
    const forwarded = await t.app.inject({
      method: "POST",
      url: "/v1/auth/setup",
      headers: { "x-forwarded-for": "127.0.0.1" },
      remoteAddress: "10.1.2.3",
      payload: owner,
    });
    expect(forwarded.statusCode).toBe(403);
    expect((await t.app.inject({ method: "GET", url: "/v1/auth/setup" })).json().result.needs_setup).toBe(
      true,
    );

    const ok = await setup({ ip: "10.1.2.3", host: "verdict.example.com", code: t.config.setupCode });
    expect(ok.statusCode).toBe(200);
  });

  it("checks Host for sign-in and cookie-authenticated requests, not for token calls", async () => {
    const signIn = (host: string) =>
      t.app.inject({
        method: "POST",
        url: "/v1/auth/login",
        headers: { host },
        payload: { email: owner.email, password: owner.password },
      });
    expect((await signIn("rebind.example:80")).statusCode).toBe(403);
    for (const host of ["localhost:80", "localhost", "127.0.0.1:80", "[::1]:80", "verdict.example.com"]) {
      expect((await signIn(host)).statusCode, host).toBe(200);
    }
    const cookie = cookieOf((await signIn("localhost:80")).headers["set-cookie"]);
    const me = (host: string) =>
      t.app.inject({ method: "GET", url: "/v1/auth/me", headers: { cookie, host } });
    expect((await me("localhost:80")).statusCode).toBe(200);
    expect((await me("localhost:8080")).statusCode).toBe(403); // not the port this server listens on
    expect((await me("rebind.example:80")).statusCode).toBe(403);

    const user = await t.user("member");
    const token = await t.token(user);
    for (const headers of [{ token }, { authorization: `Bearer ${token}` }]) {
      const api = await t.app.inject({
        method: "GET",
        url: "/v1/project",
        headers: { ...headers, host: "ci-gateway.internal:9999" },
      });
      expect(api.statusCode).toBe(200);
    }
  });
});
