import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are asserted field by field
  body: any;
}

describe.each(dialects)("plans on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let viewerToken = "";
  let memberId = 0;

  async function call(method: string, url: string, payload?: unknown, secret = token): Promise<Reply> {
    const res = await t.app.inject({
      method: method as "GET",
      url,
      headers: { token: secret },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json() };
  }
  const kase = async (title: string, code = "PL") =>
    (await call("POST", `/v1/case/${code}`, { title })).body.result.id as number;
  const planRows = async () =>
    Number(
      (
        await t.ctx.db
          .selectFrom("plan_cases")
          .select((e) => e.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    const member = await t.user("member");
    memberId = member.id;
    await t.project("PL", owner);
    await t.project("OTHER", owner);
    token = await t.token(owner);
    viewerToken = await t.token(await t.user("viewer"));
  });
  afterAll(() => t.close());

  it("creates, reads, lists, edits and deletes plans in Qase's shape", async () => {
    const [a, b, c] = [await kase("a"), await kase("b"), await kase("c")];
    const created = await call("POST", "/v1/plan/PL", {
      title: " Regression ",
      description: "before release",
      cases: [c, a, a],
      assignments: [{ case_id: a, assignee_id: memberId }],
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ status: true, result: { id: expect.any(Number) } });
    const id = created.body.result.id;

    const got = await call("GET", `/v1/plan/PL/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.result).toEqual({
      id,
      title: "Regression",
      description: "before release",
      cases_count: 2,
      average_time: 0,
      cases: [
        { case_id: a, assignee_id: memberId },
        { case_id: c, assignee_id: null },
      ],
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
      created: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      updated: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });

    // Replacing the cases keeps the assignee of a case that stays; assignments alone re-assign.
    const patched = await call("PATCH", `/v1/plan/PL/${id}`, { title: "Smoke", cases: [a, b] });
    expect(patched.body).toEqual({ status: true, result: { id } });
    expect((await call("GET", `/v1/plan/PL/${id}`)).body.result).toMatchObject({
      title: "Smoke",
      description: "before release",
      cases_count: 2,
      cases: [
        { case_id: a, assignee_id: memberId },
        { case_id: b, assignee_id: null },
      ],
    });
    await call("PATCH", `/v1/plan/PL/${id}`, {
      description: null,
      assignments: [
        { case_id: a, assignee_id: null },
        { case_id: b, assignee_id: memberId },
      ],
    });
    expect((await call("GET", `/v1/plan/PL/${id}`)).body.result).toMatchObject({
      description: null,
      cases: [
        { case_id: a, assignee_id: null },
        { case_id: b, assignee_id: memberId },
      ],
    });

    // A case deleted from the repository leaves the plan.
    expect((await call("DELETE", `/v1/case/PL/${b}`)).status).toBe(200);
    expect((await call("GET", `/v1/plan/PL/${id}`)).body.result).toMatchObject({
      cases_count: 1,
      cases: [{ case_id: a, assignee_id: null }],
    });

    const second = (await call("POST", "/v1/plan/PL", { title: "Second", cases: [a, c] })).body.result.id;
    const list = await call("GET", "/v1/plan/PL?limit=1&offset=1");
    expect(list.body.result).toMatchObject({ total: 2, filtered: 2, count: 1 });
    expect(list.body.result.entities).toEqual([
      expect.objectContaining({ id: second, title: "Second", cases_count: 2, description: null }),
    ]);
    expect(list.body.result.entities[0]).not.toHaveProperty("cases");

    // The viewer reads but does not write.
    expect((await call("GET", `/v1/plan/PL/${id}`, undefined, viewerToken)).status).toBe(200);
    expect((await call("POST", "/v1/plan/PL", { title: "x", cases: [a] }, viewerToken)).status).toBe(403);
    expect((await call("DELETE", `/v1/plan/PL/${id}`, undefined, viewerToken)).status).toBe(403);

    const deleted = await call("DELETE", `/v1/plan/PL/${id}`);
    expect(deleted.body).toEqual({ status: true, result: { id } });
    expect((await call("GET", "/v1/plan/PL")).body.result).toMatchObject({ total: 1, count: 1 });
  });

  it("answers 410 for a deleted plan and 404 for one that never existed", async () => {
    const a = await kase("gone");
    const id = (await call("POST", "/v1/plan/PL", { title: "Doomed", cases: [a] })).body.result.id;
    await call("DELETE", `/v1/plan/PL/${id}`);
    for (const [method, body] of [
      ["GET", undefined],
      ["PATCH", { title: "again" }],
      ["DELETE", undefined],
    ] as const) {
      const gone = await call(method, `/v1/plan/PL/${id}`, body);
      expect(gone.status, method).toBe(410);
      expect(gone.body.status).toBe(false);
      const missing = await call(method, `/v1/plan/PL/${id + 1000}`, body);
      expect(missing.status, method).toBe(404);
    }
    // Plan ids are per project: another project's plan 1 is not this one.
    expect((await call("GET", "/v1/plan/OTHER/1")).status).toBe(404);
  });

  it("refuses bad input with 422 and errorFields, storing nothing", async () => {
    const a = await kase("valid");
    const foreign = await kase("foreign", "OTHER");
    const deletedCase = await kase("deleted");
    await call("DELETE", `/v1/case/PL/${deletedCase}`);
    const before = (await call("GET", "/v1/plan/PL")).body.result.total;
    const rowsBefore = await planRows();
    const unknown = Math.max(a, foreign, deletedCase) + 500;
    const bodies: [unknown, string, string?][] = [
      [{ cases: [a] }, "title"],
      [{ title: "x" }, "cases"],
      [{ title: "x", cases: [] }, "cases"],
      [{ title: "   ", cases: [a] }, "title"],
      [{ title: "x".repeat(256), cases: [a] }, "title"],
      [{ title: "x", cases: ["one"] }, "cases.0"],
      [{ title: "x", cases: [a, unknown] }, "cases", String(unknown)],
      [{ title: "x", cases: [deletedCase] }, "cases", String(deletedCase)],
      [
        { title: "x", cases: [a], assignments: [{ case_id: a, assignee_id: 999999 }] },
        "assignments",
        "999999",
      ],
      [
        { title: "x", cases: [a], assignments: [{ case_id: a + 1000, assignee_id: memberId }] },
        "assignments",
      ],
    ];
    for (const [body, field, mention] of bodies) {
      const r = await call("POST", "/v1/plan/PL", body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.status).toBe(false);
      const entry = r.body.errorFields.find((f: { field: string }) => f.field === field);
      expect(entry, JSON.stringify(r.body)).toBeDefined();
      if (mention) expect(entry.error).toContain(mention);
    }
    // A case that exists only in another project is unknown here.
    let elsewhere = foreign;
    while (elsewhere <= deletedCase) elsewhere = await kase("filler", "OTHER");
    const cross = await call("POST", "/v1/plan/PL", { title: "x", cases: [elsewhere] });
    expect(cross.status).toBe(422);
    expect(cross.body.errorFields[0].error).toContain(String(elsewhere));
    // Both problems at once: one entry per field.
    const both = await call("POST", "/v1/plan/PL", { title: " ", cases: [unknown] });
    expect(both.body.errorFields.map((f: { field: string }) => f.field).sort()).toEqual(["cases", "title"]);

    expect((await call("GET", "/v1/plan/PL")).body.result.total).toBe(before);
    expect(await planRows()).toBe(rowsBefore);

    // A bad PATCH changes nothing either.
    const id = (await call("POST", "/v1/plan/PL", { title: "Keep", cases: [a] })).body.result.id;
    const bad = await call("PATCH", `/v1/plan/PL/${id}`, { title: "Changed", cases: [a, unknown] });
    expect(bad.status).toBe(422);
    expect(bad.body.errorFields[0]).toMatchObject({ field: "cases" });
    expect((await call("GET", `/v1/plan/PL/${id}`)).body.result).toMatchObject({
      title: "Keep",
      cases: [{ case_id: a, assignee_id: null }],
    });
  });
});
