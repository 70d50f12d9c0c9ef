import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller, fieldsOf } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("run comparison on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const c: Record<string, number> = {};

  const newRun = async (title: string, extra: object = {}, code = "CMP") => {
    const r = await call("POST", `/v1/run/${code}`, { title, ...extra });
    expect(r.status).toBe(200);
    return r.body.result.id as number;
  };
  /** Reports through the v2 batch API, as reporters do: [case name, status, duration ms]. */
  const report = async (run: number, rows: [string, string, number][], code = "CMP") => {
    const results = rows.map(([name, status, duration], i) => ({
      id: `${run}-${name}-${i}`,
      title: name,
      testops_id: c[name],
      execution: { status, duration },
    }));
    expect((await call("POST", `/v2/${code}/run/${run}/results`, { results })).status).toBe(202);
  };
  const compare = (run: number, query = "") => call("GET", `/v1/run/CMP/${run}/compare${query}`);

  let before = 0;
  let smoke = 0;
  let after = 0;

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("CMP", owner);
    await t.project("OTH", owner);
    token = await t.token(owner);
    for (const name of ["nf", "fx", "sf", "newfail", "gone", "slow", "skip", "newpass", "inv", "blk", "para"])
      c[name] = (await call("POST", "/v1/case/CMP", { title: name })).body.result.id;

    before = await newRun("Nightly #122");
    await report(before, [
      ["nf", "passed", 100],
      ["fx", "failed", 100],
      ["sf", "failed", 100],
      ["gone", "passed", 100],
      ["slow", "passed", 100],
      ["skip", "skipped", 0],
      ["inv", "invalid", 100],
      ["blk", "blocked", 100],
      ["para", "passed", 100],
    ]);
    smoke = await newRun("Smoke #7");
    await report(smoke, [["nf", "failed", 10]]);
    after = await newRun("Nightly #123");
    await report(after, [
      ["nf", "failed", 100],
      ["fx", "passed", 100],
      ["sf", "failed", 100],
      ["newfail", "failed", 100],
      ["slow", "passed", 3100],
      ["skip", "passed", 5],
      ["newpass", "passed", 100],
      ["inv", "passed", 100],
      ["blk", "failed", 100],
    ]);
    // A second parameter set of "para" fails: the case fails.
    const paramRows = ["chromium", "firefox"].map((browser, i) => ({
      id: `para-${browser}`,
      title: "para",
      testops_id: c.para,
      params: { browser },
      execution: { status: i === 0 ? "passed" : "failed", duration: 100 },
    }));
    expect((await call("POST", `/v2/CMP/run/${after}/results`, { results: paramRows })).status).toBe(202);
  });
  afterAll(() => t.close());

  it("names new failures, fixes, still failing, new and missing tests and the slowed test", async () => {
    const r = await compare(after, `?with=${before}`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe(true);
    const ids = (...names: string[]) => names.map((n) => c[n] as number).sort((a, b) => a - b);
    expect(r.body.result).toMatchObject({
      run_id: after,
      with_id: before,
      new_failures: ids("nf", "newfail", "blk", "para"),
      fixed: ids("fx", "inv"),
      still_failing: ids("sf"),
      new_tests: ids("newfail", "newpass"),
      missing_tests: ids("gone"),
      counts: { new_failures: 4, fixed: 2, still_failing: 1, new_tests: 2, missing_tests: 1 },
    });
    const changes = r.body.result.duration_changes;
    expect(changes[0]).toEqual({ case_id: c.slow, before_ms: 100, after_ms: 3100, change_ms: 3000 });
    // para: two lines now (200 ms) against one before; skip: 0 -> 5 ms.
    expect(changes).toHaveLength(3);
    expect(r.body.result.counts.duration_changes).toBe(3);

    // The other way round: new and missing swap, fixed and new failures swap where both sides are known.
    const back = (await compare(before, `?with=${after}`)).body.result;
    expect(back.new_tests).toEqual(ids("gone"));
    expect(back.missing_tests).toEqual(ids("newfail", "newpass"));
    expect(back.fixed).toEqual(ids("nf", "para"));
    expect(back.duration_changes[0]).toMatchObject({ case_id: c.slow, change_ms: -3000 });
  });

  it("compares with the previous run of the same title, numbers aside, when `with` is omitted", async () => {
    const r = await compare(after);
    expect(r.status).toBe(200);
    expect(r.body.result.with_id).toBe(before);
    const pr1 = await newRun("PR 45 build 7");
    await newRun("PR 45 deploy 8");
    const pr2 = await newRun("PR-46 build 9");
    expect((await compare(pr2)).body.result.with_id).toBe(pr1);
  });

  it("compares with the previous run of the same plan when the run has one", async () => {
    const plan = (await call("POST", "/v1/plan/CMP", { title: "Release", cases: [c.nf, c.fx] })).body.result
      .id as number;
    const first = await newRun("Release candidate", { plan_id: plan });
    await report(first, [["nf", "passed", 10]]);
    await newRun("Release candidate 2");
    const second = await newRun("Totally different title", { plan_id: plan });
    await report(second, [["nf", "failed", 10]]);
    const r = await compare(second);
    expect(r.status).toBe(200);
    expect(r.body.result).toMatchObject({ with_id: first, new_failures: [c.nf], missing_tests: [] });
    // Planned but untested lines count as absent: fx has no result in either run.
    expect(r.body.result.new_tests).toEqual([]);
    // The first run of a plan has nothing before it.
    const none = await compare(first);
    expect(none.status).toBe(404);
    expect(none.body.errorMessage).toMatch(/Nothing to compare/);
  });

  it("answers 404 when no earlier run is of the same kind", async () => {
    const lonely = await newRun("Lonely exploratory session");
    const r = await compare(lonely);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: false });
    expect(r.body.errorMessage).toMatch(/Nothing to compare .*with/);
  });

  it("refuses bad input with 404 or 422, never a 500", async () => {
    for (const bad of ["abc", "0", "-3", "1.5", "99999999999"]) {
      const r = await compare(after, `?with=${bad}`);
      expect(r.status, bad).toBe(422);
      expect(fieldsOf(r)).toEqual(["with"]);
    }
    const self = await compare(after, `?with=${after}`);
    expect(self.status).toBe(422);
    expect(fieldsOf(self)).toEqual(["with"]);
    expect((await compare(after, "?with=99999")).status).toBe(404);
    expect((await compare(99999, `?with=${before}`)).status).toBe(404);
    // A run of another project is unknown here, whatever its id.
    let other = 0;
    for (let i = 0; i < 30; i++) other = await newRun(`Other ${i}`, {}, "OTH");
    expect((await compare(after, `?with=${other}`)).status).toBe(404);
    expect((await call("GET", `/v1/run/NOPE/${after}/compare?with=${before}`)).status).toBe(404);
    // A deleted run answers as the run GET does.
    const doomed = await newRun("Nightly #124");
    expect((await call("DELETE", `/v1/run/CMP/${doomed}`)).status).toBe(200);
    expect((await compare(after, `?with=${doomed}`)).status).toBe(410);
  });

  it("keeps a token limited to another project out", async () => {
    const owner = await t.user("owner");
    const limited = await t.token(owner, { projects: ["OTH"] });
    const r = await call("GET", `/v1/run/CMP/${after}/compare?with=${before}`, undefined, limited);
    expect(r.status).toBe(403);
    const viewer = await t.token(await t.user("viewer"), { scopes: ["read"] });
    expect((await call("GET", `/v1/run/CMP/${after}/compare?with=${before}`, undefined, viewer)).status).toBe(
      200,
    );
  });
});
