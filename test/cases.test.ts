import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/database.js";
import { type CaseFilter, listCases } from "../src/features/cases/cases.repository.js";
import { findProjectByCode } from "../src/features/projects/projects.repository.js";
import { allocateIds } from "../src/features/projects/sequences.repository.js";
import { type CaseEnum, enumId } from "../src/features/system-fields/system-fields.catalog.js";
import { apiCaller, type Reply } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { uploadAttachment } from "./helpers/project-data.js";
import { sqlitePlan, statementsOf } from "./helpers/statements.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("cases on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let ownerId = 0;
  let suiteId = 0;
  let milestoneId = 0;
  let fieldA = 0;
  let fieldB = 0;
  let sharedHash = "";
  let dataDir = "";
  /** Attachments of project CS, which case writes may refer to. */
  let stepFile = "";
  let caseFile = "";

  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const total = async (code = "CS") => (await call("GET", `/v1/case/${code}`)).body.result.total as number;
  const fields = (r: Reply) => (r.body.errorFields ?? []).map((f: { field: string }) => f.field);

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-cases-"));
    t = await startApp(dialect, { dataDir });
    const owner = await t.user("owner");
    ownerId = owner.id;
    await t.project("CS", owner);
    await t.project("FLT", owner);
    await t.project("CHR", owner);
    token = await t.token(owner);
    stepFile = await uploadAttachment(t, token, "CS", "step evidence");
    caseFile = await uploadAttachment(t, token, "CS", "case evidence");
    suiteId = (await call("POST", "/v1/suite/CS", { title: "Checkout" })).body.result.id;
    // Case writes may only use existing case custom fields and shared steps of the project.
    const field = { entity: 0, type: 1, is_enabled_for_all_projects: true };
    fieldA = (await call("POST", "/v1/custom_field", { title: "A", ...field })).body.result.id;
    fieldB = (await call("POST", "/v1/custom_field", { title: "B", ...field })).body.result.id;
    sharedHash = (await call("POST", "/v1/shared_step/CS", { title: "S", steps: [{ action: "s" }] })).body
      .result.hash;
    // Milestones belong to another feature; a row in its table is all a case needs to point at one.
    const project = await findProjectByCode(t.ctx.db, "CS");
    const pid = project?.id ?? 0;
    milestoneId = await allocateIds(t.ctx.db, pid, "milestone");
    await t.ctx.db
      .insertInto("milestones")
      .values({
        project_id: pid,
        id: milestoneId,
        title: "M1",
        status: "active",
        created_at: 1,
        updated_at: 1,
      })
      .execute();
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates a case with every field and reads it back in Qase's shape", async () => {
    const created = await call("POST", "/v1/case/CS", {
      title: "Pay by card",
      description: "desc",
      preconditions: "pre",
      postconditions: "post",
      severity: "critical",
      priority: 1,
      type: "smoke",
      layer: "api",
      behavior: "negative",
      isManual: true,
      isToBeAutomated: true,
      status: "draft",
      is_flaky: 1,
      suite_id: suiteId,
      milestone_id: milestoneId,
      steps_type: "classic",
      steps: [
        {
          action: "Open cart",
          expected_result: "Cart shown",
          data: "sku=1",
          attachments: [stepFile],
          steps: [{ action: "Nested", steps: [{ action: "Deeper" }] }],
        },
        { shared: sharedHash },
      ],
      parameters: [
        { title: "browser", values: ["chromium", "firefox"] },
        {
          items: [
            { title: "user", values: ["a", "b"] },
            { title: "pass", values: ["1", "2"] },
          ],
        },
      ],
      tags: ["checkout", "smoke", "checkout"],
      custom_field: { [fieldA]: "value", [fieldB]: "1,2" },
      attachments: [caseFile],
    });
    expect(created.status).toBe(200);
    const id = created.body.result.id;
    const got = await call("GET", `/v1/case/CS/${id}`);
    expect(got.status).toBe(200);
    const c = got.body.result;
    expect(c).toMatchObject({
      id,
      position: 1,
      title: "Pay by card",
      description: "desc",
      preconditions: "pre",
      postconditions: "post",
      severity: 2,
      priority: 1,
      type: 3,
      layer: 2,
      behavior: 3,
      automation: 1,
      isManual: true,
      isToBeAutomated: true,
      status: 1,
      is_flaky: 1,
      suite_id: suiteId,
      milestone_id: milestoneId,
      steps_type: "classic",
      params: { browser: ["chromium", "firefox"] },
      custom_fields: [
        { id: fieldA, value: "value" },
        { id: fieldB, value: "1,2" },
      ],
      attachments: [{ hash: caseFile }],
      author_id: ownerId,
      member_id: ownerId,
      deleted: null,
      external_issues: [],
      version: 1,
    });
    expect(c.parameters).toEqual([
      { type: "single", shared_id: null, item: { title: "browser", values: ["chromium", "firefox"] } },
      {
        type: "group",
        shared_id: null,
        items: [
          { title: "user", values: ["a", "b"] },
          { title: "pass", values: ["1", "2"] },
        ],
      },
    ]);
    expect(c.tags.map((x: { title: string }) => x.title)).toEqual(["checkout", "smoke"]);
    expect(
      c.tags.every((x: { internal_id: number }) => Number.isInteger(x.internal_id) && x.internal_id > 0),
    ).toBe(true);
    expect(c.steps[0]).toMatchObject({
      position: 1,
      action: "Open cart",
      expected_result: "Cart shown",
      data: "sku=1",
      shared_step_hash: null,
      attachments: [{ hash: stepFile }],
    });
    expect(c.steps[0].hash).toMatch(/^[0-9a-f]{40}$/);
    expect(c.steps[0].steps[0].steps[0].action).toBe("Deeper");
    expect(c.steps[1]).toMatchObject({ position: 2, shared_step_hash: sharedHash, action: "" });
    expect(c.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

    // Tags keep their ids across cases.
    const other = (await call("POST", "/v1/case/CS", { title: "t", tags: ["smoke"] })).body.result.id;
    const tag = (await call("GET", `/v1/case/CS/${other}`)).body.result.tags[0];
    expect(tag).toEqual(c.tags[1]);
  });

  it("lists a case exactly as it reads alone, whatever characters its text holds", async () => {
    // A list page reads each row as one JSON text from the database (db/json-rows.ts); a single case
    // is read column by column. Both must give the same case.
    const text = 'quote " backslash \\ slash / tab \t newline \n unicode é 中文 emoji 🚀 \u2028 <b>&amp;</b>';
    const id = (
      await call("POST", "/v1/case/CHR", {
        title: `title: ${text}`,
        description: text,
        preconditions: "",
        postconditions: null,
        steps: [{ action: text, expected_result: "\\u0041 is not A", data: '{"json": [1, 2]}' }],
        tags: ["ünïcode", "a,b"],
      })
    ).body.result.id;
    const alone = (await call("GET", `/v1/case/CHR/${id}`)).body.result;
    expect(alone.description).toBe(text);
    const listed = (await call("GET", "/v1/case/CHR?limit=100")).body.result.entities;
    expect(listed.find((c: { id: number }) => c.id === id)).toEqual(alone);
  });

  it("applies defaults that match the system fields, and gherkin steps", async () => {
    const id = (
      await call("POST", "/v1/case/CS", {
        title: "Minimal",
        steps_type: "gherkin",
        steps: [{ value: "Given a cart" }],
      })
    ).body.result.id;
    const c = (await call("GET", `/v1/case/CS/${id}`)).body.result;
    expect(c).toMatchObject({
      severity: 0,
      priority: 0,
      type: 1,
      layer: 0,
      behavior: 1,
      automation: 0,
      isManual: true,
      isToBeAutomated: false,
      status: 0,
      is_flaky: 0,
      suite_id: null,
      milestone_id: null,
      description: null,
      custom_fields: [],
      tags: [],
      parameters: [],
      params: {},
      steps_type: "gherkin",
    });
    expect(c.steps[0].action).toBe("Given a cart");
    const sf = (await call("GET", "/v1/system_field")).body.result;
    for (const key of ["severity", "priority", "type", "layer", "behavior", "automation", "status"]) {
      const field = sf.find((f: { slug: string }) => f.slug === key);
      const def = field.options.find((o: { is_default: boolean }) => o.is_default);
      expect(def.id, key).toBe(c[key]);
    }
  });

  it("takes author_id and creation times from importers", async () => {
    const author = await t.user("member");
    const id = (
      await call("POST", "/v1/case/CS", {
        title: "Imported",
        author_id: author.id,
        created_at: "2021-12-30 19:23:59",
      })
    ).body.result.id;
    const c = (await call("GET", `/v1/case/CS/${id}`)).body.result;
    expect(c).toMatchObject({
      author_id: author.id,
      created_at: "2021-12-30T19:23:59+00:00",
      updated_at: "2021-12-30T19:23:59+00:00",
      created: "2021-12-30 19:23:59",
    });
    const r = await call("POST", "/v1/case/CS", { title: "x", author_id: 999999 });
    expect(r.status).toBe(422);
    expect(fields(r)).toEqual(["author_id"]);
  });

  it("refuses bad input with 422 naming each field, and stores nothing", async () => {
    const before = await total();
    const bad: [unknown, string[]][] = [
      [{}, ["title"]],
      [{ title: "   " }, ["title"]],
      [{ title: "x".repeat(256) }, ["title"]],
      [{ title: "x", severity: "fatal", priority: 9 }, ["severity", "priority"]],
      [
        { title: "x", type: "nope", layer: 42, behavior: "x", status: "x", automation: 7 },
        ["type", "layer", "behavior", "status", "automation"],
      ],
      [{ title: "x", suite_id: 99999 }, ["suite_id"]],
      [{ title: "x", milestone_id: 99999 }, ["milestone_id"]],
      [{ title: "x", isManual: false, isToBeAutomated: true }, ["isToBeAutomated"]],
      [{ title: "x", automation: "automated", isManual: true }, ["automation"]],
      [{ title: "x", steps: [{ expected_result: "no action" }] }, ["steps.0.action"]],
      [{ title: "x", steps_type: "bdd" }, ["steps_type"]],
      [{ title: "x", custom_field: { abc: "1" } }, ["custom_field.abc"]],
      [{ title: "x", tags: "smoke" }, ["tags"]],
      [{ title: "x", is_flaky: 2 }, ["is_flaky"]],
      [{ title: "x", created_at: "yesterday" }, ["created_at"]],
      [
        {
          title: "x",
          parameters: [
            { title: "a", values: [] },
            { title: "a", values: [] },
          ],
        },
        ["parameters.1.title"],
      ],
    ];
    for (const [body, expected] of bad) {
      const r = await call("POST", "/v1/case/CS", body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.status).toBe(false);
      for (const f of expected) expect(fields(r), JSON.stringify(body)).toContain(f);
    }
    // Nesting deeper than the API carries is refused, not truncated.
    let deep: Record<string, unknown> = { action: "leaf" };
    for (let i = 0; i < 6; i++) deep = { action: `level ${i}`, steps: [deep] };
    expect((await call("POST", "/v1/case/CS", { title: "deep", steps: [deep] })).status).toBe(422);
    expect(await total()).toBe(before);
  });

  it("updates fields, keeps what was not sent, and maps automation both ways", async () => {
    const id = (await call("POST", "/v1/case/CS", { title: "Edit me", automation: "automated", tags: ["a"] }))
      .body.result.id;
    let c = (await call("GET", `/v1/case/CS/${id}`)).body.result;
    expect(c).toMatchObject({ automation: 2, isManual: false, isToBeAutomated: false });

    const r = await call("PATCH", `/v1/case/CS/${id}`, {
      isManual: true,
      severity: "blocker",
      description: "now",
    });
    expect(r.body).toEqual({ status: true, result: { id } });
    c = (await call("GET", `/v1/case/CS/${id}`)).body.result;
    expect(c).toMatchObject({
      title: "Edit me",
      automation: 0,
      isManual: true,
      severity: 1,
      description: "now",
      version: 2,
    });
    expect(c.tags.map((x: { title: string }) => x.title)).toEqual(["a"]);

    await call("PATCH", `/v1/case/CS/${id}`, { isToBeAutomated: true });
    expect((await call("GET", `/v1/case/CS/${id}`)).body.result).toMatchObject({
      automation: 1,
      isManual: true,
    });
    await call("PATCH", `/v1/case/CS/${id}`, { suite_id: suiteId, tags: [], milestone_id: milestoneId });
    c = (await call("GET", `/v1/case/CS/${id}`)).body.result;
    expect(c).toMatchObject({ suite_id: suiteId, tags: [], milestone_id: milestoneId });
    await call("PATCH", `/v1/case/CS/${id}`, { suite_id: null, milestone_id: null });
    expect((await call("GET", `/v1/case/CS/${id}`)).body.result).toMatchObject({
      suite_id: null,
      milestone_id: null,
    });

    const bad = await call("PATCH", `/v1/case/CS/${id}`, { title: "", severity: "nope" });
    expect(bad.status).toBe(422);
    expect(fields(bad)).toEqual(expect.arrayContaining(["title", "severity"]));
    expect((await call("GET", `/v1/case/CS/${id}`)).body.result.title).toBe("Edit me");
    expect((await call("PATCH", "/v1/case/CS/999999", { title: "x" })).status).toBe(404);
  });

  it("deletes softly: 410 afterwards, 404 for ids never used, and lists skip it", async () => {
    const id = (await call("POST", "/v1/case/CS", { title: "Doomed" })).body.result.id;
    const before = await total();
    expect((await call("DELETE", `/v1/case/CS/${id}`)).body).toEqual({ status: true, result: { id } });
    expect((await call("GET", `/v1/case/CS/${id}`)).status).toBe(410);
    expect((await call("PATCH", `/v1/case/CS/${id}`, { title: "x" })).status).toBe(410);
    expect((await call("DELETE", `/v1/case/CS/${id}`)).status).toBe(410);
    expect((await call("GET", "/v1/case/CS/999999")).status).toBe(404);
    expect(await total()).toBe(before - 1);
    // Another project's case is not reachable through this project's code.
    const foreign = (await call("POST", "/v1/case/FLT", { title: "foreign" })).body.result.id;
    expect(foreign).toBe(1);
    const mine = (await call("GET", `/v1/case/CS/${1}`)).body.result;
    expect(mine.title).not.toBe("foreign");
  });

  it("creates in bulk all or nothing", async () => {
    const before = await total();
    const ok = await call("POST", "/v1/case/CS/bulk", {
      cases: [
        { title: "B1", severity: "major" },
        { title: "B2", suite_id: suiteId },
        { title: "B3", id: null },
      ],
    });
    expect(ok.status).toBe(200);
    const ids: number[] = ok.body.result.ids;
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe((ids[0] ?? 0) + 1);
    expect(ids[2]).toBe((ids[0] ?? 0) + 2);
    expect((await call("GET", `/v1/case/CS/${ids[0]}`)).body.result).toMatchObject({
      title: "B1",
      severity: 3,
    });
    expect(await total()).toBe(before + 3);

    const bad = await call("POST", "/v1/case/CS/bulk", {
      cases: [{ title: "fine" }, { title: "bad", severity: "nope" }, { title: "x", suite_id: 99999 }],
    });
    expect(bad.status).toBe(422);
    expect(fields(bad)).toContain("cases.1.severity");
    const badRef = await call("POST", "/v1/case/CS/bulk", {
      cases: [{ title: "fine" }, { title: "x", suite_id: 99999 }],
    });
    expect(badRef.status).toBe(422);
    expect(fields(badRef)).toEqual(["cases.1.suite_id"]);
    expect((await call("POST", "/v1/case/CS/bulk", { cases: [] })).status).toBe(422);
    expect((await call("POST", "/v1/case/CS/bulk", { cases: [{ title: "x", id: 5 }] })).status).toBe(422);
    expect(await total()).toBe(before + 3);
    // Nothing was allocated by the failed attempts: the next id follows on.
    const next = (await call("POST", "/v1/case/CS", { title: "after" })).body.result.id;
    expect(next).toBe((ids[2] ?? 0) + 1);
  });

  it("attaches and detaches external issues", async () => {
    const id = (await call("POST", "/v1/case/CS", { title: "Linked" })).body.result.id;
    const attach = await call("POST", "/v1/case/CS/external-issue/attach", {
      type: "jira-cloud",
      links: [{ case_id: id, external_issues: ["PRJ-1", "PRJ-2"] }],
    });
    expect(attach.body).toEqual({ status: true });
    expect((await call("GET", `/v1/case/CS/${id}`)).body.result.external_issues).toEqual([
      { type: "jira-cloud", issues: [{ id: "PRJ-1" }, { id: "PRJ-2" }] },
    ]);
    await call("POST", "/v1/case/CS/external-issue/detach", {
      type: "jira-cloud",
      links: [{ case_id: id, external_issues: ["PRJ-1"] }],
    });
    expect((await call("GET", `/v1/case/CS/${id}`)).body.result.external_issues).toEqual([
      { type: "jira-cloud", issues: [{ id: "PRJ-2" }] },
    ]);
    const bad = await call("POST", "/v1/case/CS/external-issue/attach", {
      type: "jira-cloud",
      links: [
        { case_id: id, external_issues: ["PRJ-3"] },
        { case_id: 999999, external_issues: ["PRJ-4"] },
      ],
    });
    expect(bad.status).toBe(422);
    expect(fields(bad)).toEqual(["links.1.case_id"]);
    expect((await call("GET", `/v1/case/CS/${id}`)).body.result.external_issues[0].issues).toEqual([
      { id: "PRJ-2" },
    ]);
    expect(
      (await call("POST", "/v1/case/CS/external-issue/attach", { type: "github", links: [] })).status,
    ).toBe(422);

    // Filtering by linked issues (what qase-api-client sends as external_issues[type] / [ids][]).
    const other = (await call("POST", "/v1/case/CS", { title: "Linked elsewhere" })).body.result.id;
    await call("POST", "/v1/case/CS/external-issue/attach", {
      type: "jira-server",
      links: [{ case_id: other, external_issues: ["PRJ-2", "OPS-1"] }],
    });
    const linked = async (query: string) =>
      (await call("GET", `/v1/case/CS?limit=100&${query}`)).body.result.entities.map(
        (c: { id: number }) => c.id,
      );
    expect(await linked("external_issues[type]=jira-cloud")).toEqual([id]);
    expect(await linked("external_issues[type]=jira-server")).toEqual([other]);
    expect(await linked("external_issues[type]=jira-cloud&external_issues[ids][]=PRJ-2")).toEqual([id]);
    expect(await linked("external_issues[ids][]=PRJ-2")).toEqual([id, other]);
    expect(await linked("external_issues[ids][]=OPS-1&external_issues[ids][]=PRJ-1")).toEqual([other]);
    expect(await linked("external_issues[type]=jira-cloud&external_issues[ids][]=PRJ-1")).toEqual([]);
  });

  describe("filters", () => {
    let s1 = 0;
    let s2 = 0;
    const ids: Record<string, number> = {};

    beforeAll(async () => {
      s1 = (await call("POST", "/v1/suite/FLT", { title: "S1" })).body.result.id;
      s2 = (await call("POST", "/v1/suite/FLT", { title: "S2" })).body.result.id;
      const rows: [string, Record<string, unknown>][] = [
        [
          "login_ok",
          {
            severity: "blocker",
            priority: "high",
            type: "smoke",
            behavior: "positive",
            automation: "automated",
            status: "actual",
            suite_id: s1,
            tags: ["auth", "ui, web"],
          },
        ],
        [
          "Login_100%_fail",
          {
            severity: "minor",
            priority: "low",
            type: "regression",
            behavior: "negative",
            isManual: true,
            status: "draft",
            suite_id: s1,
            tags: ["auth"],
          },
        ],
        [
          "Checkout",
          {
            severity: "blocker",
            priority: "medium",
            type: "smoke",
            isToBeAutomated: true,
            status: "deprecated",
            suite_id: s2,
            tags: ["pay"],
          },
        ],
        ["Deleted login", { severity: "blocker", tags: ["auth"] }],
      ];
      for (const [title, body] of rows)
        ids[title] = (await call("POST", "/v1/case/FLT", { title, ...body })).body.result.id;
      await call("DELETE", `/v1/case/FLT/${ids["Deleted login"]}`);
    });

    async function titles(query: string) {
      const r = await call("GET", `/v1/case/FLT?limit=100&${query}`);
      expect(r.status, query).toBe(200);
      return r.body.result;
    }

    it("filters by search, suite and each enum (slugs, comma-separated), counting total and filtered", async () => {
      const cases: [string, string[]][] = [
        ["search=LOGIN", ["login_ok", "Login_100%_fail"]],
        ["search=100%25", ["Login_100%_fail"]],
        ["search=_ok", ["login_ok"]],
        [`suite_id=${s1}`, ["login_ok", "Login_100%_fail"]],
        ["severity=blocker", ["login_ok", "Checkout"]],
        ["severity=blocker,minor", ["login_ok", "Login_100%_fail", "Checkout"]],
        ["priority=medium,low", ["Login_100%_fail", "Checkout"]],
        ["type=smoke", ["login_ok", "Checkout"]],
        ["behavior=negative", ["Login_100%_fail"]],
        ["automation=automated", ["login_ok"]],
        ["automation=is-not-automated", ["Login_100%_fail", "foreign"]],
        ["automation=to-be-automated", ["Checkout"]],
        ["status=draft,deprecated", ["Login_100%_fail", "Checkout"]],
        [`severity=blocker&suite_id=${s2}`, ["Checkout"]],
        ["severity=trivial", []],
        // Verdict extension: tags as a comma list, any of them matches; deleted cases never do.
        ["tags=auth", ["login_ok", "Login_100%_fail"]],
        ["tags=pay,%20nothing", ["Checkout"]],
        ["tags=AUTH", []],
        ["tags=ui", []],
        [`tags=auth&severity=minor`, ["Login_100%_fail"]],
        ["tags=pay,auth&search=check", ["Checkout"]],
      ];
      for (const [query, expected] of cases) {
        const r = await titles(query);
        expect(r.entities.map((c: { title: string }) => c.title).sort(), query).toEqual([...expected].sort());
        expect(r.filtered, query).toBe(expected.length);
        expect(r.count, query).toBe(expected.length);
        expect(r.total, query).toBe(4); // three live here plus "foreign" from the delete test
      }
    });

    it("counts a filter's matches whatever page is read: full, partial, empty, or past the end", async () => {
      const pages: [string, number, string[]][] = [
        ["severity=blocker,minor&limit=2&offset=0", 3, ["login_ok", "Login_100%_fail"]],
        ["severity=blocker,minor&limit=2&offset=2", 3, ["Checkout"]],
        ["severity=blocker,minor&limit=2&offset=3", 3, []],
        ["severity=blocker,minor&limit=3&offset=0", 3, ["login_ok", "Login_100%_fail", "Checkout"]],
        ["severity=blocker,minor&limit=5&offset=1", 3, ["Login_100%_fail", "Checkout"]],
        ["severity=blocker,minor&limit=1&offset=50", 3, []],
        ["search=nothing-like-this&limit=1&offset=0", 0, []],
        ["search=nothing-like-this&limit=1&offset=7", 0, []],
      ];
      for (const [query, filtered, expected] of pages) {
        const r = (await call("GET", `/v1/case/FLT?${query}`)).body.result;
        expect(
          r.entities.map((c: { title: string }) => c.title),
          query,
        ).toEqual(expected);
        expect([r.filtered, r.count, r.total], query).toEqual([filtered, expected.length, 4]);
      }
    });

    it.runIf(dialect.name === "sqlite")(
      "reads a page, and counts its matches, in id order or through the filter's own index",
      async () => {
        const project = await findProjectByCode(t.ctx.db, "FLT");
        if (!project) throw new Error("no project FLT");
        const id = (field: CaseEnum, slug: string) => enumId(field, slug) as number;
        // A page of one row is full whenever something matches, so the count runs too.
        const plans = async (filter: CaseFilter) => {
          const run = (db: Db) => listCases(db, project, filter, 1, 0);
          const statements = await statementsOf(t.ctx.db, run);
          expect(statements).toHaveLength(2);
          return Promise.all(statements.map((q) => sqlitePlan(t.ctx.db, q)));
        };
        const inIdOrder = /^SEARCH cases USING INDEX sqlite_autoindex_cases_1 \(project_id=\? AND id>\?\)$/;
        for (const filter of [
          { search: "login" },
          { priority: [id("priority", "medium"), id("priority", "low")] },
        ]) {
          const [page, count] = await plans(filter);
          expect(page, JSON.stringify(filter)).toEqual([expect.stringMatching(inIdOrder)]);
          expect(count, JSON.stringify(filter)).toEqual([expect.stringMatching(inIdOrder)]);
        }
        for (const filter of [{ suiteId: s1 }, { suiteId: s1, severity: [id("severity", "blocker")] }]) {
          const [page, count] = await plans(filter);
          expect(page?.join("; "), JSON.stringify(filter)).not.toMatch(/TEMP B-TREE|SCAN/);
          expect(count, JSON.stringify(filter)).toEqual([
            expect.stringMatching(/^SEARCH cases USING COVERING INDEX cases_suite_severity_live /),
          ]);
        }
      },
    );

    it("pages with limit and offset and refuses unknown filter values", async () => {
      const page1 = await call("GET", "/v1/case/FLT?limit=2&offset=0");
      const page2 = await call("GET", "/v1/case/FLT?limit=2&offset=2");
      expect(page1.body.result.count).toBe(2);
      expect(page2.body.result.count).toBe(2);
      const all = [...page1.body.result.entities, ...page2.body.result.entities].map(
        (c: { id: number }) => c.id,
      );
      expect(new Set(all).size).toBe(4);
      for (const q of [
        "severity=fatal",
        "automation=manual",
        "limit=0",
        "limit=101",
        "offset=100001",
        "suite_id=abc",
      ]) {
        const r = await call("GET", `/v1/case/FLT?${q}`);
        expect(r.status, q).toBe(422);
        expect(r.body.errorFields.length, q).toBeGreaterThan(0);
      }
    });
  });
});

