import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("search results come newest first on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const hashes: string[] = [];

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    token = await t.token(owner);
    await t.project("ORD", owner);
    await t.project("ALT", owner);
    // Failures recorded one after another, alternating between two projects.
    for (const [i, code] of ["ORD", "ALT", "ORD", "ALT"].entries()) {
      const c = (await call("POST", `/v1/case/${code}`, { title: `Case ${i}` })).body.result.id;
      const run = (await call("POST", `/v1/run/${code}`, { title: `Run ${i}`, cases: [c] })).body.result.id;
      const r = await call("POST", `/v1/result/${code}/${run}`, { case_id: c, status: "failed" });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      hashes.push(r.body.result.hash);
    }
  });
  afterAll(() => t.close());

  const found = async (query: string) => {
    const r = await call("GET", `/v1/search?query=${encodeURIComponent(query)}&limit=100`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.result.entities.map((e: { hash: string }) => e.hash);
  };

  it("lists failed results newest first across projects when the query has no order", async () => {
    expect(await found('entity = "result" and status = "failed"')).toEqual([...hashes].reverse());
  });

  it("keeps newest first as the tie-break after an explicit order", async () => {
    expect(await found('entity = "result" order by status')).toEqual([...hashes].reverse());
  });
});
