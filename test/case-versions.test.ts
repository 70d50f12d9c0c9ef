import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findProjectByCode } from "../src/features/projects/projects.repository.js";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("case versions on $name", (dialect) => {
  let t: TestApp;
  let ownerToken = "";
  let memberToken = "";
  let ownerId = 0;
  let memberId = 0;

  const call = apiCaller(
    () => t.app,
    () => ownerToken,
  );

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    const member = await t.user("member");
    ownerId = owner.id;
    memberId = member.id;
    await t.project("CV", owner);
    ownerToken = await t.token(owner);
    memberToken = await t.token(member);
  });
  afterAll(() => t.close());

  it("keeps each version's full snapshot, who made it, when, and which fields changed", async () => {
    const id = (
      await call("POST", "/v1/case/CV", {
        title: "Original",
        severity: "major",
        steps: [{ action: "Step one", expected_result: "ok" }],
        tags: ["v1"],
      })
    ).body.result.id;
    const v1 = (await call("GET", `/v1/case/CV/${id}`)).body.result;
    expect(v1.version).toBe(1);

    // A change by another user: version 2.
    expect((await call("PATCH", `/v1/case/CV/${id}`, { title: "Renamed" }, memberToken)).status).toBe(200);
    // Writing the same values again is not a change: no version.
    await call("PATCH", `/v1/case/CV/${id}`, { title: "Renamed", severity: 3 });
    // Several fields at once: version 3.
    await call("PATCH", `/v1/case/CV/${id}`, {
      severity: "blocker",
      steps: [{ action: "Step one", expected_result: "ok" }, { action: "Step two" }],
      tags: ["v1", "v3"],
      isToBeAutomated: true,
    });
    const current = (await call("GET", `/v1/case/CV/${id}`)).body.result;
    expect(current.version).toBe(3);

    const list = (await call("GET", `/v1/case/CV/${id}/versions`)).body.result;
    expect(list).toMatchObject({ total: 3, filtered: 3, count: 3 });
    const [e1, e2, e3] = list.entities;
    expect(e1).toMatchObject({ version: 1, changed_by: ownerId, changes: [] });
    expect(e2).toMatchObject({ version: 2, changed_by: memberId, changes: ["title"] });
    expect(e3).toMatchObject({ version: 3, changed_by: ownerId });
    expect([...e3.changes].sort()).toEqual(["automation", "severity", "steps", "tags"]);
    expect(e2.changed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

    // Each snapshot is the case exactly as GET /v1/case answered at that version.
    expect(e1.case).toEqual(v1);
    expect(e3.case).toEqual(current);
    expect(e2.case).toMatchObject({ title: "Renamed", severity: 3, version: 2, tags: v1.tags });
    expect(e2.case.steps).toEqual(v1.steps);

    expect((await call("GET", `/v1/case/CV/${id}/version/1`)).body).toEqual({ status: true, result: v1 });
    expect((await call("GET", `/v1/case/CV/${id}/version/3`)).body.result).toEqual(current);
    expect((await call("GET", `/v1/case/CV/${id}/version/2`)).body.result.title).toBe("Renamed");

    const paged = (await call("GET", `/v1/case/CV/${id}/versions?limit=1&offset=1`)).body.result;
    expect(paged).toMatchObject({ total: 3, count: 1 });
    expect(paged.entities[0].version).toBe(2);
  });

  it("stores snapshots in case_versions in the GET /v1/case shape (what runs pin and read)", async () => {
    const field = (
      await call("POST", "/v1/custom_field", {
        title: "F",
        entity: 0,
        type: 1,
        is_enabled_for_all_projects: true,
      })
    ).body.result.id;
    const id = (await call("POST", "/v1/case/CV", { title: "Pinned", custom_field: { [field]: "x" } })).body
      .result.id;
    await call("POST", "/v1/case/CV/external-issue/attach", {
      type: "jira-server",
      links: [{ case_id: id, external_issues: ["OPS-9"] }],
    });
    const project = await findProjectByCode(t.ctx.db, "CV");
    const rows = await t.ctx.db
      .selectFrom("case_versions")
      .selectAll()
      .where("project_id", "=", project?.id ?? 0)
      .where("case_id", "=", id)
      .orderBy("version")
      .execute();
    expect(rows.map((r) => Number(r.version))).toEqual([1, 2]);
    expect(JSON.parse(rows[1]?.changes ?? "")).toEqual(["external_issues"]);
    const current = (await call("GET", `/v1/case/CV/${id}`)).body.result;
    expect(JSON.parse(rows[1]?.snapshot ?? "")).toEqual(current);
    expect(current.external_issues).toEqual([{ type: "jira-server", issues: [{ id: "OPS-9" }] }]);
    const cases = await t.ctx.db
      .selectFrom("cases")
      .select("version")
      .where("project_id", "=", project?.id ?? 0)
      .where("id", "=", id)
      .executeTakeFirst();
    expect(Number(cases?.version)).toBe(2);
  });

  it("a case a reporter created has version 1 as created, kept when it is first edited", async () => {
    const run = (await call("POST", "/v1/run/CV", { title: "ci", is_autotest: true })).body.result.id;
    const reported = await call("POST", `/v2/CV/run/${run}/results`, {
      results: [
        {
          id: "r1",
          title: "reported test",
          signature: "cv.spec.ts::reported test",
          execution: { status: "passed", start_time: 1, end_time: 2, duration: 1000 },
          fields: { severity: "critical", description: "as the reporter sent it" },
          relations: { suite: { data: [{ title: "Reported" }] } },
          steps: [],
          attachments: [],
          params: {},
        },
      ],
    });
    expect(reported.status).toBe(202);
    const id = (await call("GET", `/v1/result/CV?run=${run}&limit=1`)).body.result.entities[0].case_id;
    const created = (await call("GET", `/v1/case/CV/${id}`)).body.result;
    expect(created).toMatchObject({ title: "reported test", version: 1, severity: 2 });

    // Never edited: one version, the case as it is, by the reporter's user when it was created.
    const before = (await call("GET", `/v1/case/CV/${id}/versions`)).body.result;
    expect(before).toMatchObject({ total: 1, count: 1 });
    expect(before.entities[0]).toMatchObject({ version: 1, changed_by: ownerId, changes: [], case: created });
    expect(before.entities[0].changed_at).toBe(created.created_at);
    expect((await call("GET", `/v1/case/CV/${id}/versions?offset=1`)).body.result).toMatchObject({
      total: 1,
      count: 0,
    });
    expect((await call("GET", `/v1/case/CV/${id}/version/1`)).body.result).toEqual(created);
    expect((await call("GET", `/v1/case/CV/${id}/version/2`)).status).toBe(404);

    // The first edit keeps version 1 as the reporter made it, then version 2.
    await call("PATCH", `/v1/case/CV/${id}`, { title: "renamed by hand", severity: "minor" }, memberToken);
    const after = (await call("GET", `/v1/case/CV/${id}/versions`)).body.result;
    expect(after).toMatchObject({ total: 2, count: 2 });
    expect(after.entities[0]).toMatchObject({ version: 1, changed_by: ownerId, case: created });
    expect(after.entities[1]).toMatchObject({ version: 2, changed_by: memberId });
    expect([...after.entities[1].changes].sort()).toEqual(["severity", "title"]);
    expect((await call("GET", `/v1/case/CV/${id}/version/1`)).body.result).toEqual(created);
    expect((await call("GET", `/v1/case/CV/${id}/version/2`)).body.result.title).toBe("renamed by hand");

    // The run still shows the title the case had when the result arrived.
    const entries = (await call("GET", `/v1/run/CV/${run}/entries`)).body.result.entities;
    expect(entries).toMatchObject([{ case_id: id, case_version: 1, title: "reported test" }]);
  });

  it("a run's lines show each case's title at the version the run pinned, among its many versions", async () => {
    const id = (await call("POST", "/v1/case/CV", { title: "title 1" })).body.result.id;
    for (const title of ["title 2", "title 3"])
      expect((await call("PATCH", `/v1/case/CV/${id}`, { title })).status).toBe(200);
    // A reporter names the case by id, under a test title of its own: the line pins version 3.
    const run = (await call("POST", "/v1/run/CV", { title: "ci", is_autotest: true })).body.result.id;
    const result = {
      id: "v-1",
      title: "test name in the code",
      testops_id: id,
      execution: { status: "passed" },
    };
    expect((await call("POST", `/v2/CV/run/${run}/results`, { results: [result] })).status).toBe(202);
    for (const title of ["title 4", "title 5"])
      expect((await call("PATCH", `/v1/case/CV/${id}`, { title })).status).toBe(200);
    const lines = (await call("GET", `/v1/run/CV/${run}/entries`)).body.result.entities;
    expect(lines).toMatchObject([{ case_id: id, case_version: 3, title: "title 3", status: "passed" }]);
  });

  it("a failed update writes no version", async () => {
    const id = (await call("POST", "/v1/case/CV", { title: "Stable" })).body.result.id;
    expect((await call("PATCH", `/v1/case/CV/${id}`, { title: "New", suite_id: 424242 })).status).toBe(422);
    expect((await call("GET", `/v1/case/CV/${id}/versions`)).body.result.total).toBe(1);
    expect((await call("GET", `/v1/case/CV/${id}`)).body.result).toMatchObject({
      title: "Stable",
      version: 1,
    });
  });

  it("answers 404 for unknown versions and cases, 410 for deleted cases", async () => {
    const id = (await call("POST", "/v1/case/CV", { title: "Temp" })).body.result.id;
    expect((await call("GET", `/v1/case/CV/${id}/version/2`)).status).toBe(404);
    expect((await call("GET", "/v1/case/CV/999999/versions")).status).toBe(404);
    expect((await call("GET", "/v1/case/CV/999999/version/1")).status).toBe(404);
    await call("DELETE", `/v1/case/CV/${id}`);
    expect((await call("GET", `/v1/case/CV/${id}/versions`)).status).toBe(410);
    expect((await call("GET", `/v1/case/CV/${id}/version/1`)).status).toBe(410);
    // Viewers read history too.
    const viewer = await t.token(await t.user("viewer"));
    const other = (await call("POST", "/v1/case/CV", { title: "Visible" })).body.result.id;
    expect((await call("GET", `/v1/case/CV/${other}/versions`, undefined, viewer)).status).toBe(200);
  });
});