describe.each(dialects)("concurrent case creation on $name", (dialect) => {
  let t: TestApp;
  let token = "";

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("CC", owner);
    token = await t.token(owner);
  });
  afterAll(() => t.close());

  it("gives 50 parallel POSTs (and parallel bulks) unique, gap-free ids", async () => {
    const post = (payload: object, url = "/v1/case/CC") =>
      t.app.inject({ method: "POST", url, headers: { token }, payload });
    const singles = Promise.all(
      Array.from({ length: 50 }, (_, i) => post({ title: `parallel ${i}`, tags: [`t${i % 3}`, "shared"] })),
    );
    const bulks = Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        post(
          { cases: [{ title: `bulk ${i}a`, tags: ["shared"] }, { title: `bulk ${i}b` }] },
          "/v1/case/CC/bulk",
        ),
      ),
    );
    const [one, many] = await Promise.all([singles, bulks]);
    const ids = [
      ...one.map((r) => r.json().result.id as number),
      ...many.flatMap((r) => r.json().result.ids as number[]),
    ];
    expect(one.every((r) => r.statusCode === 200) && many.every((r) => r.statusCode === 200)).toBe(true);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const list = await t.app.inject({ method: "GET", url: "/v1/case/CC?limit=1", headers: { token } });
    expect(list.json().result.total).toBe(60);
  });
});
