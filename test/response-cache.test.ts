import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { openStore } from "../src/db/store.js";
import type { UserRow } from "../src/features/users/users.repository.js";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

/** One PNG in a multipart body, as the reporters upload attachments. */
function onePng() {
  const boundary = "----verdict-cache";
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file[]"; filename="shot.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      Buffer.from("not really a png, but bytes"),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

describe.each(dialects)("cached list answers on $name", (dialect) => {
  let t: TestApp;
  let owner: UserRow;
  let member: UserRow;
  let token = "";
  let memberToken = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const raw = async (url: string, headers: Record<string, string> = { token }) => {
    const res = await t.app.inject({ url, headers });
    return { status: res.statusCode, text: res.body, type: res.headers["content-type"] };
  };

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-response-cache-"));
    t = await startApp(dialect, { dataDir, env: { VERDICT_TRUSTED_PROXIES: "127.0.0.1" } });
    owner = await t.user("owner");
    token = await t.token(owner);
    member = await t.user("member");
    memberToken = await t.token(member);
    await t.project("RC", owner, "none");
  });
  afterAll(() => t.close());

  it("answers the same bytes again, and the new state right after each write", async () => {
    const url = "/v1/case/RC?limit=100";
    const first = await raw(url);
    expect(first.status).toBe(200);
    expect(first.type).toBe("application/json; charset=utf-8");
    expect(JSON.parse(first.text).result).toMatchObject({ total: 0, count: 0, entities: [] });
    // Served from memory (on PostgreSQL, until a change is announced: test/foundation/pg-change-cache).
    // The notices of the setup's writes may still be on their way there, each emptying the cache once.
    await expect
      .poll(
        async () => {
          const hits = t.ctx.responses.stats.hits;
          expect((await raw(url)).text).toBe(first.text);
          return t.ctx.responses.stats.hits - hits;
        },
        { timeout: 5000, interval: 20 },
      )
      .toBe(1);

    const counts = async () => JSON.parse((await raw("/v1/project/RC")).text).result.counts;
    expect((await counts()).cases).toBe(0);
    const id = (await call("POST", "/v1/case/RC", { title: "Pay by card" })).body.result.id;
    // Long answers are kept as bytes, short ones as strings: characters of every UTF-8 width come back
    // as the uncached answer had them, either way.
    const wide = "Zahlung über Kärtchen → ✓ 🎉";
    const other = (await call("POST", "/v1/case/RC", { title: wide, description: wide.repeat(400) })).body
      .result.id;
    for (const page of [url, `${url}&search=card`]) {
      const once = await raw(page);
      const hits = t.ctx.responses.stats.hits;
      const again = await raw(page);
      expect(again.text).toBe(once.text);
      // Served from memory (PostgreSQL's can be emptied meanwhile by a late notice, as above).
      if (dialect.name === "sqlite") expect(t.ctx.responses.stats.hits - hits, page).toBe(1);
      expect(Buffer.byteLength(once.text) > 8192, page).toBe(page === url);
    }
    const read = JSON.parse((await raw(url)).text).result.entities;
    expect(read.map((c: { title: string }) => c.title)).toContain(wide);
    expect(read.map((c: { description: string | null }) => c.description)).toContain(wide.repeat(400));
    expect((await call("DELETE", `/v1/case/RC/${other}`)).status).toBe(200);
    expect((await counts()).cases).toBe(1);
    const afterCreate = JSON.parse((await raw(url)).text).result;
    expect(afterCreate.entities.map((c: { title: string }) => c.title)).toEqual(["Pay by card"]);
    expect(afterCreate.total).toBe(1);

    expect((await call("PATCH", `/v1/case/RC/${id}`, { title: "Pay by voucher" })).status).toBe(200);
    expect(JSON.parse((await raw(url)).text).result.entities[0].title).toBe("Pay by voucher");

    // A result changes the results list at once, even though it was read (and kept) while empty.
    const run = (await call("POST", "/v1/run/RC", { title: "Nightly", cases: [id] })).body.result.id;
    const results = `/v1/result/RC?run=${run}`;
    expect(JSON.parse((await raw(results)).text).result.total).toBe(0);
    expect((await call("POST", `/v1/result/RC/${run}`, { case_id: id, status: "failed" })).status).toBe(200);
    const listed = JSON.parse((await raw(results)).text).result;
    expect(listed.entities.map((r: { status: string }) => r.status)).toEqual(["failed"]);
    // The run list and the run's lines (the run page) follow a completion and a new result.
    const runs = async () => JSON.parse((await raw("/v1/run/RC")).text).result.entities[0];
    const lines = async () => JSON.parse((await raw(`/v1/run/RC/${run}/entries`)).text).result.entities;
    expect((await runs()).status).toBe(0);
    expect((await lines()).map((l: { status: string }) => l.status)).toEqual(["failed"]);
    expect((await call("POST", `/v1/result/RC/${run}`, { case_id: id, status: "passed" })).status).toBe(200);
    expect((await lines()).map((l: { status: string }) => l.status)).toEqual(["passed"]);
    expect((await call("POST", `/v1/run/RC/${run}/complete`)).status).toBe(200);
    expect((await runs()).status).toBe(1);

    expect((await call("DELETE", `/v1/case/RC/${id}`)).status).toBe(200);
    expect(JSON.parse((await raw(url)).text).result.total).toBe(0);

    // The suite tree the web app reads on every repository page.
    expect(JSON.parse((await raw("/v1/suite/RC")).text).result.total).toBe(0);
    const suite = (await call("POST", "/v1/suite/RC", { title: "Checkout" })).body.result.id;
    expect(JSON.parse((await raw("/v1/suite/RC")).text).result.entities[0].title).toBe("Checkout");
    expect((await call("PATCH", `/v1/suite/RC/${suite}`, { title: "Payment" })).status).toBe(200);
    expect(JSON.parse((await raw("/v1/suite/RC")).text).result.entities[0].title).toBe("Payment");
  });

  it("checks the caller's access on every request, kept answer or not", async () => {
    const url = "/v1/case/RC";
    expect((await raw(url)).status).toBe(200);
    expect((await raw(url)).status).toBe(200);
    // A member outside a project with no general access, no token, a read-only token for another project.
    expect((await raw(url, { token: memberToken })).status).toBe(403);
    expect((await raw(url, {})).status).toBe(401);
    await t.project("OTHER", owner);
    const narrow = await t.token(owner, { scopes: ["read"], projects: ["OTHER"] });
    expect((await raw(url, { token: narrow })).status).toBe(403);
    // Access granted: the same (kept) list; revoked again: refused.
    const access = { member_id: member.id };
    expect((await call("POST", "/v1/project/RC/access", access)).status).toBe(200);
    expect((await raw(url, { token: memberToken })).text).toBe((await raw(url)).text);
    expect((await call("DELETE", "/v1/project/RC/access", access)).status).toBe(200);
    expect((await raw(url, { token: memberToken })).status).toBe(403);
  });

  it("keeps answers apart by the address clients reach the server at", async () => {
    const upload = onePng();
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/attachment/RC",
      payload: upload.payload,
      headers: { ...upload.headers, token },
    });
    expect(res.statusCode, res.body).toBe(200);
    const hash = res.json().result[0].hash as string;
    expect((await call("POST", "/v1/case/RC", { title: "With a picture", attachments: [hash] })).status).toBe(
      200,
    );
    const urlOf = async (host: string) =>
      JSON.parse((await raw("/v1/case/RC", { token, "x-forwarded-host": host })).text).result.entities[0]
        .attachments[0].url as string;
    expect(await urlOf("one.example")).toMatch(/^http:\/\/one\.example\/v1\/attachment\//);
    expect(await urlOf("two.example")).toMatch(/^http:\/\/two\.example\/v1\/attachment\//);
    expect(await urlOf("one.example")).toMatch(/^http:\/\/one\.example\//);
  });
});

