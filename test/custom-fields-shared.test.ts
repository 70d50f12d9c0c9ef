import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserRow } from "../src/features/users/users.repository.js";
import { apiCaller, type Reply } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(dialects)("custom fields, shared steps, shared parameters and authors on $name", (dialect) => {
  let t: TestApp;
  let owner: UserRow;
  let token = "";
  let memberToken = "";
  let viewerToken = "";

  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const fields = (r: Reply) => (r.body.errorFields ?? []).map((f: { field: string }) => f.field).sort();
  const caseCount = async (code = "CF") =>
    (await call("GET", `/v1/case/${code}`)).body.result.total as number;
  const fieldTotal = async () => (await call("GET", "/v1/custom_field")).body.result.total as number;

  beforeAll(async () => {
    t = await startApp(dialect);
    owner = await t.user("owner", "owner@example.test");
    await t.project("CF", owner);
    await t.project("CFB", owner);
    token = await t.token(owner);
    memberToken = await t.token(await t.user("member", "mia@example.test"));
    viewerToken = await t.token(await t.user("viewer", "vic@example.test"));
  });
  afterAll(() => t.close());

  describe("custom fields", () => {
    let select = 0;
    let runField = 0;
    let otherProjectField = 0;

    it("creates fields of every kind and reads them in Qase's shape", async () => {
      const created = await call("POST", "/v1/custom_field", {
        title: "Component",
        entity: 0,
        type: 3,
        value: [{ title: "Backend" }, { title: "Frontend" }],
        default_value: "2",
        placeholder: "pick one",
        is_filterable: true,
        is_required: false,
        projects_codes: ["cf"],
      });
      expect(created.status).toBe(200);
      select = created.body.result.id;
      expect(select).toBeGreaterThan(0);
      expect((await call("GET", `/v1/custom_field/${select}`)).body).toEqual({
        status: true,
        result: {
          id: select,
          title: "Component",
          entity: "case",
          type: "selectbox",
          placeholder: "pick one",
          default_value: "2",
          value: JSON.stringify([
            { id: 1, title: "Backend" },
            { id: 2, title: "Frontend" },
          ]),
          is_required: false,
          is_visible: true,
          is_filterable: true,
          is_enabled_for_all_projects: false,
          created: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
          updated: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
          created_at: expect.stringMatching(/\+00:00$/),
          updated_at: expect.stringMatching(/\+00:00$/),
          projects_codes: ["CF"],
        },
      });

      runField = (
        await call("POST", "/v1/custom_field", {
          title: "Build",
          entity: 1,
          type: 1,
          is_enabled_for_all_projects: true,
        })
      ).body.result.id;
      otherProjectField = (
        await call("POST", "/v1/custom_field", {
          title: "Theirs",
          entity: 0,
          type: 0,
          projects_codes: ["CFB"],
        })
      ).body.result.id;
      // Every type number is accepted and named.
      const names = [
        "number",
        "string",
        "text",
        "selectbox",
        "checkbox",
        "radio",
        "multiselect",
        "url",
        "user",
      ];
      for (const [type, name] of names.entries()) {
        const value = [3, 5, 6].includes(type) ? [{ id: 7, title: "a" }] : null;
        const r = await call("POST", "/v1/custom_field", { title: `T${type}`, entity: 2, type, value });
        expect(r.status).toBe(200);
        const got = (await call("GET", `/v1/custom_field/${r.body.result.id}`)).body.result;
        expect([got.entity, got.type, got.value]).toEqual([
          "defect",
          name,
          value ? '[{"id":7,"title":"a"}]' : null,
        ]);
      }
      const datetime = await call("POST", "/v1/custom_field", { title: "When", entity: 2, type: 9 });
      expect((await call("GET", `/v1/custom_field/${datetime.body.result.id}`)).body.result.type).toBe(
        "datetime",
      );
    });

    it("lists with entity and type filters", async () => {
      const all = (await call("GET", "/v1/custom_field?limit=100")).body.result;
      expect(all).toMatchObject({ total: 13, filtered: 13, count: 13 });
      const cases = (await call("GET", "/v1/custom_field?entity=case")).body.result;
      expect(cases.filtered).toBe(2);
      expect(cases.entities.map((f: { id: number }) => f.id)).toEqual([select, otherProjectField]);
      const selects = (await call("GET", "/v1/custom_field?entity=defect&type=selectbox")).body.result;
      expect(selects.filtered).toBe(1);
      const page = (await call("GET", "/v1/custom_field?limit=2&offset=1")).body.result;
      expect(page.entities.map((f: { id: number }) => f.id)).toEqual([runField, otherProjectField]);
      expect((await call("GET", "/v1/custom_field?type=colour")).status).toBe(422);
    });

    it("updates title, options (ids kept, new ones numbered on), defaults and project enablement", async () => {
      const r = await call("PATCH", `/v1/custom_field/${select}`, {
        title: "Area",
        value: [{ id: 2, title: "Web UI" }, { title: "Mobile" }],
        default_value: "3",
        projects_codes: ["CF", "CFB"],
      });
      expect(r).toEqual({ status: 200, body: { status: true } });
      const got = (await call("GET", `/v1/custom_field/${select}`)).body.result;
      expect(got).toMatchObject({ title: "Area", default_value: "3", projects_codes: ["CF", "CFB"] });
      expect(JSON.parse(got.value)).toEqual([
        { id: 2, title: "Web UI" },
        { id: 3, title: "Mobile" },
      ]);
      expect((await call("PATCH", `/v1/custom_field/${select}`, { projects_codes: ["CF"] })).status).toBe(
        200,
      );
      expect((await call("GET", `/v1/custom_field/${select}`)).body.result.projects_codes).toEqual(["CF"]);
    });

    it("refuses bad fields with their names and stores nothing", async () => {
      const before = await fieldTotal();
      const cases: [unknown, string[]][] = [
        [{ title: "S", entity: 0, type: 3 }, ["value"]],
        [{ title: "S", entity: 0, type: 1, value: [{ title: "x" }] }, ["value"]],
        [{ title: "S", entity: 0, type: 5, value: [{ title: "x" }, { title: "X " }] }, ["value.1.title"]],
        [
          {
            title: "S",
            entity: 0,
            type: 3,
            value: [
              { id: 4, title: "a" },
              { id: 4, title: "b" },
            ],
          },
          ["value.1.id"],
        ],
        [{ title: "S", entity: 0, type: 3, value: [{ title: "a" }], default_value: "9" }, ["default_value"]],
        [
          { title: "S", entity: 0, type: 6, value: [{ title: "a" }], default_value: "1,5" },
          ["default_value"],
        ],
        [{ title: "S", entity: 0, type: 0, default_value: "ten" }, ["default_value"]],
        [{ title: "S", entity: 0, type: 1, projects_codes: ["CF", "NOPE"] }, ["projects_codes"]],
        [{ title: " ", entity: 3, type: 10 }, ["entity", "type"]],
        [{ title: " ", entity: 0, type: 1 }, ["title"]],
      ];
      for (const [body, names] of cases) {
        const r = await call("POST", "/v1/custom_field", body);
        expect([r.status, fields(r)], JSON.stringify(body)).toEqual([422, names]);
      }
      const unknownCode = await call("POST", "/v1/custom_field", {
        title: "S",
        entity: 0,
        type: 1,
        projects_codes: ["NOPE"],
      });
      expect(unknownCode.body.errorFields[0].error).toContain("NOPE");
      const patch = await call("PATCH", `/v1/custom_field/${select}`, {
        title: "Changed",
        value: [],
        projects_codes: ["ZZZ"],
      });
      expect(fields(patch)).toEqual(["projects_codes", "value"]);
      // Option 1 was removed above: replace_values may only name options the field has.
      const replace = await call("PATCH", `/v1/custom_field/${select}`, { replace_values: { "1": "2" } });
      expect(fields(replace)).toEqual(["replace_values.1"]);
      expect((await call("GET", `/v1/custom_field/${select}`)).body.result.title).toBe("Area");
      expect(await fieldTotal()).toBe(before);
    });

    it("leaves writes to workspace admins and lets every reader read", async () => {
      expect(
        (await call("POST", "/v1/custom_field", { title: "m", entity: 0, type: 1 }, memberToken)).status,
      ).toBe(403);
      expect((await call("PATCH", `/v1/custom_field/${select}`, { title: "m" }, memberToken)).status).toBe(
        403,
      );
      expect((await call("DELETE", `/v1/custom_field/${select}`, undefined, memberToken)).status).toBe(403);
      expect((await call("GET", "/v1/custom_field", undefined, viewerToken)).status).toBe(200);
      expect((await call("GET", `/v1/custom_field/${select}`, undefined, viewerToken)).status).toBe(200);
    });

    it("accepts in case writes only existing case fields enabled for the project, naming the others", async () => {
      const ok = await call("POST", "/v1/case/CF", { title: "with field", custom_field: { [select]: "3" } });
      expect(ok.status).toBe(200);
      expect((await call("GET", `/v1/case/CF/${ok.body.result.id}`)).body.result.custom_fields).toEqual([
        { id: select, value: "3" },
      ]);
      const before = await caseCount();
      const bad = await call("POST", "/v1/case/CF", {
        title: "bad fields",
        custom_field: { [select]: "2", "99999": "x", [runField]: "b", [otherProjectField]: "1" },
      });
      expect(bad.status).toBe(422);
      expect(fields(bad)).toEqual(
        [`custom_field.99999`, `custom_field.${runField}`, `custom_field.${otherProjectField}`].sort(),
      );
      const errors = Object.fromEntries(
        bad.body.errorFields.map((f: { field: string; error: string }) => [f.field, f.error]),
      );
      expect(errors["custom_field.99999"]).toContain("99999");
      expect(errors[`custom_field.${runField}`]).toContain("run field");
      expect(errors[`custom_field.${otherProjectField}`]).toContain("not enabled");
      const bulk = await call("POST", "/v1/case/CF/bulk", {
        cases: [{ title: "fine" }, { title: "bad", custom_field: { "99999": "x" } }],
      });
      expect(bulk.status).toBe(422);
      expect(fields(bulk)).toEqual(["cases.1.custom_field.99999"]);
      const patch = await call("PATCH", `/v1/case/CF/${ok.body.result.id}`, {
        custom_field: { "99999": "x" },
      });
      expect(fields(patch)).toEqual(["custom_field.99999"]);
      expect(await caseCount()).toBe(before);
      expect((await call("GET", `/v1/case/CF/${ok.body.result.id}`)).body.result.version).toBe(1);
      // The same field id is fine in the project it is enabled for, refused in another.
      expect(
        (await call("POST", "/v1/case/CFB", { title: "x", custom_field: { [otherProjectField]: "1" } }))
          .status,
      ).toBe(200);
    });

    it("deletes softly: 410 afterwards, 404 for ids that never existed, no longer usable by cases", async () => {
      expect((await call("DELETE", `/v1/custom_field/${otherProjectField}`)).body).toEqual({ status: true });
      expect((await call("GET", `/v1/custom_field/${otherProjectField}`)).status).toBe(410);
      expect((await call("PATCH", `/v1/custom_field/${otherProjectField}`, { title: "x" })).status).toBe(410);
      expect((await call("DELETE", `/v1/custom_field/${otherProjectField}`)).status).toBe(410);
      expect((await call("GET", "/v1/custom_field/424242")).status).toBe(404);
      const r = await call("POST", "/v1/case/CFB", {
        title: "x",
        custom_field: { [otherProjectField]: "1" },
      });
      expect(fields(r)).toEqual([`custom_field.${otherProjectField}`]);
    });
  });

  describe("shared steps", () => {
    let hash = "";

    it("creates nested shared steps and reads them in Qase's shape", async () => {
      const created = await call("POST", "/v1/shared_step/CF", {
        title: "Log in",
        steps: [
          {
            action: "Open login page",
            expected_result: "Form shown",
            data: "url",
            attachments: ["a".repeat(40)],
            steps: [{ action: "Accept cookies", steps: [{ action: "Click OK" }] }],
          },
          { action: "Submit credentials", expected_result: "Dashboard" },
        ],
      });
      expect(created.status).toBe(200);
      hash = created.body.result.hash;
      expect(hash).toMatch(/^[0-9a-f]{40}$/);
      const got = (await call("GET", `/v1/shared_step/CF/${hash}`)).body.result;
      expect(got).toMatchObject({
        hash,
        title: "Log in",
        action: "Open login page",
        expected_result: "Form shown",
        data: "url",
        cases: [],
        cases_count: 0,
        created_at: expect.stringMatching(/\+00:00$/),
      });
      expect(got.steps).toHaveLength(2);
      expect(got.steps[0]).toMatchObject({
        action: "Open login page",
        expected_result: "Form shown",
        data: "url",
        attachments: [{ hash: "a".repeat(40) }],
      });
      expect(got.steps[0].hash).toMatch(/^[0-9a-f]{40}$/);
      expect(got.steps[0].steps[0].steps[0]).toMatchObject({ action: "Click OK", steps: [] });
      expect(new Set([got.steps[0].hash, got.steps[1].hash, got.steps[0].steps[0].hash]).size).toBe(3);

      const legacy = await call("POST", "/v1/shared_step/CF", {
        title: "Legacy",
        action: "Do it",
        expected_result: "Done",
      });
      const old = (await call("GET", `/v1/shared_step/CF/${legacy.body.result.hash}`)).body.result;
      expect(old.steps.map((s: { action: string }) => s.action)).toEqual(["Do it"]);
      expect(old).toMatchObject({ action: "Do it", expected_result: "Done", data: "" });
    });

    it("lists, searches and counts the live cases that use each shared step", async () => {
      const top = await call("POST", "/v1/case/CF", { title: "uses", steps: [{ shared: hash }] });
      expect(top.status).toBe(200);
      const nested = await call("POST", "/v1/case/CF", {
        title: "uses nested",
        steps: [{ action: "first", steps: [{ shared: hash }] }],
      });
      const gone = await call("POST", "/v1/case/CF", { title: "deleted", steps: [{ shared: hash }] });
      await call("DELETE", `/v1/case/CF/${gone.body.result.id}`);
      const ids = [top.body.result.id, nested.body.result.id];
      expect((await call("GET", `/v1/shared_step/CF/${hash}`)).body.result).toMatchObject({
        cases: ids,
        cases_count: 2,
      });
      const list = (await call("GET", "/v1/shared_step/CF?search=LOG")).body.result;
      expect(list).toMatchObject({ total: 2, filtered: 1, count: 1 });
      expect(list.entities[0]).toMatchObject({ hash, cases: ids, cases_count: 2 });
      expect((await call("GET", "/v1/shared_step/CF?limit=1&offset=1")).body.result.entities).toHaveLength(1);
      expect((await call("GET", "/v1/shared_step/CFB")).body.result.total).toBe(0);
    });

    it("updates title and steps", async () => {
      const r = await call("PATCH", `/v1/shared_step/CF/${hash}`, {
        title: "Sign in",
        steps: [{ action: "Use SSO", expected_result: "Signed in" }],
      });
      expect(r).toEqual({ status: 200, body: { status: true, result: { hash } } });
      const got = (await call("GET", `/v1/shared_step/CF/${hash}`)).body.result;
      expect(got).toMatchObject({ title: "Sign in", action: "Use SSO", cases_count: 2 });
      expect(got.steps).toHaveLength(1);
      expect((await call("PATCH", `/v1/shared_step/CF/${hash}`, { title: "Only title" })).status).toBe(200);
      expect((await call("GET", `/v1/shared_step/CF/${hash}`)).body.result.steps).toHaveLength(1);
    });

    it("refuses bad shared steps and bad references from cases, storing nothing", async () => {
      const before = (await call("GET", "/v1/shared_step/CF")).body.result.total;
      const blank = await call("POST", "/v1/shared_step/CF", {
        title: " ",
        steps: [{ action: "ok" }, { action: " ", steps: [{ action: "" }] }],
      });
      expect(fields(blank)).toEqual(["steps.1.action", "steps.1.steps.0.action", "title"]);
      expect(fields(await call("POST", "/v1/shared_step/CF", { title: "none" }))).toEqual(["steps"]);
      expect(fields(await call("POST", "/v1/shared_step/CF", { title: "none", steps: [] }))).toEqual([
        "steps",
      ]);
      expect(fields(await call("POST", "/v1/shared_step/CF", { title: "x", steps: [{}] }))).toContain(
        "steps.0.action",
      );
      expect((await call("GET", "/v1/shared_step/CF")).body.result.total).toBe(before);

      const cases = await caseCount();
      const unknown = "b".repeat(40);
      const r = await call("POST", "/v1/case/CF", {
        title: "bad ref",
        steps: [{ action: "x", steps: [{ shared: unknown }] }, { shared: hash }],
      });
      expect(r.status).toBe(422);
      expect(fields(r)).toEqual(["steps"]);
      expect(r.body.errorFields[0].error).toContain(unknown);
      // A hash from another project is unknown here.
      const theirs = (await call("POST", "/v1/shared_step/CFB", { title: "t", steps: [{ action: "a" }] }))
        .body.result.hash;
      const cross = await call("POST", "/v1/case/CF/bulk", {
        cases: [{ title: "a", steps: [{ shared: theirs }] }],
      });
      expect(fields(cross)).toEqual(["cases.0.steps"]);
      expect(await caseCount()).toBe(cases);
      expect(
        (await call("POST", "/v1/shared_step/CF", { title: "v", steps: [{ action: "a" }] }, viewerToken))
          .status,
      ).toBe(403);
      expect((await call("GET", "/v1/shared_step/CF", undefined, viewerToken)).status).toBe(200);
    });

    it("deletes softly: 410 afterwards, 404 for unknown hashes, no longer usable by cases", async () => {
      expect((await call("DELETE", `/v1/shared_step/CF/${hash}`)).body).toEqual({
        status: true,
        result: { hash },
      });
      expect((await call("GET", `/v1/shared_step/CF/${hash}`)).status).toBe(410);
      expect((await call("PATCH", `/v1/shared_step/CF/${hash}`, { title: "x" })).status).toBe(410);
      expect((await call("GET", `/v1/shared_step/CF/${"c".repeat(40)}`)).status).toBe(404);
      expect((await call("GET", `/v1/shared_step/CFB/${hash}`)).status).toBe(404);
      const r = await call("POST", "/v1/case/CF", { title: "late", steps: [{ shared: hash }] });
      expect(fields(r)).toEqual(["steps"]);
    });
  });

  describe("shared parameters", () => {
    let single = "";
    let group = "";

    it("creates single and group parameters and reads them", async () => {
      const s = await call("POST", "/v1/shared_parameter", {
        title: "Browser",
        type: "single",
        is_enabled_for_all_projects: true,
        parameters: [{ title: "browser", values: ["chromium", "firefox"] }],
      });
      expect(s.status).toBe(200);
      single = s.body.result.id;
      expect(single).toMatch(UUID);
      group = (
        await call("POST", "/v1/shared_parameter", {
          title: "Credentials",
          type: "group",
          is_enabled_for_all_projects: false,
          project_codes: ["CFB"],
          parameters: [
            { title: "user", values: ["alice", "bob"] },
            { title: "password", values: ["a1", "b2"] },
          ],
        })
      ).body.result.id;
      expect((await call("GET", `/v1/shared_parameter/${single}`)).body).toEqual({
        status: true,
        result: {
          id: single,
          title: "Browser",
          type: "single",
          project_codes: [],
          is_enabled_for_all_projects: true,
          parameters: [{ title: "browser", values: ["chromium", "firefox"] }],
        },
      });
      expect((await call("GET", `/v1/shared_parameter/${group.toUpperCase()}`)).body.result).toMatchObject({
        id: group,
        type: "group",
        project_codes: ["CFB"],
        is_enabled_for_all_projects: false,
      });
    });

    it("lists with search, type and project filters ({total, entities})", async () => {
      const all = (await call("GET", "/v1/shared_parameter")).body.result;
      expect(Object.keys(all).sort()).toEqual(["entities", "total"]);
      expect(all.total).toBe(2);
      const ids = async (query: string) =>
        (await call("GET", `/v1/shared_parameter?${query}`)).body.result.entities.map(
          (p: { id: string }) => p.id,
        );
      expect(await ids("filters[search]=cred")).toEqual([group]);
      expect(await ids("filters[type]=single")).toEqual([single]);
      // Usable in CF: enabled for all projects; in CFB also the linked one. Comma form as the client sends it.
      expect(await ids("filters[project_codes][]=CF")).toEqual([single]);
      expect(await ids("filters[project_codes][]=CF,CFB")).toEqual([single, group]);
      expect(await ids("filters[project_codes][]=CF&filters[project_codes][]=CFB")).toEqual([single, group]);
      expect(await ids("limit=1&offset=1")).toEqual([group]);
    });

    it("refuses bad parameters with their names, storing nothing", async () => {
      const bad: [unknown, string[]][] = [
        [
          {
            title: "x",
            type: "single",
            is_enabled_for_all_projects: true,
            parameters: [
              { title: "a", values: ["1"] },
              { title: "b", values: ["1"] },
            ],
          },
          ["parameters"],
        ],
        [
          {
            title: "x",
            type: "group",
            is_enabled_for_all_projects: true,
            parameters: [{ title: "a", values: ["1"] }],
          },
          ["parameters"],
        ],
        [
          {
            title: "x",
            type: "group",
            is_enabled_for_all_projects: false,
            project_codes: ["NOPE"],
            parameters: [
              { title: "a", values: [] },
              { title: "a", values: ["1"] },
            ],
          },
          ["parameters.0.values", "parameters.1.title", "project_codes"],
        ],
        [
          { title: "x", type: "triple", is_enabled_for_all_projects: true, parameters: [] },
          ["parameters", "type"],
        ],
      ];
      for (const [body, names] of bad) {
        const r = await call("POST", "/v1/shared_parameter", body);
        expect([r.status, fields(r)], JSON.stringify(body)).toEqual([422, names]);
      }
      expect((await call("GET", "/v1/shared_parameter")).body.result.total).toBe(2);
      expect((await call("GET", "/v1/shared_parameter/not-a-uuid")).status).toBe(422);
      expect((await call("GET", "/v1/shared_parameter/00000000-0000-4000-8000-000000000000")).status).toBe(
        404,
      );
      const patch = await call("PATCH", `/v1/shared_parameter/${single}`, {
        parameters: [
          { title: "a", values: ["1"] },
          { title: "b", values: ["2"] },
        ],
      });
      expect(fields(patch)).toEqual(["parameters"]);
    });

    it("updates, deletes softly and leaves writes to workspace admins", async () => {
      const r = await call("PATCH", `/v1/shared_parameter/${group}`, {
        title: "Logins",
        project_codes: ["CF", "CFB"],
        parameters: [
          { title: "user", values: ["carol"] },
          { title: "password", values: ["c3"] },
        ],
      });
      expect(r).toEqual({ status: 200, body: { status: true, result: { id: group } } });
      expect((await call("GET", `/v1/shared_parameter/${group}`)).body.result).toMatchObject({
        title: "Logins",
        project_codes: ["CF", "CFB"],
        parameters: [
          { title: "user", values: ["carol"] },
          { title: "password", values: ["c3"] },
        ],
      });
      const denied = await call(
        "POST",
        "/v1/shared_parameter",
        {
          title: "m",
          type: "single",
          is_enabled_for_all_projects: true,
          parameters: [{ title: "m", values: ["1"] }],
        },
        memberToken,
      );
      expect(denied.status).toBe(403);
      expect((await call("DELETE", `/v1/shared_parameter/${group}`, undefined, memberToken)).status).toBe(
        403,
      );
      expect((await call("GET", "/v1/shared_parameter", undefined, viewerToken)).status).toBe(200);

      expect((await call("DELETE", `/v1/shared_parameter/${group}`)).body).toEqual({
        status: true,
        result: { id: group },
      });
      expect((await call("GET", `/v1/shared_parameter/${group}`)).status).toBe(410);
      expect((await call("DELETE", `/v1/shared_parameter/${group}`)).status).toBe(410);
      expect((await call("GET", "/v1/shared_parameter")).body.result.total).toBe(1);
    });
  });

  describe("authors", () => {
    it("lists users as authors with search and type, without secrets", async () => {
      const list = await call("GET", "/v1/author?limit=100", undefined, viewerToken);
      expect(list.status).toBe(200);
      expect(list.body.result).toMatchObject({ total: 3, filtered: 3, count: 3 });
      const me = list.body.result.entities[0];
      expect(me).toEqual({
        id: owner.id,
        uuid: expect.stringMatching(UUID),
        author_id: owner.id,
        entity_type: "user",
        entity_id: owner.id,
        email: "owner@example.test",
        name: owner.name,
        is_active: true,
      });
      expect(JSON.stringify(list.body)).not.toMatch(/password|hash/i);
      const found = (await call("GET", "/v1/author?search=MIA")).body.result;
      expect(found.filtered).toBe(1);
      expect(found.entities[0].email).toBe("mia@example.test");
      expect((await call("GET", "/v1/author?type=user")).body.result.filtered).toBe(3);
      expect((await call("GET", "/v1/author?type=app")).body.result).toEqual({
        total: 3,
        filtered: 0,
        count: 0,
        entities: [],
      });
      // UUIDs are stable and distinct.
      const again = (await call("GET", "/v1/author?limit=100")).body.result.entities;
      expect(again.map((a: { uuid: string }) => a.uuid)).toEqual(
        list.body.result.entities.map((a: { uuid: string }) => a.uuid),
      );
      expect(new Set(again.map((a: { uuid: string }) => a.uuid)).size).toBe(3);
    });

    it("reads one author by UUID or by the deprecated integer id", async () => {
      const me = (await call("GET", "/v1/author")).body.result.entities[0];
      expect((await call("GET", `/v1/author/${me.uuid}`)).body.result).toEqual(me);
      expect((await call("GET", `/v1/author/${me.uuid.toUpperCase()}`)).body.result).toEqual(me);
      expect((await call("GET", `/v1/author/${owner.id}`)).body.result).toEqual(me);
      expect((await call("GET", "/v1/author/00000000-0000-5000-8000-000000000000")).status).toBe(404);
      expect((await call("GET", "/v1/author/987654")).status).toBe(404);
    });
  });
});
