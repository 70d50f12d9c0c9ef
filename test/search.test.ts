import type { AddressInfo } from "node:net";
import { Configuration, SearchApi } from "qase-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findProjectByCode } from "../src/features/projects/projects.repository.js";
import { apiCaller, type Reply } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("GET /v1/search (QQL) on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let viewerToken = "";
  let sideOnlyToken = "";
  let readScopeToken = "";
  let ownerId = 0;
  const c = { card: 0, cash: 0, signin: 0, loose: 0 };
  const runs = { nightly: 0, smoke: 0, manual: 0, dropped: 0 };
  const results = { cardNightly: "", cashNightly: "", cardSmoke: "" };
  let checkout = 0;

  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const q = (query: string, extra = "", auth = token) =>
    call("GET", `/v1/search?query=${encodeURIComponent(query)}${extra}`, undefined, auth);
  /** The titles a query finds, in the order the server gives them. */
  const titles = async (query: string, extra = "&limit=100") => {
    const r = await q(query, extra);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.result.entities.map((e: { title: string }) => e.title);
  };
  const sorted = async (query: string) => (await titles(query)).sort();
  const caseTitles = (cond: string) => sorted(`entity = "case" and project = "SRCH" and (${cond})`);
  const errorOf = (r: Reply) => r.body.errorMessage as string;

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    ownerId = owner.id;
    const viewer = await t.user("viewer");
    await t.project("SRCH", owner);
    await t.project("SIDE", owner);
    await t.project("HIDDEN", owner, "none");
    token = await t.token(owner);
    viewerToken = await t.token(viewer);
    sideOnlyToken = await t.token(owner, { projects: ["SIDE"] });
    readScopeToken = await t.token(owner, { scopes: ["read"] });

    checkout = (await call("POST", "/v1/suite/SRCH", { title: "Checkout" })).body.result.id;
    const login = (await call("POST", "/v1/suite/SRCH", { title: "Login" })).body.result.id;
    const ms = (await call("POST", "/v1/milestone/SRCH", { title: "Sprint 12" })).body.result.id;
    const env = (await call("POST", "/v1/environment/SRCH", { title: "Production", slug: "prod" })).body
      .result.id;
    const mk = async (code: string, body: object) =>
      (await call("POST", `/v1/case/${code}`, body)).body.result.id;
    c.card = await mk("SRCH", {
      title: "Pay by card",
      description: "Card flow",
      suite_id: checkout,
      severity: 1,
      priority: 1,
      type: 3,
      behavior: 2,
      automation: 2,
      status: 0,
      is_flaky: 1,
      milestone_id: ms,
      tags: ["smoke", "payments"],
    });
    c.cash = await mk("SRCH", {
      title: "Pay by cash",
      suite_id: checkout,
      severity: 5,
      priority: 3,
      type: 4,
      behavior: 3,
      automation: 0,
      status: 1,
      tags: ["payments"],
    });
    c.signin = await mk("SRCH", {
      title: "Sign in",
      suite_id: login,
      severity: 2,
      priority: 2,
      automation: 1,
      status: 2,
    });
    c.loose = await mk("SRCH", { title: "No suite" });
    await mk("SIDE", { title: "Pay on side", severity: 1 });
    await mk("HIDDEN", { title: "Pay in secret", severity: 1 });

    const run = async (title: string, cases: number[], extra: object = {}) =>
      (await call("POST", "/v1/run/SRCH", { title, cases, ...extra })).body.result.id as number;
    const result = async (runId: number, caseId: number, status: string, extra: object = {}) =>
      (await call("POST", `/v1/result/SRCH/${runId}`, { case_id: caseId, status, ...extra })).body.result
        .hash as string;
    runs.nightly = await run("Nightly", [c.card, c.cash], {
      environment_id: env,
      milestone_id: ms,
      tags: ["nightly"],
    });
    results.cardNightly = await result(runs.nightly, c.card, "passed", { time_ms: 1200 });
    results.cashNightly = await result(runs.nightly, c.cash, "failed", {
      time_ms: 90000,
      comment: "Timeout in gateway",
      stacktrace: "Error: timeout",
    });
    await call("POST", `/v1/run/SRCH/${runs.nightly}/complete`);
    runs.smoke = await run("Smoke", [c.card]);
    results.cardSmoke = await result(runs.smoke, c.card, "passed", { time_ms: 300 });
    await call("POST", `/v1/run/SRCH/${runs.smoke}/complete`);
    runs.manual = await run("Manual pass", [c.signin]);
    runs.dropped = await run("Dropped", [c.loose]);
    // No API aborts a run; a row in the runs table is all the status needs.
    const srch = await findProjectByCode(t.ctx.db, "SRCH");
    await t.ctx.db
      .updateTable("runs")
      .set({ status: 2 })
      .where("project_id", "=", srch?.id ?? 0)
      .where("id", "=", runs.dropped)
      .execute();

    await call("POST", "/v1/defect/SRCH", { title: "Crash on pay", actual_result: "crash", severity: 1 });
    const typo = (
      await call("POST", "/v1/defect/SRCH", { title: "Typo", actual_result: "typo", severity: 5 })
    ).body.result.id;
    await call("PATCH", `/v1/defect/SRCH/resolve/${typo}`);

    await call("POST", "/v1/plan/SRCH", { title: "Release plan", cases: [c.card, c.cash] });
    await call("POST", "/v1/plan/SRCH", { title: "Smoke plan", cases: [c.card] });
  });
  afterAll(() => t.close());

  it("answers {entities, total} with the case read model, its test_case_id and project code", async () => {
    const r = await q('entity = "case" and project = "SRCH" and title = "Pay by card"');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe(true);
    expect(r.body.result.total).toBe(1);
    expect(r.body.result.entities[0]).toMatchObject({
      id: c.card,
      test_case_id: c.card,
      project_code: "SRCH",
      title: "Pay by card",
      severity: 1,
      suite_id: checkout,
      is_flaky: 1,
      tags: [
        { title: "smoke", internal_id: expect.any(Number) },
        { title: "payments", internal_id: expect.any(Number) },
      ],
    });
  });

  it("compares numbers with = != > >= < <=", async () => {
    expect(await caseTitles(`id = ${c.cash}`)).toEqual(["Pay by cash"]);
    expect(await caseTitles(`id != ${c.cash}`)).toEqual(["No suite", "Pay by card", "Sign in"]);
    expect(await caseTitles(`id > ${c.cash}`)).toEqual(["No suite", "Sign in"]);
    expect(await caseTitles(`id >= ${c.cash}`)).toEqual(["No suite", "Pay by cash", "Sign in"]);
    expect(await caseTitles(`id < ${c.cash}`)).toEqual(["Pay by card"]);
    expect(await caseTitles(`id <= ${c.cash}`)).toEqual(["Pay by card", "Pay by cash"]);
  });

  it("compares integer fields with fractions and numbers past their range as integers would, on both databases", async () => {
    // PostgreSQL types the parameter as the integer column: 1.5 or 1e23 failed the statement with a 500.
    const all = ["No suite", "Pay by card", "Pay by cash", "Sign in"];
    expect(await caseTitles(`id = ${c.cash}.5`)).toEqual([]);
    expect(await caseTitles(`id != ${c.cash}.5`)).toEqual(all);
    expect(await caseTitles(`id > ${c.cash}.5`)).toEqual(["No suite", "Sign in"]);
    expect(await caseTitles(`id >= ${c.cash}.5`)).toEqual(["No suite", "Sign in"]);
    expect(await caseTitles(`id < ${c.cash}.5`)).toEqual(["Pay by card", "Pay by cash"]);
    expect(await caseTitles(`id <= ${c.cash}.5`)).toEqual(["Pay by card", "Pay by cash"]);
    expect(await caseTitles(`id in (${c.cash}.5, ${c.card}, 99999999999999999999999)`)).toEqual([
      "Pay by card",
    ]);
    expect(await caseTitles("id = 99999999999999999999999")).toEqual([]);
    expect(await caseTitles("id > 99999999999999999999999")).toEqual([]);
    expect(await caseTitles("id < 99999999999999999999999")).toEqual(all);
    expect(await caseTitles("id > -99999999999999999999999")).toEqual(all);
    expect(await caseTitles("id <= -99999999999999999999999")).toEqual([]);
    expect(await caseTitles("author = 1.5")).toEqual([]);
    expect(await caseTitles("author > 1.5 and author < 99999999999999999999999")).toEqual(
      ownerId > 1 ? all : [],
    );
    expect(await caseTitles("milestone >= 99999999999999999999")).toEqual([]);
    const durations = await q('entity = "result" and timeSpent < 99999999999999999999999', "&limit=100");
    expect(durations.status, JSON.stringify(durations.body)).toBe(200);
    expect(durations.body.result.total).toBe(3);
    const none = await q('entity = "result" and timeSpent not in (1.5, 99999999999999999999999)');
    expect(none.body.result.total).toBe(3);
  });

  it("matches text with = (any case), ~ and !~ (case-insensitive contains, % and _ taken literally)", async () => {
    expect(await caseTitles('title = "pay BY card"')).toEqual(["Pay by card"]);
    expect(await caseTitles('title ~ "PAY"')).toEqual(["Pay by card", "Pay by cash"]);
    expect(await caseTitles('title !~ "pay"')).toEqual(["No suite", "Sign in"]);
    expect(await caseTitles('title ~ "%"')).toEqual([]);
    expect(await caseTitles('description ~ "card"')).toEqual(["Pay by card"]);
    // Unset text is neither equal nor unequal to a value.
    expect(await caseTitles('description != "Card flow"')).toEqual([]);
  });

  it("takes enum values by slug, by label and by id, with in and not in", async () => {
    expect(await caseTitles('severity = "blocker"')).toEqual(["Pay by card"]);
    expect(await caseTitles('severity = "Blocker"')).toEqual(["Pay by card"]);
    expect(await caseTitles("severity = 1")).toEqual(["Pay by card"]);
    expect(await caseTitles('severity in ("blocker", "Critical")')).toEqual(["Pay by card", "Sign in"]);
    expect(await caseTitles('severity not in ("blocker", "critical")')).toEqual(["No suite", "Pay by cash"]);
    expect(await caseTitles('severity in ["blocker", 2]')).toEqual(["Pay by card", "Sign in"]);
    expect(await caseTitles('priority = "High"')).toEqual(["Pay by card"]);
    expect(await caseTitles('type = "smoke"')).toEqual(["Pay by card"]);
    expect(await caseTitles('behavior = "Negative"')).toEqual(["Pay by cash"]);
    expect(await caseTitles('automation = "is-not-automated"')).toEqual(["No suite", "Pay by cash"]);
    expect(await caseTitles('automation = "Manual"')).toEqual(["No suite", "Pay by cash"]);
    expect(await caseTitles('automation = "Not automated"')).toEqual(["No suite", "Pay by cash"]);
    expect(await caseTitles('automation = "To be automated"')).toEqual(["Sign in"]);
    expect(await caseTitles('status = "Actual"')).toEqual(["No suite", "Pay by card"]);
    expect(await caseTitles('status != "actual"')).toEqual(["Pay by cash", "Sign in"]);
    expect(await caseTitles("isFlaky = true")).toEqual(["Pay by card"]);
    expect(await caseTitles("isFlaky is false")).toEqual(["No suite", "Pay by cash", "Sign in"]);
  });

  it("follows suite and milestone by title or id, and tests them for null", async () => {
    expect(await caseTitles('suite = "checkout"')).toEqual(["Pay by card", "Pay by cash"]);
    expect(await caseTitles(`suite = ${checkout}`)).toEqual(["Pay by card", "Pay by cash"]);
    expect(await caseTitles('suite ~ "log"')).toEqual(["Sign in"]);
    expect(await caseTitles('suite != "Checkout"')).toEqual(["Sign in"]);
    expect(await caseTitles("suite is null")).toEqual(["No suite"]);
    expect(await caseTitles("suite is not empty")).toEqual(["Pay by card", "Pay by cash", "Sign in"]);
    expect(await caseTitles('milestone ~ "Sprint"')).toEqual(["Pay by card"]);
    expect(await caseTitles("milestone is not null")).toEqual(["Pay by card"]);
    expect(await caseTitles("description is null")).toEqual(["No suite", "Pay by cash", "Sign in"]);
  });

  it("matches tags by title, by part, in a list, and their absence", async () => {
    expect(await caseTitles('tags = "Smoke"')).toEqual(["Pay by card"]);
    expect(await caseTitles('tags = "payments"')).toEqual(["Pay by card", "Pay by cash"]);
    expect(await caseTitles('tags ~ "pay"')).toEqual(["Pay by card", "Pay by cash"]);
    expect(await caseTitles('tags != "smoke"')).toEqual(["No suite", "Pay by cash", "Sign in"]);
    expect(await caseTitles('tags in ("smoke", "nothing")')).toEqual(["Pay by card"]);
    expect(await caseTitles("tags is empty")).toEqual(["No suite", "Sign in"]);
  });

  it("combines with and, or, not and parentheses, with and binding tighter than or", async () => {
    expect(await caseTitles('severity = "blocker" or severity = "minor"')).toEqual([
      "Pay by card",
      "Pay by cash",
    ]);
    expect(await caseTitles('(severity = "blocker" or severity = "minor") and status = "draft"')).toEqual([
      "Pay by cash",
    ]);
    expect(await caseTitles('severity = "critical" or severity = "minor" and status = "actual"')).toEqual([
      "Sign in",
    ]);
    expect(await caseTitles('not (title ~ "pay")')).toEqual(["No suite", "Sign in"]);
    // not over an unset field holds: the milestone of these cases is not Sprint 12.
    expect(await caseTitles('not milestone = "Sprint 12"')).toEqual(["No suite", "Pay by cash", "Sign in"]);
    expect(await caseTitles('NOT (suite is null) AND title ~ "SIGN"')).toEqual(["Sign in"]);
  });

  it("filters dates with now(), calendar days and date-times, and authors with currentUser()", async () => {
    const all = ["No suite", "Pay by card", "Pay by cash", "Sign in"];
    const today = new Date().toISOString().slice(0, 10);
    expect(await caseTitles('created >= now("-7d")')).toEqual(all);
    expect(await caseTitles('createdAt < now("-1d")')).toEqual([]);
    expect(await caseTitles('updated > now("+1w")')).toEqual([]);
    expect(await caseTitles("created >= startOfDay()")).toEqual(all);
    expect(await caseTitles('created < startOfWeek("-1w")')).toEqual([]);
    expect(await caseTitles(`created = "${today}"`)).toEqual(all);
    expect(await caseTitles(`created < "${today}"`)).toEqual([]);
    expect(await caseTitles('created > "2020-01-01 10:00:00"')).toEqual(all);
    expect(await caseTitles("author = currentUser()")).toEqual(all);
    expect(await caseTitles(`author = ${ownerId + 1000}`)).toEqual([]);
    const me = (await call("GET", `/v1/user/${ownerId}`)).body.result.email as string;
    expect(await caseTitles(`author = "${me.toUpperCase()}"`)).toEqual(all);
  });

  it("searches every project the caller reads when no project is named, and several with in", async () => {
    // The owner reads every project, closed ones included.
    expect(await sorted('entity = "case" and severity = "blocker"')).toEqual([
      "Pay by card",
      "Pay in secret",
      "Pay on side",
    ]);
    const r = await q('entity = "case" and project in ("srch", "SIDE") and severity = "blocker"');
    expect(r.body.result.entities.map((e: { project_code: string }) => e.project_code).sort()).toEqual([
      "SIDE",
      "SRCH",
    ]);
    expect(await sorted('entity = "case" and project != "SRCH" and title ~ "pay"')).toEqual([
      "Pay in secret",
      "Pay on side",
    ]);
  });

  it("orders by a field either way, then pages with limit and offset while total counts every match", async () => {
    const asc = await titles('entity = "case" and project = "SRCH" order by title asc');
    expect(asc).toEqual(["No suite", "Pay by card", "Pay by cash", "Sign in"]);
    const desc = await titles('entity = "case" and project = "SRCH" ORDER BY title DESC');
    expect(desc).toEqual([...asc].reverse());
    expect(await titles('entity = "case" and project = "SRCH" order by severity desc, title')).toEqual([
      "Pay by cash",
      "Sign in",
      "Pay by card",
      "No suite",
    ]);
    // Unset values sort last in both directions.
    expect((await titles('entity = "case" and project = "SRCH" order by suite desc')).at(-1)).toBe(
      "No suite",
    );
    const page = await q('entity = "case" and project = "SRCH" order by id', "&limit=2&offset=1");
    expect(page.body.result.total).toBe(4);
    expect(page.body.result.entities.map((e: { id: number }) => e.id)).toEqual([c.cash, c.signin]);
    const past = await q('entity = "case" and project = "SRCH"', "&limit=10&offset=50");
    expect(past.body.result).toEqual({ entities: [], total: 4 });
    // A page that is not full, at the start or further on, counts every match all the same.
    for (const [query, ids] of [
      ["&limit=10&offset=0", [c.card, c.cash, c.signin, c.loose]],
      ["&limit=10&offset=2", [c.signin, c.loose]],
      ["&limit=3&offset=3", [c.loose]],
      ["&limit=4&offset=4", []],
    ] as const) {
      const r = (await q('entity = "case" and project = "SRCH" order by id', query)).body.result;
      expect([r.entities.map((e: { id: number }) => e.id), r.total], query).toEqual([ids, 4]);
    }
    const none = await q('entity = "case" and project = "SRCH" and title ~ "nothing like it"', "&offset=5");
    expect(none.body.result).toEqual({ entities: [], total: 0 });
    const deflt = await q('entity = "case"');
    expect(deflt.body.result.entities.length).toBeLessThanOrEqual(10);
  });

  it("finds defects by status label or slug, severity, resolution and dates", async () => {
    expect(await sorted('entity = "defect" and status = "Open"')).toEqual(["Crash on pay"]);
    expect(await sorted('entity = "defect" and status = "resolved"')).toEqual(["Typo"]);
    expect(await sorted('entity = "defect" and status in ("open", "In progress")')).toEqual(["Crash on pay"]);
    expect(await sorted('entity = "defect" and severity = "Blocker"')).toEqual(["Crash on pay"]);
    expect(await sorted('entity = "defect" and resolved is not null')).toEqual(["Typo"]);
    expect(await sorted('entity = "defect" and createdAt >= now("-1d")')).toEqual(["Crash on pay", "Typo"]);
    const r = await q('entity = "defect" and title = "Typo"');
    expect(r.body.result.entities[0]).toMatchObject({
      defect_id: expect.any(Number),
      id: expect.any(Number),
      severity: "minor",
      status: "resolved",
      resolved: expect.any(String),
      project_code: "SRCH",
    });
  });

  it("finds runs by derived status, environment, milestone and times", async () => {
    expect(await sorted('entity = "run" and status = "Failed"')).toEqual(["Nightly"]);
    expect(await sorted('entity = "run" and status = "passed"')).toEqual(["Smoke"]);
    expect(await sorted('entity = "run" and status = "In Progress"')).toEqual(["Manual pass"]);
    expect(await sorted('entity = "run" and status = "Aborted"')).toEqual(["Dropped"]);
    expect(await sorted('entity = "run" and status not in ("passed", "failed")')).toEqual([
      "Dropped",
      "Manual pass",
    ]);
    expect(await sorted('entity = "run" and environment = "Production"')).toEqual(["Nightly"]);
    expect(await sorted('entity = "run" and environment = "prod"')).toEqual(["Nightly"]);
    expect(await sorted('entity = "run" and milestone ~ "sprint"')).toEqual(["Nightly"]);
    expect(await sorted('entity = "run" and tags = "Nightly"')).toEqual(["Nightly"]);
    expect(await sorted('entity = "run" and isPublic = false and isAutotest is false')).toEqual([
      "Dropped",
      "Manual pass",
      "Nightly",
      "Smoke",
    ]);
    expect(await titles('entity = "run" order by status desc, title asc')).toEqual([
      "Dropped",
      "Nightly",
      "Smoke",
      "Manual pass",
    ]);
    expect(await sorted('entity = "run" and endTime is not null')).toEqual(["Nightly", "Smoke"]);
    const four = ["Dropped", "Manual pass", "Nightly", "Smoke"];
    expect(await sorted('entity = "run" and startTime >= now("-1d")')).toEqual(four);
    expect(await sorted('entity = "run" and started < now("-1d")')).toEqual([]);
    // A completed run whose only failure is deleted has passed after all.
    const recovered = (await call("POST", "/v1/run/SRCH", { title: "Recovered", cases: [c.card] })).body
      .result.id as number;
    const failure = (
      await call("POST", `/v1/result/SRCH/${recovered}`, { case_id: c.card, status: "failed" })
    ).body.result.hash as string;
    expect((await call("POST", `/v1/run/SRCH/${recovered}/complete`)).status).toBe(200);
    expect(await sorted('entity = "run" and status = "failed"')).toEqual(["Nightly", "Recovered"]);
    expect((await call("DELETE", `/v1/result/SRCH/${recovered}/${failure}`)).status).toBe(200);
    expect(await sorted('entity = "run" and status = "failed"')).toEqual(["Nightly"]);
    expect(await sorted('entity = "run" and status = "passed"')).toEqual(["Recovered", "Smoke"]);
    expect((await call("DELETE", `/v1/run/SRCH/${recovered}`)).status).toBe(200);
    expect(await sorted('entity = "run" and ended is null')).toEqual(["Dropped", "Manual pass"]);
    const r = await q(`entity = "run" and id = ${runs.nightly}`);
    expect(r.body.result.entities[0]).toMatchObject({
      id: runs.nightly,
      run_id: runs.nightly,
      status: 1,
      status_text: "failed",
      environment: { title: "Production", slug: "prod" },
      milestone: { title: "Sprint 12" },
      cases: [c.card, c.cash],
      stats: { total: 2, passed: 1, failed: 1 },
      project_code: "SRCH",
    });
  });

  it("finds results by status, run, case, duration, end time and hash", async () => {
    const hashes = async (query: string) => {
      const r = await q(`entity = "result" and ${query}`, "&limit=100");
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.result.entities.map((e: { hash: string }) => e.hash).sort();
    };
    const all = [results.cardNightly, results.cashNightly, results.cardSmoke].sort();
    expect(await hashes('status = "failed"')).toEqual([results.cashNightly]);
    expect(await hashes('status = "Passed"')).toEqual([results.cardNightly, results.cardSmoke].sort());
    expect(await hashes('run = "Nightly"')).toEqual([results.cardNightly, results.cashNightly].sort());
    expect(await hashes(`run = ${runs.smoke}`)).toEqual([results.cardSmoke]);
    expect(await hashes(`case = ${c.card}`)).toEqual([results.cardNightly, results.cardSmoke].sort());
    expect(await hashes('case ~ "cash"')).toEqual([results.cashNightly]);
    expect(await hashes("duration > 60000")).toEqual([results.cashNightly]);
    expect(await hashes("timeSpent <= 1200")).toEqual([results.cardNightly, results.cardSmoke].sort());
    expect(await hashes('endTime >= now("-1d")')).toEqual(all);
    expect(await hashes('comment ~ "gateway" and stacktrace is not null')).toEqual([results.cashNightly]);
    expect(await hashes(`hash = "${results.cardSmoke}"`)).toEqual([results.cardSmoke]);
    const r = await q(`entity = "result" and hash = "${results.cashNightly}"`);
    expect(r.body.result.entities[0]).toMatchObject({
      hash: results.cashNightly,
      result_hash: results.cashNightly,
      run_id: runs.nightly,
      case_id: c.cash,
      status: "failed",
      time_spent_ms: 90000,
      project_code: "SRCH",
    });
  });

  it("finds plans with their case counts", async () => {
    expect(await sorted('entity = "plan" and title ~ "plan"')).toEqual(["Release plan", "Smoke plan"]);
    const r = await q('entity = "plan" and title = "Release plan"');
    expect(r.body.result.entities[0]).toMatchObject({
      id: expect.any(Number),
      plan_id: expect.any(Number),
      cases_count: 2,
      project_code: "SRCH",
    });
    expect(await titles('entity = "plan" order by id desc')).toEqual(["Smoke plan", "Release plan"]);
  });

  it("answers 400 naming the position and the problem", async () => {
    const cases: [string, RegExp][] = [
      ['project = "SRCH"', /position 1: the query must name its entity/],
      ['entity = "ticket"', /position 10: unknown entity "ticket"/],
      ['entity = "case" and colour = "red"', /position 21: unknown field "colour" for entity "case"/],
      ['entity = "case" and title = "open', /position 29: the string starting here is not closed/],
      ['entity = "case" and (title = "a"', /position 33: expected "\)" to close "\(" at position 21/],
      ['entity = "case" and title "a"', /position 27: expected an operator/],
      ['entity = "case" title = "a"', /position 17: unexpected "title" \(missing "and" or "or"\?\)/],
      [
        'entity = "case" and severity = "huge"',
        /position 32: unknown severity "huge"; use one of "Not set", "Blocker"/,
      ],
      ['entity = "case" and severity > "blocker"', /position 21: ">" does not apply to severity/],
      ['entity = "case" and title > 3', /">" does not apply to title/],
      ['entity = "case" and created > "yesterday"', /position 31: created takes a date/],
      ['entity = "case" and created > now("-3q")', /now\(\) takes an offset/],
      ['entity = "case" and id = "x"', /id takes a number/],
      ['entity = "case" and id = open', /expected a value after "=" but found "open"; quote text values/],
      ['entity = "case" and severity in ()', /position 34: expected a value in the list but found "\)"/],
      ['entity = "case" and title = now("-1d") and entity = "run"', /entity is given more than once/],
      ['entity = "case" and (entity = "run" or id = 1)', /position 22: entity may appear only once/],
      ['entity = "case" or entity = "run"', /position 1: entity must be a top-level condition/],
      [
        'entity = "case" and id = 1 or id = 2',
        /position 1: entity must be a top-level condition joined with "and"; wrap/,
      ],
      ['entity = "case" order by tags', /cannot order by tags/],
      ['entity = "case" and cf["Team"] = "x"', /custom fields/],
      ['SELECT (COUNT(id)) entity = "case"', /position 1: SELECT aggregation is not supported/],
      ['entity = "case" and title = "a" @', /position 33: unexpected character "@"/],
    ];
    for (const [query, message] of cases) {
      const r = await q(query);
      expect(r.status, query).toBe(400);
      expect(r.body.status).toBe(false);
      expect(errorOf(r), query).toMatch(message);
      expect(r.body.errorFields[0].field).toBe("query");
    }
  });

  it("refuses a missing or empty query, one over 1000 characters, and bad paging with 422", async () => {
    const missing = await call("GET", "/v1/search");
    expect(missing.status).toBe(422);
    expect(missing.body.errorFields.map((f: { field: string }) => f.field)).toEqual(["query"]);
    expect((await q("")).status).toBe(422);
    const long = `entity = "case" and title ~ "${"x".repeat(1000)}"`;
    expect((await q(long)).status).toBe(422);
    expect((await q('entity = "case"', "&limit=101")).status).toBe(422);
    expect((await q('entity = "case"', "&offset=-1")).status).toBe(422);
    const deep = `entity = "case" and ${"(".repeat(40)}id = 1${")".repeat(40)}`;
    const r = await q(deep);
    expect(r.status).toBe(400);
    expect(errorOf(r)).toMatch(/nested more than/);
  });

  it("keeps to the projects the caller may read: role, membership and the token's projects", async () => {
    // HIDDEN is closed and the viewer is no member: its rows never show, naming it is a 403.
    expect(await sorted('entity = "case" and severity = "blocker"')).toContain("Pay in secret");
    const viewer = await q('entity = "case" and severity = "blocker"', "", viewerToken);
    expect(viewer.status).toBe(200);
    expect(viewer.body.result.entities.map((e: { title: string }) => e.title).sort()).toEqual([
      "Pay by card",
      "Pay on side",
    ]);
    const named = await q('entity = "case" and project = "HIDDEN"', "", viewerToken);
    expect(named.status).toBe(403);
    expect(errorOf(named)).toMatch(/no access to project HIDDEN/);
    expect((await q('entity = "case" and project in ("SRCH", "HIDDEN")', "", viewerToken)).status).toBe(403);
    expect((await q('entity = "case" and project = "NOPE"')).status).toBe(403);
    // A token restricted to SIDE sees SIDE only, even for an admin-owned token.
    const side = await q('entity = "case"', "", sideOnlyToken);
    expect(side.status).toBe(200);
    expect(side.body.result.entities.map((e: { project_code: string }) => e.project_code)).toEqual(["SIDE"]);
    expect((await q('entity = "run"', "", sideOnlyToken)).body.result.total).toBe(0);
    expect((await q('entity = "case" and project = "SRCH"', "", sideOnlyToken)).status).toBe(403);
    // A read-scope token may search; no token may not.
    expect((await q('entity = "case" and project = "SRCH"', "", readScopeToken)).body.result.total).toBe(4);
    expect((await q('entity = "case"', "", "")).status).toBe(401);
  });

  it("serves qase-api-client's SearchApi", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const api = new SearchApi(new Configuration({ apiKey: token, basePath: `http://127.0.0.1:${port}/v1` }));
    const { data } = await api.search('entity = "run" and project = "SRCH" order by id', 2, 1);
    expect(data.status).toBe(true);
    expect(data.result?.total).toBe(4);
    const found = data.result?.entities ?? [];
    expect(found.map((e) => ("run_id" in e ? e.run_id : null))).toEqual([runs.smoke, runs.manual]);
    const bad = await api.search('entity = "nope"').catch((err: { response?: { status?: number } }) => err);
    expect((bad as { response?: { status?: number } }).response?.status).toBe(400);
  });
});
