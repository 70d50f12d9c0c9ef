import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suiteCountsQuery } from "../src/features/runs/run-suites.repository.js";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { sqlitePlan } from "./helpers/statements.js";
import { dialects } from "./helpers/stores.js";

interface SuiteTotals {
  suite_id: number | null;
  title: string | null;
  path: string[];
  without_case: boolean;
  stats: Record<string, number | Record<string, number>> & { statuses: Record<string, number> };
}

const ZERO = {
  passed: 0,
  failed: 0,
  blocked: 0,
  skipped: 0,
  invalid: 0,
  retest: 0,
  in_progress: 0,
  untested: 0,
  flaky: 0,
};

describe.each(dialects)("run totals per suite on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let viewerToken = "";
  let otherProjectToken = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const id = async (url: string, body: unknown) => (await call("POST", url, body)).body.result.id as number;

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("RS", owner);
    await t.project("OT", owner);
    token = await t.token(owner);
    viewerToken = await t.token(await t.user("viewer"));
    otherProjectToken = await t.token(owner, { projects: ["OT"] });
    await call("PATCH", "/v1/project/RS", { settings: { auto_create_cases: false } });
  });
  afterAll(() => t.close());

  it("counts the whole run per suite, suites in repository order, then cases outside suites, then tests without a case", async () => {
    // Created out of order: positions decide, so "Account" (moved first) precedes "Checkout".
    const checkout = await id("/v1/suite/RS", { title: "Checkout" });
    const account = await id("/v1/suite/RS", { title: "Account" });
    const payment = await id("/v1/suite/RS", { title: "Payment", parent_id: checkout });
    const empty = await id("/v1/suite/RS", { title: "Empty" });
    expect((await call("PATCH", `/v1/suite/RS/${account}`, { position: 1 })).status).toBe(200);
    const { ids } = (
      await call("POST", "/v1/case/RS/bulk", {
        cases: [
          { title: "log in", suite_id: account },
          { title: "log out", suite_id: account },
          { title: "add to cart", suite_id: checkout },
          { title: "pay by card", suite_id: payment },
          { title: "pay by invoice", suite_id: payment },
          { title: "pay by voucher", suite_id: payment },
          { title: "read the docs" },
          { title: "retired", suite_id: account },
          { title: "moved", suite_id: empty },
        ],
      })
    ).body.result as { ids: number[] };
    const [login, logout, cart, card, invoice, voucher, docs, retired, moved] = ids as number[] as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const run = await id("/v1/run/RS", { title: "Release", cases: ids });
    const bulk = await call("POST", `/v1/result/RS/${run}/bulk`, {
      results: [
        { case_id: login, status: "passed" },
        { case_id: logout, status: "failed" },
        { case_id: cart, status: "failed" },
        // Two parameter sets of one case: two more lines of the run (the plain line stays untested).
        { case_id: card, status: "passed", param: { browser: "chromium" } },
        { case_id: card, status: "skipped", param: { browser: "firefox" } },
        { case_id: invoice, status: "blocked" },
        { case_id: voucher, status: "invalid" },
        { case_id: retired, status: "passed" },
        { case_id: moved, status: "passed" },
      ],
    });
    expect(bulk.status).toBe(200);
    // A retry that passes: the line's current status is passed, and it is flaky.
    expect((await call("POST", `/v1/result/RS/${run}`, { case_id: cart, status: "passed" })).status).toBe(
      200,
    );
    // A reporter's test with no case (auto-creation is off): a line of its own.
    const v2 = await call("POST", `/v2/RS/run/${run}/results`, {
      results: [{ id: "u-1", title: "orphan", execution: { status: "failed" } }],
    });
    expect(v2.status).toBe(202);
    // What happened to the repository since counts as it is now: a deleted case falls outside suites,
    // a moved case counts in its new suite (the run page groups by the suite a case is in now).
    expect((await call("DELETE", `/v1/case/RS/${retired}`)).status).toBe(200);
    expect((await call("PATCH", `/v1/case/RS/${moved}`, { suite_id: checkout })).status).toBe(200);

    const r = await call("GET", `/v1/run/RS/${run}/suites`, undefined, viewerToken);
    expect(r.status).toBe(200);
    const list = r.body.result as { total: number; count: number; entities: SuiteTotals[] };
    expect(list).toMatchObject({ total: 5, filtered: 5, count: 5 });
    const shape = list.entities.map((s) => [s.suite_id, s.title, s.path.join(" / "), s.without_case]);
    expect(shape).toEqual([
      [account, "Account", "Account", false],
      [checkout, "Checkout", "Checkout", false],
      [payment, "Payment", "Checkout / Payment", false],
      [null, null, "", false],
      [null, null, "", true],
    ]);
    const [acc, chk, pay, outside, noCase] = list.entities as [
      SuiteTotals,
      SuiteTotals,
      SuiteTotals,
      SuiteTotals,
      SuiteTotals,
    ];
    expect(acc.stats).toMatchObject({ ...ZERO, total: 2, passed: 1, failed: 1 });
    expect(acc.stats.statuses).toEqual({ passed: 1, failed: 1 });
    expect(chk.stats).toMatchObject({ ...ZERO, total: 2, passed: 2, flaky: 1 });
    expect(pay.stats).toMatchObject({
      ...ZERO,
      total: 5,
      passed: 1,
      skipped: 1,
      blocked: 1,
      invalid: 1,
      untested: 1,
    });
    expect(outside.stats).toMatchObject({ ...ZERO, total: 2, passed: 1, untested: 1 });
    expect(noCase.stats).toMatchObject({ ...ZERO, total: 1, failed: 1 });

    // The groups add up to the run's own stats.
    const stats = (await call("GET", `/v1/run/RS/${run}`)).body.result.stats as Record<string, number>;
    for (const key of ["total", "passed", "failed", "blocked", "skipped", "invalid", "untested", "flaky"]) {
      const sum = list.entities.reduce((n, s) => n + (s.stats[key] as number), 0);
      expect([key, sum]).toEqual([key, stats[key]]);
    }

    // The entries carry the same suite, so a page of them can be grouped under these totals.
    const entries = await call("GET", `/v1/run/RS/${run}/entries?limit=100`);
    const suiteOf = new Map(
      (entries.body.result.entities as { case_id: number | null; suite_id: number | null }[]).map((e) => [
        e.case_id,
        e.suite_id,
      ]),
    );
    expect([login, cart, moved, card, docs, retired, null].map((c) => suiteOf.get(c))).toEqual([
      account,
      checkout,
      checkout,
      payment,
      null,
      null,
      null,
    ]);
  });

  it("answers an empty list for a run without lines", async () => {
    const run = await id("/v1/run/RS", { title: "Empty run" });
    const r = await call("GET", `/v1/run/RS/${run}/suites`);
    expect(r).toEqual({
      status: 200,
      body: { status: true, result: { total: 0, filtered: 0, count: 0, entities: [] } },
    });
  });

  it("refuses an unknown run (404), a deleted one (410), bad ids (422) and other projects' tokens (403)", async () => {
    const missing = await call("GET", "/v1/run/RS/999999/suites");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      status: false,
      errorMessage: expect.stringContaining("Run RS-999999"),
    });
    expect((await call("GET", "/v1/run/NOPE/1/suites")).status).toBe(404);
    const run = await id("/v1/run/RS", { title: "Gone" });
    expect((await call("DELETE", `/v1/run/RS/${run}`)).status).toBe(200);
    expect((await call("GET", `/v1/run/RS/${run}/suites`)).status).toBe(410);
    expect((await call("GET", "/v1/run/RS/abc/suites")).status).toBe(422);
    expect((await call("GET", "/v1/run/RS/0/suites")).status).toBe(422);
    const live = await id("/v1/run/RS", { title: "Live" });
    expect((await call("GET", `/v1/run/RS/${live}/suites`, undefined, otherProjectToken)).status).toBe(403);
    expect((await call("GET", `/v1/run/RS/${live}/suites`, undefined, "")).status).toBe(401);
  });

  it.runIf(dialect.name === "sqlite")(
    "reads the run's lines through their primary key, cases and suites by theirs",
    async () => {
      const details = await sqlitePlan(t.ctx.db, suiteCountsQuery(t.ctx.db, 1, 1).compile());
      expect(
        details.some((d) =>
          /^SEARCH e USING (PRIMARY KEY|INDEX sqlite_autoindex_run_entries_1) \(project_id=\? AND run_id=\?\)/.test(
            d,
          ),
        ),
      ).toBe(true);
      expect(details.some((d) => /^SEARCH c USING .*\(project_id=\? AND id=\?\)/.test(d))).toBe(true);
      expect(details.some((d) => /^SEARCH s USING .*\(project_id=\? AND id=\?\)/.test(d))).toBe(true);
      expect(details.filter((d) => /^SCAN (e|c|s)\b/.test(d))).toEqual([]);
    },
  );
});