describe("the response cache's bound", () => {
  it("is on encoded bytes: an answer larger than the bound is served but not kept", async () => {
    const store = openStore({ dataDir: "", sqliteFile: ":memory:", responseCacheBytes: 1000 });
    try {
      const load = (bytes: Buffer) => () => Promise.resolve(bytes);
      // 400 characters, 1200 bytes in UTF-8: over the bound, whatever its length in characters.
      const wide = Buffer.from("€".repeat(400));
      expect(await store.responses.get("wide", load(wide))).toBe(wide);
      expect(await store.responses.get("wide", load(Buffer.from("again")))).toEqual(Buffer.from("again"));
      const small = Buffer.from("x".repeat(900));
      await store.responses.get("small", load(small));
      expect(store.responses.peek("small")).toBe(small);
      // Short answers are kept as strings, weighed by their bytes too.
      const text = (value: string) => () => Promise.resolve(value);
      await store.responses.get("wide text", text("€".repeat(400)));
      expect(store.responses.peek("wide text")).toBeUndefined();
      await store.responses.get("text", text("é".repeat(450)));
      expect(store.responses.peek("text")).toBe("é".repeat(450));
      expect(store.responses.stats).toEqual({ hits: 2, misses: 5 });
    } finally {
      await store.close();
    }
  });
});

describe("VERDICT_RESPONSE_CACHE_MB", () => {
  const bytes = (v: string | undefined) =>
    loadConfig({}, { VERDICT_RESPONSE_CACHE_MB: v }).responseCacheBytes;
  it("defaults to 32 MiB, takes 0 to turn the cache off, and refuses what is not a whole number", () => {
    expect(bytes(undefined)).toBe(32 * 1024 * 1024);
    expect(bytes("0")).toBe(0);
    expect(bytes("8")).toBe(8 * 1024 * 1024);
    for (const bad of ["-1", "1.5", "lots"])
      expect(() => bytes(bad)).toThrow(/VERDICT_RESPONSE_CACHE_MB must be an integer of at least 0/);
    expect(() => loadConfig({}, { VERDICT_RATE_LIMIT: "0" })).toThrow(/must be a positive integer/);
  });
});
