import type { Compilable } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ResultFilter, scopeResults } from "../src/features/results/results.repository.js";
import { apiCaller, fieldsOf } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { sqlitePlan } from "./helpers/statements.js";
import { dialects } from "./helpers/stores.js";

/** A v2 result as the official reporters build it. */
function v2(id: string, title: string, status: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    title,
    execution: { status, start_time: 1763800000.25, end_time: 1763800001.5, duration: 1250, thread: "w1" },
    relations: { suite: { data: [{ title: "Shop" }, { title: "Cart" }] } },
    fields: {},
    steps: [],
    attachments: [],
    params: {},
    ...extra,
  };
}

describe.each(dialects)("results (v1 and v2) on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let ciToken = "";

  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const newRun = async (title = "Run", code = "RS") =>
    (await call("POST", `/v1/run/${code}`, { title, is_autotest: true })).body.result.id as number;
  const stats = async (id: number, code = "RS") =>
    (await call("GET", `/v1/run/${code}/${id}`)).body.result.stats;
  const results = async (id: number, code = "RS") =>
    (await call("GET", `/v1/result/${code}?run=${id}&limit=100`)).body.result.entities as Array<
      Record<string, unknown>
    >;
  const caseCount = async (code = "RS") =>
    (await call("GET", `/v1/case/${code}?limit=1`)).body.result.total as number;

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("RS", owner);
    await t.project("NA", owner);
    token = await t.token(owner);
    // A project whose reporters must not create cases, switched through the API (Verdict extension).
    const patched = await call("PATCH", "/v1/project/NA", { settings: { auto_create_cases: false } });
    expect(patched.body.result).toMatchObject({ code: "NA", settings: { auto_create_cases: false } });
    ciToken = await t.token(owner, { scopes: ["results"] });
  });
  afterAll(() => t.close());

  it("v1: stores a result for a case, reads it by hash, and updates the run's stats", async () => {
    const caseId = (await call("POST", "/v1/case/RS", { title: "pay" })).body.result.id;
    const run = newRun();
    const id = await run;
    const created = await call("POST", `/v1/result/RS/${id}`, {
      case_id: caseId,
      status: "failed",
      time_ms: 1500,
      comment: "card declined",
      stacktrace: "Error: declined\n  at pay()",
      steps: [
        { status: "passed", action: "open" },
        { status: "failed", action: "pay", comment: "boom", steps: [{ status: "failed", action: "submit" }] },
      ],
      param: { browser: "firefox" },
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      status: true,
      result: { case_id: caseId, hash: expect.stringMatching(/^[0-9a-f]{40}$/) },
    });
    const hash = created.body.result.hash;
    const read = await call("GET", `/v1/result/RS/${hash}`);
    expect(read.body.result).toMatchObject({
      hash,
      result_hash: hash,
      run_id: id,
      case_id: caseId,
      status: "failed",
      comment: "card declined",
      stacktrace: "Error: declined\n  at pay()",
      time_spent_ms: 1500,
      is_api_result: true,
      params: { browser: "firefox" },
      steps: [
        { status: 1, position: 1, action: "open" },
        { status: 2, position: 2, action: "pay", comment: "boom", steps: [{ status: 2, action: "submit" }] },
      ],
    });
    expect(await stats(id)).toMatchObject({ total: 1, failed: 1, statuses: { failed: 1 }, untested: 0 });

    expect(
      (await call("PATCH", `/v1/result/RS/${id}/${hash}`, { status: "passed", comment: "retried by hand" }))
        .body,
    ).toEqual({ status: true, result: { hash } });
    expect(await stats(id)).toMatchObject({ total: 1, passed: 1, failed: 0 });
    const total = async () => (await call("GET", "/v1/result/RS?limit=1")).body.result.total as number;
    const before = await total();
    expect((await call("DELETE", `/v1/result/RS/${id}/${hash}`)).body).toEqual({
      status: true,
      result: { hash },
    });
    // The list total follows the run's counter: one fewer after a delete, one more after a new result.
    expect(await total()).toBe(before - 1);
    const again = await call("POST", `/v1/result/RS/${id}`, {
      case_id: caseId,
      status: "passed",
      param: { browser: "firefox" },
    });
    expect(await total()).toBe(before);
    await call("DELETE", `/v1/result/RS/${id}/${again.body.result.hash}`);
    expect(await stats(id)).toMatchObject({ total: 1, passed: 0, untested: 1 });
    expect((await call("GET", `/v1/result/RS/${hash}`)).status).toBe(410);
    expect((await call("GET", `/v1/result/RS/${"0".repeat(40)}`)).status).toBe(404);
  });

  it("lists a result exactly as it reads by hash, whatever characters it holds", async () => {
    // A list page reads each row as one JSON text from the database (db/json-rows.ts).
    const text = 'quote " backslash \\ tab \t newline \n é 中文 🚀 \u2028 {"not": "json"}';
    // Run and case ids far apart, so that no column could pass for another.
    for (let i = 0; i < 3; i++) await call("POST", "/v1/run/RS", { title: `filler ${i}` });
    const run = (await call("POST", "/v1/run/RS", { title: "characters", is_autotest: true })).body.result.id;
    const sent = await call("POST", `/v2/RS/run/${run}/results`, {
      results: [
        {
          title: text,
          signature: `chars::${text}`,
          execution: { status: "failed", stacktrace: text, start_time: 1763800000.123, duration: 7 },
          fields: { description: text, tag: "a,b" },
          params: { browser: 'chromium "dev"' },
          relations: { suite: { data: [{ title: text.slice(0, 50) }] } },
          steps: [{ data: { action: text }, execution: { status: "failed", comment: text } }],
          message: text,
        },
      ],
    });
    expect(sent.status).toBe(202);
    const listed = (await call("GET", `/v1/result/RS?run=${run}&limit=100`)).body.result.entities;
    expect(listed).toHaveLength(1);
    const alone = (await call("GET", `/v1/result/RS/${listed[0].hash}`)).body.result;
    expect(alone).toMatchObject({ stacktrace: text, run_id: run });
    expect(alone.case_id).not.toBe(run);
    expect(listed[0]).toEqual(alone);
  });

  it("v1: a result naming a case by title and suite path finds or creates that case once", async () => {
    const id = await newRun();
    const before = await caseCount();
    const body = {
      status: "passed",
      case: { title: "adds item", suite_title: "Shop\tCart", severity: "critical" },
    };
    const first = await call("POST", `/v1/result/RS/${id}`, body);
    const second = await call("POST", `/v1/result/RS/${id}`, body);
    expect(first.body.result.case_id).toBe(second.body.result.case_id);
    expect(await caseCount()).toBe(before + 1);
    const kase = (await call("GET", `/v1/case/RS/${first.body.result.case_id}`)).body.result;
    expect(kase).toMatchObject({ title: "adds item", automation: 2, severity: 2 });
    const suite = (await call("GET", `/v1/suite/RS/${kase.suite_id}`)).body.result;
    const parent = (await call("GET", `/v1/suite/RS/${suite.parent_id}`)).body.result;
    expect([parent.title, suite.title]).toEqual(["Shop", "Cart"]);
  });

  it("v1 bulk: all or nothing, 413 beyond 2000 results", async () => {
    const id = await newRun();
    const caseId = (await call("POST", "/v1/case/RS", { title: "bulk" })).body.result.id;
    const bad = await call("POST", `/v1/result/RS/${id}/bulk`, {
      results: [
        { case_id: caseId, status: "passed" },
        { case_id: 999999, status: "passed" },
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errorFields).toEqual([
      { field: "results.1.testops_id", error: expect.stringContaining("RS-999999") },
    ]);
    expect(await results(id)).toHaveLength(0);
    const big = await call("POST", `/v1/result/RS/${id}/bulk`, {
      results: Array.from({ length: 2001 }, () => ({ case_id: caseId, status: "passed" })),
    });
    expect(big.status).toBe(413);
    expect(await results(id)).toHaveLength(0);
    const good = await call("POST", `/v1/result/RS/${id}/bulk`, {
      results: [{ case_id: caseId, status: "blocked" }],
    });
    expect(good.body).toEqual({ status: true });
    expect(await stats(id)).toMatchObject({ blocked: 1 });
  });

  it("v2: a retried batch stores nothing twice, and the reporter is kept on the run", async () => {
    const id = await newRun();
    const batch = {
      results: [
        v2("a-1", "opens cart", "passed"),
        v2("a-2", "removes item", "failed"),
        v2("a-1", "opens cart", "passed"),
      ],
    };
    const headers = {
      "x-client": "reporter=playwright-qase-reporter;reporter_version=2.7.0;framework=@playwright/test",
    };
    const first = await call("POST", `/v2/RS/run/${id}/results`, batch, headers);
    expect(first).toEqual({ status: 202, body: { status: true } });
    const again = await call("POST", `/v2/RS/run/${id}/results`, batch, headers);
    expect(again.status).toBe(202);
    expect(await results(id)).toHaveLength(2);
    expect(await stats(id)).toMatchObject({ total: 2, passed: 1, failed: 1 });
    expect((await call("GET", `/v1/run/RS/${id}`)).body.result.reporter).toBe(
      "playwright-qase-reporter 2.7.0",
    );
    const one = await call("POST", `/v2/RS/run/${id}/result`, v2("a-3", "checks out", "skipped"));
    expect(one).toEqual({
      status: 202,
      body: { status: true, result: { case_id: expect.any(Number), hash: expect.any(String) } },
    });
    const oneAgain = await call("POST", `/v2/RS/run/${id}/result`, v2("a-3", "checks out", "skipped"));
    expect(oneAgain.body.result.hash).toBe(one.body.result.hash);
  });

  it("v2: reruns of the same suite land on the same cases, by signature or title and suite path", async () => {
    const before = await caseCount();
    for (const run of [await newRun("first"), await newRun("second")]) {
      await call("POST", `/v2/RS/run/${run}/results`, {
        results: [
          v2(`${run}-1`, "signed", "passed", { signature: "shop::cart::signed" }),
          v2(`${run}-2`, "unsigned", "passed"),
        ],
      });
    }
    expect(await caseCount()).toBe(before + 2);
  });

  it("v2: a deleted case is matched by nothing: a rerun creates a new one, a testops id to it is a 422", async () => {
    const report = async (run: number, n: number) => {
      const r = await call("POST", `/v2/RS/run/${run}/results`, {
        results: [
          v2(`${run}-gone-1`, `signed gone ${n}`, "passed", { signature: "shop::cart::gone" }),
          v2(`${run}-gone-2`, "unsigned gone", "passed"),
        ],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      const byTitle = new Map((await results(run)).map((x) => [x.title, x.case_id as number]));
      return [byTitle.get(`signed gone ${n}`), byTitle.get("unsigned gone")] as const;
    };
    const [signed, unsigned] = await report(await newRun("before the deletion"), 1);
    expect(signed).toBeTypeOf("number");
    expect(unsigned).toBeTypeOf("number");
    for (const id of [signed, unsigned]) expect((await call("DELETE", `/v1/case/RS/${id}`)).status).toBe(200);

    const [signedAgain, unsignedAgain] = await report(await newRun("after the deletion"), 2);
    expect(signedAgain).toBeTypeOf("number");
    expect(unsignedAgain).toBeTypeOf("number");
    expect(signedAgain).not.toBe(signed);
    expect(unsignedAgain).not.toBe(unsigned);

    const run = await newRun("by id");
    const r = await call("POST", `/v2/RS/run/${run}/results`, {
      results: [v2(`${run}-1`, "by id", "passed", { testops_id: signed })],
    });
    expect(r.status).toBe(422);
    expect(r.body.errorFields).toEqual([
      { field: "results.0.testops_id", error: expect.stringContaining(`RS-${signed}`) },
    ]);
  });

  it("v2: cases a batch creates take the next positions in each of their suites", async () => {
    const suite = (await call("POST", "/v1/suite/RS", { title: "Placed" })).body.result.id as number;
    const manual = (await call("POST", "/v1/case/RS", { title: "by hand", suite_id: suite })).body.result.id;
    await call("POST", "/v1/case/RS", { title: "by hand too", suite_id: suite });
    const run = await newRun("positions");
    const at = (path: string[]) => ({ relations: { suite: { data: path.map((title) => ({ title })) } } });
    const res = await call("POST", `/v2/RS/run/${run}/results`, {
      results: [
        v2(`${run}-a`, "placed a", "passed", at(["Placed"])),
        v2(`${run}-b`, "new 1", "passed", at(["Fresh one"])),
        v2(`${run}-c`, "placed b", "passed", at(["Placed"])),
        v2(`${run}-d`, "new 2", "passed", at(["Fresh two"])),
        v2(`${run}-e`, "new 3", "passed", at(["Fresh one"])),
      ],
    });
    expect(res.status).toBe(202);
    const cases = (await call("GET", "/v1/case/RS?limit=100")).body.result.entities as Array<{
      id: number;
      title: string;
      suite_id: number;
      position: number;
    }>;
    const placed = (title: string) => cases.find((c) => c.title === title);
    expect(placed("by hand")).toMatchObject({ id: manual, suite_id: suite, position: 1 });
    expect(placed("by hand too")?.position).toBe(2);
    expect([placed("placed a")?.position, placed("placed b")?.position]).toEqual([3, 4]);
    expect(placed("placed a")?.suite_id).toBe(suite);
    expect([placed("new 1")?.position, placed("new 3")?.position]).toEqual([1, 2]);
    expect(placed("new 2")?.position).toBe(1);
    expect(placed("new 1")?.suite_id).toBe(placed("new 3")?.suite_id);
    expect(placed("new 1")?.suite_id).not.toBe(placed("new 2")?.suite_id);
  });

  it("v2: keeps every attempt, flags a fail-then-pass as flaky, and counts parameter sets apart", async () => {
    const id = await newRun();
    const sig = { signature: "cart::retry" };
    await call("POST", `/v2/RS/run/${id}/results`, { results: [v2("r-1", "retry me", "failed", sig)] });
    await call("POST", `/v2/RS/run/${id}/results`, { results: [v2("r-2", "retry me", "passed", sig)] });
    await call("POST", `/v2/RS/run/${id}/results`, {
      results: [
        v2("p-1", "param", "passed", { params: { browser: "chromium" } }),
        v2("p-2", "param", "failed", { params: { browser: "firefox" } }),
        v2("f-1", "marked", "passed", { fields: { is_flaky: "true" } }),
      ],
    });
    const s = await stats(id);
    expect(s).toMatchObject({ total: 4, passed: 3, failed: 1, flaky: 2 });
    const rows = await results(id);
    const retry = rows.filter((r) => r.title === "retry me");
    expect(retry.map((r) => [r.status, r.attempt])).toEqual([
      ["passed", 2],
      ["failed", 1],
    ]);
    const param = rows.filter((r) => r.title === "param");
    expect(new Set(param.map((r) => r.case_id)).size).toBe(1);
  });

  it("v2: unknown testops ids are a 422 naming them, and nothing is stored", async () => {
    const id = await newRun();
    const caseId = (await call("POST", "/v1/case/RS", { title: "known" })).body.result.id;
    const r = await call("POST", `/v2/RS/run/${id}/results`, {
      results: [
        v2("k-1", "known", "passed", { testops_id: caseId }),
        v2("k-2", "ghost", "passed", { testops_ids: [caseId, 888888] }),
      ],
    });
    expect(r.status).toBe(422);
    expect(r.body.errorFields).toEqual([
      { field: "results.1.testops_ids", error: expect.stringContaining("RS-888888") },
    ]);
    expect(await results(id)).toHaveLength(0);
    const empty = await call("POST", `/v2/RS/run/${id}/results`, {
      results: [v2("k-3", "x", "passed", { testops_ids: [] })],
    });
    // Qase answers an empty testops_ids with 400, for a batch and for one result alike.
    expect([empty.status, empty.body.errorMessage]).toEqual([
      400,
      "results.0.testops_ids is empty: omit it or name a case",
    ]);
    const one = await call("POST", `/v2/RS/run/${id}/result`, v2("k-3", "x", "passed", { testops_ids: [] }));
    expect(one.status).toBe(400);
    const multi = await call("POST", `/v2/RS/run/${id}/results`, {
      results: [v2("k-4", "two cases", "passed", { testops_ids: [caseId, caseId + 0] })],
    });
    expect(multi.status).toBe(202);
  });

  it("v2: without auto-creation a result stays unlinked but visible in the run", async () => {
    const id = await newRun("na", "NA");
    const before = await caseCount("NA");
    await call("POST", `/v2/NA/run/${id}/results`, { results: [v2("u-1", "orphan", "failed")] });
    expect(await caseCount("NA")).toBe(before);
    expect(await stats(id, "NA")).toMatchObject({ total: 1, failed: 1 });
    expect((await results(id, "NA"))[0]).toMatchObject({
      case_id: null,
      title: "orphan",
      suite_path: ["Shop", "Cart"],
    });
  });

  it("v2: truncates error_context, refuses over-large batches whole (413)", async () => {
    const id = await newRun();
    const long = "x".repeat(300_000);
    const r = await call("POST", `/v2/RS/run/${id}/results`, {
      results: [{ ...v2("e-1", "ctx", "failed"), execution: { status: "failed", error_context: long } }],
    });
    expect(r.status).toBe(202);
    const row = await t.ctx.db
      .selectFrom("results")
      .select("error_context")
      .where("idem_key", "=", "e-1")
      .executeTakeFirstOrThrow();
    expect(row.error_context?.length).toBe(262_144);
    const tooMuch = Array.from({ length: 17 }, (_, i) => ({
      ...v2(`big-${i}`, "ctx", "failed"),
      execution: { status: "failed", error_context: long },
    }));
    expect((await call("POST", `/v2/RS/run/${id}/results`, { results: tooMuch })).status).toBe(413);
    const tooMany = Array.from({ length: 2001 }, (_, i) => v2(`n-${i}`, "n", "passed"));
    expect((await call("POST", `/v2/RS/run/${id}/results`, { results: tooMany })).status).toBe(413);
    expect(await results(id)).toHaveLength(1);
  });

  it("v2: a failed result with defect: true opens a defect linked to it", async () => {
    const id = await newRun();
    await call(
      "POST",
      `/v2/RS/run/${id}/results`,
      { results: [v2("d-1", "breaks", "failed", { defect: true, message: "it broke" })] },
      { token: ciToken },
    );
    const hash = (await results(id))[0]?.hash;
    const defects = (await call("GET", "/v1/defect/RS?limit=100")).body.result.entities;
    const mine = defects.find((d: { results: string[] }) => d.results.includes(hash as string));
    expect(mine).toMatchObject({ title: "breaks", actual_result: "it broke", runs: [id] });
  });

  it("a completed run takes no new results, but a retried batch still succeeds", async () => {
    const id = await newRun();
    const batch = { results: [v2("c-1", "late", "passed")] };
    await call("POST", `/v2/RS/run/${id}/results`, batch);
    await call("POST", `/v1/run/RS/${id}/complete`);
    expect((await call("POST", `/v2/RS/run/${id}/results`, batch)).status).toBe(202);
    const late = await call("POST", `/v2/RS/run/${id}/results`, { results: [v2("c-2", "later", "passed")] });
    expect(late.status).toBe(422);
    expect(late.body.errorMessage).toContain("completed");
  });

  it("lists a case's results across runs newest first, with filters", async () => {
    const caseId = (await call("POST", "/v1/case/RS", { title: "history" })).body.result.id;
    const runs = [await newRun("h1"), await newRun("h2")];
    await call("POST", `/v1/result/RS/${runs[0]}`, { case_id: caseId, status: "failed" });
    await call("POST", `/v1/result/RS/${runs[1]}`, { case_id: caseId, status: "passed" });
    const history = (await call("GET", `/v1/result/RS?case_id=${caseId}`)).body.result;
    expect(history.entities.map((r: { run_id: number }) => r.run_id)).toEqual([runs[1], runs[0]]);
    const failed = (await call("GET", `/v1/result/RS?case_id=${caseId}&status=failed`)).body.result;
    expect(failed.filtered).toBe(1);
    expect((await call("GET", "/v1/result/RS?run=abc")).status).toBe(422);
    // Past the id range, or a list of nothing: a 422 naming the filter (on PostgreSQL both were a 500).
    for (const [name, value] of [
      ["run", "2147483648"],
      ["case_id", `${caseId},9999999999`],
      ["member", "2147483648"],
      ["case_id", ","],
      ["run", " , "],
    ]) {
      const res = await call("GET", `/v1/result/RS?${name}=${encodeURIComponent(value as string)}`);
      expect(res.status, `${name}=${value}`).toBe(422);
      expect(fieldsOf(res)).toEqual([name]);
    }
    expect((await call("GET", `/v1/result/RS?case_id=${caseId},2147483647`)).body.result.filtered).toBe(2);
  });

  it("counts a filter's results whatever page is read: full, partial, empty, or past the end", async () => {
    const run = await newRun("pages");
    const statuses = ["failed", "passed", "failed", "blocked", "failed"];
    const batch = statuses.map((status, i) => v2(`page-${i}`, `page ${i}`, status));
    expect((await call("POST", `/v2/RS/run/${run}/results`, { results: batch })).status).toBe(202);
    const pages: [string, number, string[]][] = [
      ["status=failed&limit=2&offset=0", 3, ["page 4", "page 2"]],
      ["status=failed&limit=2&offset=2", 3, ["page 0"]],
      ["status=failed&limit=2&offset=3", 3, []],
      ["status=failed,blocked&limit=5&offset=1", 4, ["page 3", "page 2", "page 0"]],
      ["status=failed&limit=1&offset=40", 3, []],
      ["status=skipped&limit=1&offset=0", 0, []],
      ["status=skipped&limit=1&offset=9", 0, []],
    ];
    for (const [query, filtered, expected] of pages) {
      const r = (await call("GET", `/v1/result/RS?run=${run}&${query}`)).body.result;
      expect(
        r.entities.map((e: { title: string }) => e.title),
        query,
      ).toEqual(expected);
      expect([r.filtered, r.count], query).toEqual([filtered, expected.length]);
    }
  });

  it("takes concurrent batches into one run without losing or doubling anything", async () => {
    const id = await newRun();
    const before = await caseCount();
    // Eight workers, each sending its own results plus the same three new tests (races on case creation).
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        call("POST", `/v2/RS/run/${id}/results`, {
          results: [
            ...Array.from({ length: 25 }, (_, i) =>
              v2(`w${w}-${i}`, `worker ${w} test ${i}`, i % 5 === 0 ? "failed" : "passed"),
            ),
            ...[0, 1, 2].map((k) =>
              v2(`shared-${w}-${k}`, `shared ${k}`, "passed", { signature: `shared::${k}` }),
            ),
          ],
        }),
      ),
    );
    expect(await caseCount()).toBe(before + 8 * 25 + 3);
    const s = await stats(id);
    expect(s.total).toBe(8 * 25 + 3);
    expect(s.failed).toBe(8 * 5);
    const stored = await t.ctx.db
      .selectFrom("results")
      .select((e) => e.fn.countAll().as("n"))
      .where("run_id", "=", id)
      .where("project_id", "=", 1)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(8 * 28);
  });

  it("changes a project's title, access and settings (merged) for admins only, and audits it", async () => {
    const r = await call("PATCH", "/v1/project/RS", { title: "Results project", access: "group" });
    expect(r.body.result).toMatchObject({ title: "Results project", access: "group", code: "RS" });
    expect((await call("PATCH", "/v1/project/RS", {})).status).toBe(422);
    expect((await call("PATCH", "/v1/project/RS", { settings: { unknown: 1 } })).status).toBe(422);
    expect((await call("PATCH", "/v1/project/RS", { title: "x" }, ciToken)).status).toBe(403);
    const audit = await t.ctx.db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "=", "project.updated")
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    await call("PATCH", "/v1/project/RS", { access: "all" });
  });

  it("hides a deleted run's results from lists, filtered by that run or not", async () => {
    const kept = await newRun("kept");
    const doomed = await newRun("doomed");
    for (const [run, id] of [
      [kept, "k1"],
      [doomed, "d1"],
      [doomed, "d2"],
    ] as const)
      await call("POST", `/v2/RS/run/${run}/results`, {
        results: [v2(`hide-${id}`, `hide ${id}`, "failed")],
      });
    const list = async (q: string) => (await call("GET", `/v1/result/RS?${q}&limit=100`)).body.result;
    const before = await list("status=failed");
    expect((await list(`run=${doomed}`)).filtered).toBe(2);
    expect((await call("DELETE", `/v1/run/RS/${doomed}`)).status).toBe(200);
    const after = await list("status=failed");
    expect(after.filtered).toBe(before.filtered - 2);
    expect(after.total).toBe(before.total - 2);
    expect(after.entities.some((r: { run_id: number }) => r.run_id === doomed)).toBe(false);
    const named = await list(`run=${doomed}`);
    expect([named.filtered, named.count]).toEqual([0, 0]);
    const both = await list(`run=${kept},${doomed}&status=failed`);
    expect(both.entities.map((r: { run_id: number }) => r.run_id)).toEqual([kept]);
  });

  it.runIf(dialect.name === "sqlite")(
    "reads a case's history, and the newest results of any or some statuses, from indexes in seq order",
    async () => {
      const project = await t.ctx.db
        .selectFrom("projects")
        .select("id")
        .where("code", "=", "RS")
        .executeTakeFirstOrThrow();
      const plan = (q: Compilable<unknown>) => sqlitePlan(t.ctx.db, q.compile());
      const uses = (details: string[], index: string) => {
        expect(details.some((d) => d.startsWith(`SEARCH r USING INDEX ${index} `))).toBe(true);
        expect(details.filter((d) => /SCAN runs|TEMP B-TREE/.test(d))).toEqual([]);
      };
      // A case's history, all of it or its failures, page and count: its own index, not every result
      // (or every failure) of the project.
      for (const f of [{ caseIds: [1] }, { caseIds: [1], statuses: ["failed"] }]) {
        const q = await scopeResults(t.ctx.db, project.id, f);
        uses(await plan(q.selectAll("r").orderBy("r.seq", "desc").limit(10)), "results_case");
        uses(await plan(q.select((eb) => eb.fn.countAll().as("n"))), "results_case");
      }
      // The newest results, of any status or of some, of the project or of a run: an index in seq order,
      // nothing sorted.
      const newest: [ResultFilter, string][] = [
        [{}, "results_newest_live"],
        [{ statuses: ["failed"] }, "results_status_live"],
        [{ runs: [1], statuses: ["failed"] }, "results_run_status_live"],
      ];
      for (const [f, index] of newest) {
        const q = await scopeResults(t.ctx.db, project.id, f);
        uses(await plan(q.selectAll("r").orderBy("r.seq", "desc").limit(10)), index);
      }
    },
  );

  it("hides deleted runs' results from a case's history and from the unfiltered list, however many", async () => {
    const kept = await newRun("history kept");
    const doomed = await newRun("history doomed");
    for (const run of [kept, doomed])
      await call("POST", `/v2/RS/run/${run}/results`, {
        results: [v2(`history-${run}`, "history of one case", "passed", { signature: "history::one" })],
      });
    const list = async (q: string) => (await call("GET", `/v1/result/RS?${q}&limit=100`)).body.result;
    const caseId = (await list(`run=${kept}`)).entities[0].case_id;
    const runsOf = (page: { entities: { run_id: number }[] }) => page.entities.map((r) => r.run_id);
    expect(runsOf(await list(`case_id=${caseId}`))).toEqual([doomed, kept]);
    expect((await call("DELETE", `/v1/run/RS/${doomed}`)).status).toBe(200);

    const check = async () => {
      const history = await list(`case_id=${caseId}`);
      expect(runsOf(history)).toEqual([kept]);
      expect(history.filtered).toBe(1);
      const all = await list("");
      expect(runsOf(all)).not.toContain(doomed);
      expect(runsOf(all)).toContain(kept);
      // Unfiltered, filtered is the total, and both leave the deleted run out.
      expect(all.filtered).toBe(all.total);
      const counted = await t.ctx.db
        .selectFrom("results as r")
        .innerJoin("runs as u", (j) =>
          j.onRef("u.project_id", "=", "r.project_id").onRef("u.id", "=", "r.run_id"),
        )
        .innerJoin("projects as p", "p.id", "r.project_id")
        .where("p.code", "=", "RS")
        .where("u.deleted_at", "is", null)
        .where("r.deleted_at", "is", null)
        .select((eb) => eb.fn.countAll<string | number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(all.total).toBe(Number(counted.n));
    };
    await check();
    // Past 500 deleted runs they are excluded by a subquery instead of one by one.
    const project = await t.ctx.db
      .selectFrom("projects")
      .select("id")
      .where("code", "=", "RS")
      .executeTakeFirstOrThrow();
    await t.ctx.db
      .insertInto("runs")
      .values(
        Array.from({ length: 501 }, (_, i) => ({
          project_id: project.id,
          id: 900_000 + i,
          title: `deleted ${i}`,
          status: 0,
          is_autotest: 1,
          tags: "[]",
          configurations: "[]",
          custom_fields: "{}",
          start_time: 1,
          created_at: 1,
          updated_at: 1,
          deleted_at: 2,
        })),
      )
      .execute();
    await check();
  });
});
