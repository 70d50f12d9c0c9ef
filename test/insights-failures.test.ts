import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller, fieldsOf } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

/** The same assertion failing 41 times, each time with its own numbers, paths, ids and times. */
function timeoutFailure(i: number) {
  const hex = (0xabc000 + i).toString(16).padStart(8, "0");
  const uuid = `${hex}-1111-4222-8333-${String(i).padStart(12, "0")}`;
  const tmp =
    i % 2 === 0 ? `/tmp/pw-${i}/trace.zip` : `C:\\Users\\ci${i}\\AppData\\Local\\Temp\\pw-${i}\\trace.zip`;
  return {
    message: `Timed out after ${5000 + i}ms waiting for order ${1000 + i} (${uuid}) at 2026-12-0${(i % 9) + 1}T10:${10 + i}:00Z, trace ${tmp}`,
    stacktrace: [
      `TimeoutError: Timed out after ${5000 + i}ms`,
      `    at waitForOrder (/home/ci/checkout/tests/orders.spec.ts:${40 + i}:11)`,
      `    at Context.<anonymous> (/home/ci/checkout/tests/orders.spec.ts:${90 + i}:5)`,
      `    at async run (/home/ci/checkout/node_modules/runner/index.js:${i}:3)`,
      `    at worker ${i} (/deep/frame/${i}.js:1:1)`,
    ].join("\n"),
  };
}

function typeFailure(i: number) {
  return {
    message: `Cannot read properties of undefined (reading 'id${i}')`,
    stacktrace: [
      `TypeError: Cannot read properties of undefined (reading 'id${i}')`,
      `    at renderCart (/home/ci/checkout/src/cart.tsx:${12 + i}:7)`,
    ].join("\n"),
  };
}

describe.each(dialects)("failure groups on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  let run = 0;
  const failures = (query: string) => call("GET", `/v1/insights/FG/failures${query}`);

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("FG", owner);
    await t.project("OTH", owner);
    token = await t.token(owner);
    run = (await call("POST", "/v1/run/FG", { title: "Nightly #1" })).body.result.id;
    const base = 1_800_000_000;
    const results = [
      ...Array.from({ length: 41 }, (_, i) => ({
        id: `t-${i}`,
        title: `order flow ${i}`,
        signature: `orders.spec.ts::order flow ${i}`,
        message: timeoutFailure(i).message,
        execution: {
          status: "failed",
          stacktrace: timeoutFailure(i).stacktrace,
          start_time: base + i,
          end_time: base + i + 5,
        },
      })),
      ...Array.from({ length: 3 }, (_, i) => ({
        id: `c-${i}`,
        title: `cart ${i}`,
        signature: `cart.spec.ts::cart ${i}`,
        message: typeFailure(i).message,
        execution: {
          status: i === 2 ? "invalid" : "failed",
          stacktrace: typeFailure(i).stacktrace,
          start_time: base + 100 + i,
        },
      })),
      // Neither passed nor blocked results are failures.
      { id: "p-1", title: "ok", execution: { status: "passed", start_time: base } },
      {
        id: "b-1",
        title: "blocked",
        message: "env down",
        execution: { status: "blocked", start_time: base },
      },
    ];
    expect((await call("POST", `/v2/FG/run/${run}/results`, { results })).status).toBe(202);
    // One failure through the v1 API lands in the second group too.
    const extra = typeFailure(77);
    const v1 = await call("POST", `/v1/result/FG/${run}`, {
      status: "failed",
      case: { title: "cart v1" },
      comment: extra.message,
      stacktrace: extra.stacktrace,
    });
    expect(v1.status).toBe(200);
  });
  afterAll(() => t.close());

  it("groups 41 failures differing only in numbers, paths and ids apart from 4 of another error", async () => {
    const r = await failures(`?run_id=${run}&limit=10`);
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ total: 2, filtered: 2, count: 2 });
    const [big, small] = r.body.result.entities;
    expect(big.count).toBe(41);
    expect(big.case_ids).toHaveLength(41);
    expect(big.case_ids).toEqual([...big.case_ids].sort((a: number, b: number) => a - b));
    expect(new Set(big.result_hashes).size).toBe(41);
    expect(big.signature).toMatch(/^[0-9a-f]{32}$/);
    expect(big.message).toMatch(
      /^Timed out after <duration> waiting for order <n> \(<uuid>\) at <time>, trace <tmp>$/,
    );
    expect(big.first_seen).toBe("2027-01-15T08:00:00+00:00");
    expect(big.last_seen).toBe("2027-01-15T08:00:40+00:00");
    expect(small.count).toBe(4);
    expect(small.case_ids).toHaveLength(4);
    expect(small.message).toBe("Cannot read properties of undefined (reading <str>)");
    expect(small.signature).not.toBe(big.signature);

    // Stable: asked again, the same signatures.
    const again = await failures(`?run_id=${run}`);
    expect(again.body.result.entities.map((g: { signature: string }) => g.signature)).toEqual([
      big.signature,
      small.signature,
    ]);
  });

  it("pages the groups", async () => {
    const r = await failures(`?run_id=${run}&limit=1&offset=1`);
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ total: 2, count: 1 });
    expect(r.body.result.entities[0].count).toBe(4);
    expect((await failures(`?run_id=${run}&offset=5`)).body.result).toMatchObject({ total: 2, count: 0 });
  });

  it("answers an empty list for a run without failures", async () => {
    const clean = (await call("POST", "/v1/run/FG", { title: "clean" })).body.result.id;
    const r = await failures(`?run_id=${clean}`);
    expect(r.status).toBe(200);
    expect(r.body.result).toEqual({ total: 0, filtered: 0, count: 0, entities: [] });
  });

  it("refuses bad input with 404 or 422, never a 500", async () => {
    for (const q of [
      "",
      "?run_id=",
      "?run_id=abc",
      "?run_id=0",
      "?run_id=99999999999",
      `?run_id=${run}&limit=0`,
    ]) {
      const r = await failures(q);
      expect(r.status, q).toBe(422);
      expect(fieldsOf(r).length, q).toBeGreaterThan(0);
    }
    expect(fieldsOf(await failures(""))).toEqual(["run_id"]);
    expect((await failures("?run_id=99999")).status).toBe(404);
    expect((await call("GET", `/v1/insights/NOPE/failures?run_id=${run}`)).status).toBe(404);
    const limited = await t.token(await t.user("owner"), { projects: ["OTH"] });
    expect((await call("GET", `/v1/insights/FG/failures?run_id=${run}`, undefined, limited)).status).toBe(
      403,
    );
    const viewer = await t.token(await t.user("viewer"), { scopes: ["read"] });
    expect((await call("GET", `/v1/insights/FG/failures?run_id=${run}`, undefined, viewer)).status).toBe(200);
  });

  it("is described in the OpenAPI document", async () => {
    const spec = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(["/v1/insights/{code}/failures", "/v1/run/{code}/{id}/compare"]),
    );
  });
});
