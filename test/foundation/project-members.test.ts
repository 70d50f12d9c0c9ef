import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserRow } from "../../src/features/users/users.repository.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

interface Member {
  id: number;
  name: string;
  email: string;
  role: string;
  is_active: boolean;
  granted_at: string;
}
interface MemberPage {
  status: boolean;
  result: { total: number; count: number; entities: Member[] };
}

describe.each(dialects)("project members (GET/POST/DELETE /v1/project/{code}/access) on $name", (dialect) => {
  let t: TestApp;
  let admin: UserRow;
  let alice: UserRow;
  let bob: UserRow;
  let adminToken = "";
  let aliceToken = "";
  let bobToken = "";

  beforeAll(async () => {
    t = await startApp(dialect);
    admin = await t.user("admin");
    alice = await t.user("member");
    bob = await t.user("viewer");
    adminToken = await t.token(admin);
    aliceToken = await t.token(alice);
    bobToken = await t.token(bob);
    await t.project("CLOSED", admin, "none");
  });
  afterAll(() => t.close());

  const call = (method: "GET" | "POST" | "DELETE", token: string, url: string, body?: object) =>
    t.app.inject({ method, url, headers: { token }, ...(body ? { payload: body } : {}) });

  it("lists only the creator at first, and a closed project stays closed to non-members", async () => {
    const res = await call("GET", adminToken, "/v1/project/CLOSED/access");
    expect(res.statusCode).toBe(200);
    const first = (res.json() as MemberPage).result;
    expect(first).toMatchObject({ total: 1, count: 1 });
    expect(first.entities.map((m) => [m.id, m.email, m.role])).toEqual([[admin.id, admin.email, "admin"]]);
    expect((await call("GET", aliceToken, "/v1/project/CLOSED/access")).statusCode).toBe(403);
  });

  it("lists granted users in grant order with name, email and role, pages them, and drops revoked ones", async () => {
    for (const u of [alice, bob]) {
      const g = await call("POST", adminToken, "/v1/project/CLOSED/access", { member_id: u.id });
      expect(g.statusCode).toBe(200);
    }
    const all = (await call("GET", adminToken, "/v1/project/CLOSED/access")).json() as MemberPage;
    expect(all.result.total).toBe(3);
    expect(all.result.entities.map((m) => [m.id, m.email, m.role, m.is_active])).toEqual([
      [admin.id, admin.email, "admin", true],
      [alice.id, alice.email, "member", true],
      [bob.id, bob.email, "viewer", true],
    ]);
    expect(Number.isNaN(Date.parse(all.result.entities[0]?.granted_at ?? ""))).toBe(false);
    expect(JSON.stringify(all)).not.toMatch(/password|hash/);

    const second = (
      await call("GET", adminToken, "/v1/project/CLOSED/access?limit=1&offset=2")
    ).json() as MemberPage;
    expect(second.result).toMatchObject({ total: 3, count: 1 });
    expect(second.result.entities[0]?.id).toBe(bob.id);

    // A member now sees the project and its member list; a viewer may read but not change it.
    expect((await call("GET", aliceToken, "/v1/project/CLOSED/access")).statusCode).toBe(200);
    expect(
      (await call("DELETE", bobToken, "/v1/project/CLOSED/access", { member_id: alice.id })).statusCode,
    ).toBe(403);

    expect(
      (await call("DELETE", adminToken, "/v1/project/CLOSED/access", { member_id: alice.id })).statusCode,
    ).toBe(200);
    const after = (await call("GET", adminToken, "/v1/project/CLOSED/access")).json() as MemberPage;
    expect(after.result.entities.map((m) => m.id)).toEqual([admin.id, bob.id]);
    expect((await call("GET", aliceToken, "/v1/project/CLOSED/access")).statusCode).toBe(403);
  });

  it("answers 404 for an unknown project and 422 for a page over the limit", async () => {
    expect((await call("GET", adminToken, "/v1/project/NOPE/access")).statusCode).toBe(404);
    expect((await call("GET", adminToken, "/v1/project/CLOSED/access?limit=1000")).statusCode).toBe(422);
  });
});
