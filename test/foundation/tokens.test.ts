import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserRow } from "../../src/features/users/users.repository.js";
import { UNAUTHORIZED_MESSAGE } from "../../src/http/errors.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

const DAY = 86_400_000;
const SECRET_SHAPE = /^vdt_[0-9A-Za-z]{38}$/;
const UNAUTHORIZED_BODY = JSON.stringify({
  status: false,
  errorMessage: UNAUTHORIZED_MESSAGE,
  errorFields: [],
});
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** The checksum as the design describes it, written independently of src/: base62(CRC32(prefix + random)). */
function checksumOf(body: string): string {
  let v = crc32(body);
  let out = "";
  for (let i = 0; i < 6; i++) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

/** A well-formed secret (right prefix, length and checksum) that no server ever issued. */
function unknownButWellFormed(): string {
  let random = "";
  for (const b of randomBytes(64)) if (random.length < 32 && b < 248) random += BASE62[b % 62];
  const body = `vdt_${random}`;
  return body + checksumOf(body);
}

/** The same secret with one character at `index` replaced by another base62 character. */
function mistype(secret: string, index: number): string {
  const c = secret[index] === "a" ? "b" : "a";
  return secret.slice(0, index) + c + secret.slice(index + 1);
}

interface ApiToken {
  id: number;
  title: string;
  preview: string;
  scopes: string[];
  projects: string[] | null;
  status: string;
  created_at: string;
  expires_at: string | null;
  rotated_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  revoked_at: string | null;
  user: { id: number; email: string; name: string };
}
type Issued = ApiToken & { token: string };
interface ErrorBody {
  status: false;
  errorMessage: string;
  errorFields: { field: string; error: string }[];
}

describe.each(dialects)("personal access tokens over the API on $name", (dialect) => {
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

  interface CallOpts {
    bearer?: boolean;
    ip?: string;
    headers?: Record<string, string>;
  }
  const call = (secret: string | null, method: string, url: string, payload?: object, o: CallOpts = {}) =>
    t.app.inject({
      method: method as "GET",
      url,
      headers: {
        ...(secret === null ? {} : o.bearer ? { authorization: `Bearer ${secret}` } : { token: secret }),
        ...o.headers,
      },
      ...(payload ? { payload } : {}),
      ...(o.ip ? { remoteAddress: o.ip } : {}),
    });

  /** POST /v1/token that must succeed; returns the issued token. */
  async function issue(secret: string, body: object): Promise<Issued> {
    const res = await call(secret, "POST", "/v1/token", body);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { result: Issued }).result;
  }
  const tryIssue = (secret: string, body: object) => call(secret, "POST", "/v1/token", body);
  const error = (res: { json(): unknown }) => res.json() as ErrorBody;

  const row = (id: number) =>
    t.ctx.db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  /** Every row of every table of this store, serialised: where a plaintext secret must never appear. */
  async function wholeDatabase(): Promise<string> {
    const tables = await t.ctx.db.introspection.getTables();
    let schema: string | undefined;
    if (t.store.dialect === "postgres") {
      const r = await sql<{ s: string }>`select current_schema() as s`.execute(t.ctx.db);
      schema = r.rows[0]?.s;
    }
    const out: string[] = [];
    for (const table of tables) {
      if (schema !== undefined && table.schema !== schema) continue;
      const rows = await sql`select * from ${sql.table(table.name)}`.execute(t.ctx.db);
      out.push(table.name, JSON.stringify(rows.rows));
    }
    expect(out).toContain("api_tokens");
    return out.join("\n");
  }

  it("returns the secret once, as vdt_ + 32 base62 + a CRC32 checksum, and never again", async () => {
    const issued = await issue(ownerToken, {
      title: "GitHub Actions",
      expires_in_days: 30,
      scopes: ["results"],
      projects: ["ALPHA"],
    });
    const secret = issued.token;
    expect(secret).toMatch(SECRET_SHAPE);
    expect(secret.slice(-6)).toBe(checksumOf(secret.slice(0, -6)));
    expect(issued).toMatchObject({
      title: "GitHub Actions",
      scopes: ["results"],
      projects: ["ALPHA"],
      status: "active",
      revoked_at: null,
      last_used_at: null,
      user: { id: owner.id, email: owner.email },
    });
    // The preview tells tokens apart without giving the secret away.
    expect(issued.preview).toBe(`${secret.slice(0, 8)}...${secret.slice(-4)}`);
    expect((await issue(ownerToken, { title: "another" })).token).not.toBe(secret);

    for (const url of ["/v1/token?limit=100", "/v1/token?all=true&include_revoked=true&limit=100"]) {
      const res = await call(ownerToken, "GET", url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain(secret.slice(4, 36));
      const listed = (res.json() as { result: { entities: ApiToken[] } }).result.entities;
      const mine = listed.find((e) => e.id === issued.id);
      expect(mine).toMatchObject({ title: "GitHub Actions", preview: issued.preview });
      expect(mine).not.toHaveProperty("token");
    }
  });

  it("stores only the SHA-256 hash: the plaintext is in no row of any table", async () => {
    const issued = await issue(ownerToken, { title: "hash only", scopes: ["read"] });
    const stored = await row(issued.id);
    expect(stored.secret_hash).toBe(createHash("sha256").update(issued.token).digest("hex"));
    const everything = await wholeDatabase();
    expect(everything).toContain(stored.secret_hash);
    expect(everything).not.toContain(issued.token);
    expect(everything).not.toContain(issued.token.slice(4, 36));
  });

  it("authenticates with both Token: and Authorization: Bearer, for reads and writes", async () => {
    const { token: secret } = await issue(ownerToken, { title: "both headers" });
    for (const bearer of [false, true]) {
      const me = await call(secret, "GET", "/v1/auth/me", undefined, { bearer });
      expect(me.statusCode).toBe(200);
      expect(me.json().result).toMatchObject({ via: "token", user: { id: owner.id } });
      expect((await call(secret, "GET", "/v1/project/ALPHA", undefined, { bearer })).statusCode).toBe(200);
    }
    const created = await call(
      secret,
      "POST",
      "/v1/project",
      { title: "Headers", code: "HDR" },
      { bearer: true },
    );
    expect(created.statusCode, created.body).toBe(200);
    const lower = await call(null, "GET", "/v1/project/ALPHA", undefined, {
      headers: { authorization: `bearer ${secret}` },
    });
    expect(lower.statusCode).toBe(200);
  });

  it("answers one identical 401 for missing, malformed, mistyped, unknown, expired and revoked tokens", async () => {
    const expiring = await issue(ownerToken, { title: "will expire", expires_in_days: 7 });
    const revoked = await issue(ownerToken, { title: "will be revoked" });
    const good = (await issue(ownerToken, { title: "good" })).token;
    expect((await call(ownerToken, "DELETE", `/v1/token/${revoked.id}`)).statusCode).toBe(200);
    await t.ctx.db
      .updateTable("api_tokens")
      .set({ expires_at: Date.now() - 1000 })
      .where("id", "=", expiring.id)
      .execute();

    const reEncoded = mistype(good, 12).slice(0, -6);
    const cases: [string, CallOpts & { secret: string | null }][] = [
      ["no credential", { secret: null }],
      ["empty bearer", { secret: null, headers: { authorization: "Bearer " } }],
      [
        "basic auth",
        { secret: null, headers: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` } },
      ],
      ["not a token", { secret: "nonsense" }],
      ["wrong prefix", { secret: `vdx_${good.slice(4)}` }],
      ["truncated", { secret: good.slice(0, -1) }],
      ["one random character changed", { secret: mistype(good, 12) }],
      ["one checksum character changed", { secret: mistype(good, good.length - 2), bearer: true }],
      ["changed with a recomputed checksum", { secret: reEncoded + checksumOf(reEncoded) }],
      ["well-formed but never issued", { secret: unknownButWellFormed() }],
      ["expired", { secret: expiring.token }],
      ["expired, bearer", { secret: expiring.token, bearer: true }],
      ["revoked", { secret: revoked.token }],
      ["revoked, bearer", { secret: revoked.token, bearer: true }],
    ];
    for (const [name, c] of cases) {
      const res = await call(c.secret, "GET", "/v1/project", undefined, c);
      expect(res.statusCode, name).toBe(401);
      expect(res.body, name).toBe(UNAUTHORIZED_BODY);
    }
    // The untouched token still works, so the 401s above are about the changes.
    expect((await call(good, "GET", "/v1/project")).statusCode).toBe(200);
  });

  it("offers 7, 30, 60, 90, 180 and 365 days, a custom date and never; 90 days when not told", async () => {
    const lifetimeOf = async (id: number) => {
      const r = await row(id);
      return { span: r.expires_at === null ? null : r.expires_at - r.created_at, lifetime: r.lifetime_ms };
    };
    for (const days of [7, 30, 60, 90, 180, 365]) {
      const issued = await issue(ownerToken, { title: `${days} days`, expires_in_days: days });
      expect(await lifetimeOf(issued.id)).toEqual({ span: days * DAY, lifetime: days * DAY });
      const stored = (await row(issued.id)).expires_at ?? 0;
      expect(Date.parse(issued.expires_at ?? "")).toBe(Math.floor(stored / 1000) * 1000);
    }
    const byDefault = await issue(ownerToken, { title: "default" });
    expect(await lifetimeOf(byDefault.id)).toEqual({ span: 90 * DAY, lifetime: 90 * DAY });

    const date = new Date(Date.now() + 45 * DAY).toISOString().slice(0, 10);
    const custom = await issue(ownerToken, { title: "custom date", expires_at: date });
    expect((await row(custom.id)).expires_at).toBe(Date.parse(date));
    expect(custom.expires_at).toBe(`${date}T00:00:00+00:00`);
    const dateTime = "2099-06-30T12:00:00+02:00";
    const customTime = await issue(ownerToken, { title: "custom time", expires_at: dateTime });
    expect((await row(customTime.id)).expires_at).toBe(Date.parse(dateTime));

    for (const body of [{ expires_in_days: null }, { expires_at: null }]) {
      const never = await issue(ownerToken, { title: "never", ...body });
      expect(never.expires_at).toBeNull();
      expect(await lifetimeOf(never.id)).toEqual({ span: null, lifetime: null });
    }

    const invalid: [object, string][] = [
      [{ expires_at: "2001-01-01" }, "expires_at"],
      [{ expires_at: "next tuesday" }, "expires_at"],
      [{ expires_in_days: 0 }, "expires_in_days"],
      [{ expires_in_days: 1.5 }, "expires_in_days"],
      [{ expires_in_days: 30, expires_at: "2099-01-01" }, "expires_at"],
    ];
    for (const [body, field] of invalid) {
      const res = await tryIssue(ownerToken, { title: "bad expiry", ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(error(res).errorFields.map((f) => f.field)).toEqual([field]);
    }
  });

  it("refuses an expired token with 401 and lists it as expired", async () => {
    const issued = await issue(ownerToken, { title: "short-lived", expires_in_days: 7 });
    expect((await call(issued.token, "GET", "/v1/project")).statusCode).toBe(200);
    await t.ctx.db
      .updateTable("api_tokens")
      .set({ expires_at: Date.now() - 1000 })
      .where("id", "=", issued.id)
      .execute();
    const res = await call(issued.token, "GET", "/v1/project");
    expect(res.statusCode).toBe(401);
    expect(res.body).toBe(UNAUTHORIZED_BODY);
    const list = (await call(ownerToken, "GET", "/v1/token?limit=100")).json().result.entities as ApiToken[];
    expect(list.find((e) => e.id === issued.id)?.status).toBe("expired");
    // An expired token is not brought back to life by rotating it.
    expect((await call(ownerToken, "POST", `/v1/token/${issued.id}/rotate`)).statusCode).toBe(422);
    expect((await call(issued.token, "GET", "/v1/project")).statusCode).toBe(401);
  });

  it("enforces the workspace policy: a maximum lifetime and no never-expiring tokens, with 422", async () => {
    const member = await t.user("member");
    const memberToken = await t.token(member);
    const before = await issue(ownerToken, { title: "made before the policy", expires_in_days: null });
    const denied = await call(memberToken, "PATCH", "/v1/workspace/settings", { token_allow_never: false });
    expect(denied.statusCode).toBe(403);
    expect(error(denied).errorMessage).toContain('"settings.manage"');
    try {
      const set = await call(ownerToken, "PATCH", "/v1/workspace/settings", {
        token_max_lifetime_days: 30,
        token_allow_never: false,
      });
      expect(set.statusCode).toBe(200);
      expect(set.json().result).toEqual({ token_max_lifetime_days: 30, token_allow_never: false });
      expect((await call(memberToken, "GET", "/v1/workspace/settings")).json().result).toEqual({
        token_max_lifetime_days: 30,
        token_allow_never: false,
      });

      const tooLong = await tryIssue(ownerToken, { title: "60", expires_in_days: 60 });
      expect(tooLong.statusCode).toBe(422);
      expect(error(tooLong).errorFields).toEqual([
        { field: "expires_in_days", error: "the workspace policy allows at most 30 days" },
      ]);
      const farDate = new Date(Date.now() + 40 * DAY).toISOString().slice(0, 10);
      const tooFar = await tryIssue(ownerToken, { title: "date", expires_at: farDate });
      expect(tooFar.statusCode).toBe(422);
      expect(error(tooFar).errorFields[0]?.field).toBe("expires_at");
      for (const body of [{ expires_in_days: null }, { expires_at: null }]) {
        const never = await tryIssue(memberToken, { title: "never", ...body });
        expect(never.statusCode).toBe(422);
        expect(error(never).errorFields).toHaveLength(1);
      }
      // Rotating keeps the lifetime, so a token the policy now forbids cannot be rotated either.
      expect((await call(ownerToken, "POST", `/v1/token/${before.id}/rotate`)).statusCode).toBe(422);

      await issue(memberToken, { title: "30", expires_in_days: 30 });
      const capped = await issue(memberToken, { title: "default under a cap" });
      const r = await row(capped.id);
      expect(r.lifetime_ms).toBe(30 * DAY);

      const zero = await call(ownerToken, "PATCH", "/v1/workspace/settings", { token_max_lifetime_days: 0 });
      expect(zero.statusCode).toBe(422);
      expect(error(zero).errorFields[0]?.field).toBe("token_max_lifetime_days");

      // No cap, but still no "never".
      await call(ownerToken, "PATCH", "/v1/workspace/settings", { token_max_lifetime_days: null });
      await issue(ownerToken, { title: "365", expires_in_days: 365 });
      expect((await tryIssue(ownerToken, { title: "never", expires_in_days: null })).statusCode).toBe(422);
    } finally {
      await call(ownerToken, "PATCH", "/v1/workspace/settings", {
        token_max_lifetime_days: null,
        token_allow_never: true,
      });
    }
    await issue(ownerToken, { title: "never again allowed", expires_in_days: null });
  });

  it("revokes at once (401 with both headers), answers 410 to a second revoke and 404 to strangers", async () => {
    const issued = await issue(ownerToken, { title: "to revoke" });
    expect((await call(issued.token, "GET", "/v1/project")).statusCode).toBe(200);

    const member = await t.user("member");
    const memberToken = await t.token(member);
    // Someone else's token is not even acknowledged to exist; it keeps working.
    expect((await call(memberToken, "DELETE", `/v1/token/${issued.id}`)).statusCode).toBe(404);
    expect((await call(issued.token, "GET", "/v1/project")).statusCode).toBe(200);

    const revoked = await call(ownerToken, "DELETE", `/v1/token/${issued.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toEqual({ status: true });
    for (const bearer of [false, true]) {
      const res = await call(issued.token, "GET", "/v1/project", undefined, { bearer });
      expect(res.statusCode).toBe(401);
      expect(res.body).toBe(UNAUTHORIZED_BODY);
    }
    expect((await call(ownerToken, "DELETE", `/v1/token/${issued.id}`)).statusCode).toBe(410);
    expect((await call(ownerToken, "POST", `/v1/token/${issued.id}/rotate`)).statusCode).toBe(410);
    expect((await call(ownerToken, "DELETE", "/v1/token/999999")).statusCode).toBe(404);

    const active = (await call(ownerToken, "GET", "/v1/token?limit=100")).json().result
      .entities as ApiToken[];
    expect(active.some((e) => e.id === issued.id)).toBe(false);
    const all = (await call(ownerToken, "GET", "/v1/token?include_revoked=true&limit=100")).json().result
      .entities as ApiToken[];
    const listed = all.find((e) => e.id === issued.id);
    expect(listed?.status).toBe("revoked");
    expect(listed?.revoked_at).not.toBeNull();

    // An admin may revoke anyone's token.
    const memberSecond = await issue(memberToken, { title: "member's" });
    expect((await call(ownerToken, "DELETE", `/v1/token/${memberSecond.id}`)).statusCode).toBe(200);
    expect((await call(memberSecond.token, "GET", "/v1/project")).statusCode).toBe(401);
  });

  it("rotates: a new secret with the same name, scopes, projects and lifetime; the old one gets 401", async () => {
    const original = await issue(ownerToken, {
      title: "rotating",
      expires_in_days: 30,
      scopes: ["read"],
      projects: ["ALPHA"],
    });
    // Let the clock move on between creation and rotation, so "same lifetime" differs from "same expiry".
    await t.ctx.db
      .updateTable("api_tokens")
      .set({ created_at: Date.now() - 10 * DAY, expires_at: Date.now() + 20 * DAY })
      .where("id", "=", original.id)
      .execute();
    const res = await call(ownerToken, "POST", `/v1/token/${original.id}/rotate`);
    expect(res.statusCode, res.body).toBe(200);
    const rotated = (res.json() as { result: Issued }).result;
    expect(rotated).toMatchObject({
      id: original.id,
      title: "rotating",
      scopes: ["read"],
      projects: ["ALPHA"],
      status: "active",
    });
    expect(rotated.token).toMatch(SECRET_SHAPE);
    expect(rotated.token).not.toBe(original.token);
    expect(rotated.preview).toBe(`${rotated.token.slice(0, 8)}...${rotated.token.slice(-4)}`);
    const r = await row(original.id);
    expect(r.lifetime_ms).toBe(30 * DAY);
    expect(r.rotated_at).not.toBeNull();
    expect((r.expires_at ?? 0) - (r.rotated_at ?? 0)).toBe(30 * DAY);
    expect(r.secret_hash).toBe(createHash("sha256").update(rotated.token).digest("hex"));

    const old = await call(original.token, "GET", "/v1/project/ALPHA");
    expect(old.statusCode).toBe(401);
    expect(old.body).toBe(UNAUTHORIZED_BODY);
    expect((await call(rotated.token, "GET", "/v1/project/ALPHA")).statusCode).toBe(200);
    expect((await call(rotated.token, "GET", "/v1/project/BETA")).statusCode).toBe(403);
    expect((await call(rotated.token, "POST", "/v1/project", { title: "N", code: "NOPE" })).statusCode).toBe(
      403,
    );
    expect((await call(ownerToken, "GET", "/v1/token?all=true&limit=100")).body).not.toContain(rotated.token);

    const never = await issue(ownerToken, { title: "never rotates to never", expires_in_days: null });
    const again = (await call(ownerToken, "POST", `/v1/token/${never.id}/rotate`)).json().result as Issued;
    expect(again.expires_at).toBeNull();
    expect((await row(never.id)).expires_at).toBeNull();

    // Only the owner rotates: an admin may revoke someone's token but not take over its secret.
    const member = await t.user("member");
    const memberTokenRow = await issue(await t.token(member), { title: "member's own" });
    expect((await call(ownerToken, "POST", `/v1/token/${memberTokenRow.id}/rotate`)).statusCode).toBe(404);
    expect((await call(memberTokenRow.token, "GET", "/v1/project")).statusCode).toBe(200);
  });

  it("applies the owner's current role and state on the next request", async () => {
    const member = await t.user("member");
    const secret = await t.token(member);
    const create = (code: string) => call(secret, "POST", "/v1/project", { title: code, code });
    const denied = await create("ROLEA");
    expect(denied.statusCode).toBe(403);
    expect(error(denied).errorMessage).toContain('"project.create"');

    expect((await call(ownerToken, "PATCH", `/v1/user/${member.id}`, { role: "admin" })).statusCode).toBe(
      200,
    );
    expect((await create("ROLEA")).statusCode).toBe(200);
    expect((await call(ownerToken, "PATCH", `/v1/user/${member.id}`, { role: "viewer" })).statusCode).toBe(
      200,
    );
    expect((await create("ROLEB")).statusCode).toBe(403);
    expect((await call(secret, "GET", "/v1/project/ROLEA")).statusCode).toBe(200);

    const off = await call(ownerToken, "PATCH", `/v1/user/${member.id}`, { is_active: false });
    expect(off.statusCode).toBe(200);
    for (const bearer of [false, true]) {
      const res = await call(secret, "GET", "/v1/project", undefined, { bearer });
      expect(res.statusCode).toBe(401);
      expect(res.body).toBe(UNAUTHORIZED_BODY);
    }
  });

  it("narrows rights by scope, naming the missing permission, and by project", async () => {
    const read = (await issue(ownerToken, { title: "read", scopes: ["read"] })).token;
    expect((await call(read, "GET", "/v1/project/ALPHA")).statusCode).toBe(200);
    const readDenied = await call(read, "POST", "/v1/project", { title: "X", code: "RDX" });
    expect(readDenied.statusCode).toBe(403);
    expect(error(readDenied).errorMessage).toContain('"project.create"');
    const readMint = await tryIssue(read, { title: "escalate", scopes: ["full"] });
    expect(readMint.statusCode).toBe(403);
    expect(error(readMint).errorMessage).toContain('"token.manage"');

    const ci = (await issue(ownerToken, { title: "ci", scopes: ["results"] })).token;
    expect((await call(ci, "GET", "/v1/project/ALPHA")).statusCode).toBe(200);
    const ciCreate = await call(ci, "POST", "/v1/project", { title: "X", code: "CIX" }, { bearer: true });
    expect(ciCreate.statusCode).toBe(403);
    expect(error(ciCreate).errorMessage).toContain('"project.create"');
    const ciDelete = await call(ci, "DELETE", "/v1/project/BETA");
    expect(ciDelete.statusCode).toBe(403);
    expect(error(ciDelete).errorMessage).toContain('"project.delete"');
    const ciSuite = await call(ci, "POST", "/v1/suite/ALPHA", { title: "S" });
    expect(ciSuite.statusCode).toBe(403);
    expect(error(ciSuite).errorMessage).toContain('"repository.write"');
    expect((await tryIssue(ci, { title: "escalate", scopes: ["full"] })).statusCode).toBe(403);
    expect((await call(ownerToken, "GET", "/v1/project/BETA")).statusCode).toBe(200);

    const alpha = await issue(ownerToken, { title: "alpha only", projects: ["alpha"] });
    expect(alpha.projects).toEqual(["ALPHA"]);
    expect((await call(alpha.token, "GET", "/v1/project/ALPHA")).statusCode).toBe(200);
    expect((await call(alpha.token, "POST", "/v1/suite/ALPHA", { title: "S" })).statusCode).toBe(200);
    expect((await call(alpha.token, "GET", "/v1/project/BETA")).statusCode).toBe(403);
    expect((await call(alpha.token, "GET", "/v1/case/BETA")).statusCode).toBe(403);
    expect((await call(alpha.token, "DELETE", "/v1/project/BETA")).statusCode).toBe(403);
    expect((await call(alpha.token, "POST", "/v1/project", { title: "X", code: "ALX" })).statusCode).toBe(
      403,
    );
    expect((await call(alpha.token, "GET", "/v1/user")).statusCode).toBe(403);
    const listed = (await call(alpha.token, "GET", "/v1/project?limit=100")).json().result;
    expect(listed.entities.map((p: { code: string }) => p.code)).toEqual(["ALPHA"]);

    const unknown = await tryIssue(ownerToken, { title: "bad", projects: ["NOPE"] });
    expect(unknown.statusCode).toBe(422);
    expect(error(unknown).errorFields).toEqual([{ field: "projects", error: "unknown project codes: NOPE" }]);
    expect((await tryIssue(ownerToken, { title: "bad", projects: [] })).statusCode).toBe(422);
    const badScope = await tryIssue(ownerToken, { title: "bad", scopes: ["admin"] });
    expect(badScope.statusCode).toBe(422);
    expect(error(badScope).errorFields[0]?.field).toBe("scopes");
  });

  it("never lets a token mint or rotate into more projects, a longer life or more rights than its own", async () => {
    const narrow = await issue(ownerToken, { title: "narrow", projects: ["ALPHA"], expires_in_days: 7 });
    const broader: object[] = [
      { projects: ["ALPHA", "BETA"], expires_in_days: 1 },
      { projects: null, expires_in_days: 1 },
      { projects: ["ALPHA"], expires_in_days: 30 },
      { projects: ["ALPHA"], expires_in_days: null },
      { projects: ["ALPHA"], expires_at: null },
      { projects: ["ALPHA"], expires_at: new Date(Date.now() + 8 * DAY).toISOString() },
    ];
    for (const body of broader) {
      const res = await tryIssue(narrow.token, { title: "wider", ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(403);
    }
    // Without projects it inherits its creator's list; within bounds it is allowed.
    const child = await issue(narrow.token, { title: "child", expires_in_days: 1, scopes: ["read"] });
    expect(child.projects).toEqual(["ALPHA"]);
    expect((await call(child.token, "GET", "/v1/project/ALPHA")).statusCode).toBe(200);
    expect((await call(child.token, "GET", "/v1/project/BETA")).statusCode).toBe(403);

    // Rotating a broader token of the same user would hand over its rights: refused, nothing changes.
    const broad = await issue(ownerToken, { title: "broad", expires_in_days: null });
    expect((await call(narrow.token, "POST", `/v1/token/${broad.id}/rotate`)).statusCode).toBe(403);
    expect((await call(broad.token, "GET", "/v1/project/BETA")).statusCode).toBe(200);

    // A member's full-scope token is capped by the member's role, and so is anything it mints.
    const member = await t.user("member");
    const memberFull = await t.token(member);
    const memberChild = await issue(memberFull, {
      title: "member child",
      scopes: ["full"],
      expires_in_days: 7,
    });
    const res = await call(memberChild.token, "POST", "/v1/project", { title: "X", code: "MCX" });
    expect(res.statusCode).toBe(403);
    expect(error(res).errorMessage).toContain('"project.create"');
  });

  it("lists everyone's tokens for admins with ?all=true and refuses members", async () => {
    const admin = await t.user("admin");
    const adminToken = await t.token(admin, { title: "admin's" });
    const member = await t.user("member");
    const memberToken = await t.token(member, { title: "member's" });

    const denied = await call(memberToken, "GET", "/v1/token?all=true");
    expect(denied.statusCode).toBe(403);
    expect(error(denied).errorMessage).toContain('"token.admin"');

    const all = (await call(adminToken, "GET", "/v1/token?all=true&limit=100")).json().result;
    const owners = new Set((all.entities as ApiToken[]).map((e) => e.user.id));
    for (const id of [owner.id, admin.id, member.id]) expect(owners.has(id)).toBe(true);
    const total = await t.ctx.db
      .selectFrom("api_tokens")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("revoked_at", "is", null)
      .executeTakeFirstOrThrow();
    expect(all.total).toBe(Number(total.n));

    for (const [secret, user] of [
      [memberToken, member],
      [adminToken, admin],
    ] as const) {
      const mine = (await call(secret, "GET", "/v1/token?limit=100")).json().result;
      expect(mine.total).toBe(1);
      expect((mine.entities as ApiToken[]).map((e) => e.user.id)).toEqual([user.id]);
    }
  });

  it("records when and from where a token was last used, at most once a minute", async () => {
    const issued = await issue(ownerToken, { title: "usage" });
    const usage = async () => {
      const r = await row(issued.id);
      return { at: r.last_used_at, ip: r.last_used_ip };
    };
    expect(await usage()).toEqual({ at: null, ip: null });

    expect((await call(issued.token, "GET", "/v1/project", undefined, { ip: "10.1.2.3" })).statusCode).toBe(
      200,
    );
    const first = await usage();
    expect(first.ip).toBe("10.1.2.3");
    expect(first.at).toEqual(expect.any(Number));
    const listed = (await call(ownerToken, "GET", "/v1/token?limit=100")).json().result
      .entities as ApiToken[];
    expect(listed.find((e) => e.id === issued.id)).toMatchObject({
      last_used_ip: "10.1.2.3",
      last_used_at: expect.any(String),
    });

    // An immediate second use from elsewhere does not write.
    await call(issued.token, "GET", "/v1/project", undefined, { ip: "10.9.9.9", bearer: true });
    expect(await usage()).toEqual(first);

    // A minute later it does.
    const minuteAgo = (first.at ?? 0) - 61_000;
    await t.ctx.db
      .updateTable("api_tokens")
      .set({ last_used_at: minuteAgo })
      .where("id", "=", issued.id)
      .execute();
    await call(issued.token, "GET", "/v1/project", undefined, { ip: "10.9.9.9" });
    const later = await usage();
    expect(later.ip).toBe("10.9.9.9");
    expect(later.at).toBeGreaterThan(minuteAgo);
  });
});
