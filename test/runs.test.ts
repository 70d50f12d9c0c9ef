import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("runs (v1) on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let ciToken = "";
  let viewerToken = "";

  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const kase = async (title: string) =>
    (await call("POST", "/v1/case/RN", { title })).body.result.id as number;

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("RN", owner);
    token = await t.token(owner);
    ciToken = await t.token(owner, { scopes: ["results"] });
    viewerToken = await t.token(await t.user("viewer"));
    await t.ctx.db
      .insertInto("environments")
      .values({
        project_id: 1,
        id: 7,
        title: "Staging",
        slug: "staging",
        description: null,
        host: "stg.example",
        created_at: 1,
        updated_at: 1,
        deleted_at: null,
      })
      .execute();
  });
  afterAll(() => t.close());

  it("creates a run as reporters do, pins its cases and reads it back in Qase's shape", async () => {
    const [a, b] = [await kase("login"), await kase("logout")];
    const created = await call(
      "POST",
      "/v1/run/RN",
      {
        title: "Nightly",
        description: "",
        is_autotest: true,
        cases: [a, b],
        start_time: "2026-11-20 10:00:00",
        tags: ["nightly", "nightly", "api"],
        environment_slug: "staging",
      },
      ciToken,
    );
    expect(created).toEqual({ status: 200, body: { status: true, result: { id: expect.any(Number) } } });
    const id = created.body.result.id;
    const run = await call("GET", `/v1/run/RN/${id}?include=cases`);
    expect(run.status).toBe(200);
    expect(run.body.result).toMatchObject({
      id,
      run_id: id,
      title: "Nightly",
      status: 0,
      status_text: "in_progress",
      start_time: "2026-11-20T10:00:00+00:00",
      end_time: null,
      public: false,
      environment: { title: "Staging", slug: "staging", host: "stg.example", description: "" },
      milestone: null,
      cases: [a, b],
      tags: [
        { title: "nightly", internal_id: expect.any(Number) },
        { title: "api", internal_id: expect.any(Number) },
      ],
      is_autotest: true,
      stats: { total: 2, untested: 2, passed: 0, statuses: {} },
    });
    // The run pinned the version each case had: editing the case later does not move it.
    await call("PATCH", `/v1/case/RN/${a}`, { title: "login (renamed)" });
    const entries = await t.ctx.db
      .selectFrom("run_entries")
      .select(["case_id", "case_version"])
      .where("run_id", "=", id)
      .orderBy("case_id")
      .execute();
    expect(entries).toEqual([
      { case_id: a, case_version: 1 },
      { case_id: b, case_version: 1 },
    ]);
    // Without include=cases the list is left out, as Qase does.
    expect((await call("GET", `/v1/run/RN/${id}`)).body.result.cases).toBeUndefined();
  });

  it("refuses bad references with 422 naming each, and stores nothing", async () => {
    const before = await call("GET", "/v1/run/RN");
    const bad = await call("POST", "/v1/run/RN", {
      title: "Broken",
      cases: [999999],
      environment_slug: "nowhere",
      milestone_id: 4242,
      plan_id: 31337,
      start_time: "yesterday",
    });
    expect(bad.status).toBe(422);
    const fields = bad.body.errorFields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(["start_time"]);
    const bad2 = await call("POST", "/v1/run/RN", {
      title: "Broken",
      cases: [999999],
      environment_slug: "nowhere",
      milestone_id: 4242,
      plan_id: 31337,
    });
    expect(bad2.status).toBe(422);
    expect(bad2.body.errorFields.map((f: { field: string }) => f.field).sort()).toEqual([
      "cases",
      "environment_slug",
      "milestone_id",
      "plan_id",
    ]);
    expect((await call("GET", "/v1/run/RN")).body.result.total).toBe(before.body.result.total);
    expect((await call("POST", "/v1/run/RN", { title: "x" }, viewerToken)).status).toBe(403);
  });

  it("includes every case, or a plan's cases", async () => {
    const all = await call("POST", "/v1/run/RN", { title: "All", include_all_cases: true });
    const live = (await call("GET", "/v1/case/RN?limit=1")).body.result.total;
    expect((await call("GET", `/v1/run/RN/${all.body.result.id}`)).body.result.stats.total).toBe(live);
    const c = await kase("checkout");
    const plan = await call("POST", "/v1/plan/RN", { title: "P", cases: [c] });
    const fromPlan = await call("POST", "/v1/run/RN", { title: "Planned", plan_id: plan.body.result.id });
    const run = (await call("GET", `/v1/run/RN/${fromPlan.body.result.id}?include=cases`)).body.result;
    expect(run.cases).toEqual([c]);
    expect(run.plan_id).toBe(plan.body.result.id);
  });

  it("gives shards of one build one run, even when they race", async () => {
    const replies = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        call("POST", "/v1/run/RN", { title: "CI #77", build_id: "build-77" }, ciToken),
      ),
    );
    const ids = new Set(replies.map((r) => r.body.result.id));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(ids.size).toBe(1);
    const listed = await call("GET", "/v1/run/RN?build_id=build-77");
    expect(listed.body.result.filtered).toBe(1);
    expect(listed.body.result.entities[0].build_id).toBe("build-77");
    // Run numbers stay gap-free although four creates lost the race.
    const next = await call("POST", "/v1/run/RN", { title: "after" });
    expect(next.body.result.id).toBe([...ids][0] + 1);
  });

  it("updates, completes, lists by status, deletes (410) and tells unknown runs (404)", async () => {
    const id = (await call("POST", "/v1/run/RN", { title: "Edit me" })).body.result.id;
    expect(
      (await call("PATCH", `/v1/run/RN/${id}`, { title: "Edited", environment_slug: "staging", tags: ["x"] }))
        .body,
    ).toEqual({ status: true });
    const edited = (await call("GET", `/v1/run/RN/${id}`)).body.result;
    expect(edited).toMatchObject({
      title: "Edited",
      environment: { slug: "staging" },
      tags: [{ title: "x" }],
    });

    expect((await call("POST", `/v1/run/RN/${id}/complete`, undefined, ciToken)).body).toEqual({
      status: true,
    });
    const done = (await call("GET", `/v1/run/RN/${id}`)).body.result;
    expect(done).toMatchObject({ status: 1, status_text: "passed", end_time: expect.any(String) });
    expect((await call("POST", `/v1/run/RN/${id}/complete`)).status).toBe(200);

    const passed = (await call("GET", "/v1/run/RN?status=passed&limit=100")).body.result.entities.map(
      (r: { id: number }) => r.id,
    );
    const active = (await call("GET", "/v1/run/RN?status=in_progress&limit=100")).body.result.entities.map(
      (r: { id: number }) => r.id,
    );
    expect(passed).toContain(id);
    expect(active).not.toContain(id);
    expect((await call("GET", "/v1/run/RN?status=bogus")).status).toBe(422);
    expect(
      (await call("GET", "/v1/run/RN?search=edit")).body.result.entities.map((r: { id: number }) => r.id),
    ).toEqual([id]);

    expect((await call("DELETE", `/v1/run/RN/${id}`)).body).toEqual({ status: true, result: { id } });
    expect((await call("GET", `/v1/run/RN/${id}`)).status).toBe(410);
    expect((await call("GET", "/v1/run/RN/999999")).status).toBe(404);
  });

  it("publishes a read-only public link and withdraws it", async () => {
    const id = (await call("POST", "/v1/run/RN", { title: "Shared" })).body.result.id;
    const on = await call("PATCH", `/v1/run/RN/${id}/public`, { status: true });
    expect(on.body.result.url).toMatch(/\/public\/run\/RN\/[\w-]{32}$/);
    const path = new URL(on.body.result.url).pathname;
    const anon = await call("GET", path, undefined, "");
    expect(anon.status).toBe(200);
    expect(anon.body.result).toMatchObject({ id, title: "Shared", public: true });
    expect((await call("GET", `/v1/run/RN/${id}`)).body.result.public).toBe(true);
    await call("PATCH", `/v1/run/RN/${id}/public`, { status: false });
    expect((await call("GET", path, undefined, "")).status).toBe(404);
  });

  it("links an external issue to a run", async () => {
    const id = (await call("POST", "/v1/run/RN", { title: "Tracked" })).body.result.id;
    const r = await call("POST", "/v1/run/RN/external-issue", {
      type: "jira-cloud",
      links: [{ run_id: id, external_issue: "PROJ-9" }],
    });
    expect(r.body).toEqual({ status: true });
    expect((await call("GET", `/v1/run/RN/${id}`)).body.result.external_issue).toEqual({
      id: "PROJ-9",
      type: "jira-cloud",
      link: "PROJ-9",
    });
  });

  it("counts runs, total and active, in the project read model", async () => {
    const counts = async () => (await call("GET", "/v1/project/RN")).body.result.counts;
    const before = await counts();
    const id = (await call("POST", "/v1/run/RN", { title: "Counted" })).body.result.id;
    expect((await counts()).runs).toEqual({ total: before.runs.total + 1, active: before.runs.active + 1 });
    await call("POST", `/v1/run/RN/${id}/complete`);
    expect((await counts()).runs).toEqual({ total: before.runs.total + 1, active: before.runs.active });
    await call("DELETE", `/v1/run/RN/${id}`);
    expect((await counts()).runs).toEqual(before.runs);
  });

  it("lists a run's entries with each case as the run pinned it, whatever happened to the case since", async () => {
    const c = await kase("pinned title");
    const id = (await call("POST", "/v1/run/RN", { title: "Pinned", cases: [c] })).body.result.id;
    await call("PATCH", `/v1/case/RN/${c}`, { title: "edited afterwards" });
    await call("POST", `/v1/result/RN/${id}`, { case_id: c, status: "failed" });
    const entries = await call("GET", `/v1/run/RN/${id}/entries`);
    expect(entries.body.result).toMatchObject({ total: 1, filtered: 1 });
    expect(entries.body.result.entities[0]).toMatchObject({
      case_id: c,
      case_version: 1,
      title: "pinned title",
      status: "failed",
      attempts: 1,
      is_flaky: false,
    });
    expect((await call("GET", `/v1/run/RN/${id}/entries?status=untested`)).body.result.filtered).toBe(0);
    expect((await call("GET", `/v1/run/RN/${id}/entries?status=failed,untested`)).body.result.filtered).toBe(
      1,
    );
  });

  it("tells completed runs that passed from those that failed by their lines' current statuses", async () => {
    const [a, b] = [await kase("outcome a"), await kase("outcome b")];
    const newRun = async (title: string, results: [number, string][], complete = true) => {
      const id = (await call("POST", "/v1/run/RN", { title, cases: [a, b] })).body.result.id as number;
      for (const [caseId, status] of results)
        expect((await call("POST", `/v1/result/RN/${id}`, { case_id: caseId, status })).status).toBe(200);
      if (complete) expect((await call("POST", `/v1/run/RN/${id}/complete`)).status).toBe(200);
      return id;
    };
    const green = await newRun("outcome green", [[a, "passed"]]);
    const red = await newRun("outcome red", [
      [a, "passed"],
      [b, "failed"],
    ]);
    const blocked = await newRun("outcome blocked", [[b, "blocked"]]);
    const retried = await newRun("outcome retried", [
      [a, "failed"],
      [a, "passed"],
    ]);
    const open = await newRun("outcome open", [[b, "failed"]], false);
    const listed = async (status: string) => {
      const r = (await call("GET", `/v1/run/RN?status=${status}&search=outcome&limit=2`)).body.result;
      const all = (await call("GET", `/v1/run/RN?status=${status}&search=outcome&limit=100`)).body.result;
      expect(r.filtered, status).toBe(all.entities.length);
      return all.entities.map((x: { id: number }) => x.id).sort((x: number, y: number) => x - y);
    };
    expect(await listed("passed")).toEqual([green, retried]);
    expect(await listed("failed")).toEqual([red, blocked]);
    expect(await listed("in_progress")).toEqual([open]);
    expect(await listed("passed,failed")).toEqual([green, red, blocked, retried]);
    // The failure deleted, the run passed after all.
    const failure = (await call("GET", `/v1/result/RN?run=${red}&status=failed`)).body.result.entities[0]
      .hash;
    expect((await call("DELETE", `/v1/result/RN/${red}/${failure}`)).status).toBe(200);
    expect(await listed("passed")).toEqual([green, red, retried]);
    expect(await listed("failed")).toEqual([blocked]);
  });

  it("counts a run's entries, all and by status (untested included), as its lines read", async () => {
    const cases = [await kase("e1"), await kase("e2"), await kase("e3"), await kase("e4")];
    const id = (await call("POST", "/v1/run/RN", { title: "Entry counts", cases })).body.result.id;
    await call("POST", `/v1/result/RN/${id}`, { case_id: cases[0], status: "failed" });
    await call("POST", `/v1/result/RN/${id}`, { case_id: cases[1], status: "failed" });
    await call("POST", `/v1/result/RN/${id}`, { case_id: cases[1], status: "passed" });
    await call("POST", `/v1/result/RN/${id}`, { case_id: cases[2], status: "blocked" });
    const page = async (query: string) =>
      (await call("GET", `/v1/run/RN/${id}/entries?limit=100&${query}`)).body.result;
    for (const [query, statuses] of [
      ["", ["failed", "passed", "blocked", null]],
      ["status=failed", ["failed"]],
      ["status=untested", [null]],
      ["status=FAILED,untested", ["failed", null]],
      ["status=passed,blocked", ["passed", "blocked"]],
      ["status=skipped", []],
    ] as const) {
      const r = await page(query);
      expect(
        r.entities.map((e: { status: string | null }) => e.status),
        query,
      ).toEqual(statuses);
      expect([r.total, r.filtered, r.count], query).toEqual([4, statuses.length, statuses.length]);
    }
  });

  it("numbers runs created concurrently without gaps or repeats", async () => {
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call("POST", "/v1/run/RN", { title: `parallel ${i}` }, ciToken)),
    );
    const ids = replies.map((r) => r.body.result.id as number).sort((a, b) => a - b);
    expect(new Set(ids).size).toBe(12);
    expect((ids[11] ?? 0) - (ids[0] ?? 0)).toBe(11);
  });
});
