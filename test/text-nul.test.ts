import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

// A reporter can capture a NUL character in a stack trace or a log line. PostgreSQL text cannot hold
// one, so there a text column stores U+FFFD in its place; SQLite keeps it, and so do both for values
// kept inside JSON (steps), where it is written as an escape. Either way the batch is stored, not refused.
describe.each(dialects)("NUL characters in reported text on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const stored = (s: string) => (dialect.name === "postgres" ? s.replaceAll("\u0000", "\ufffd") : s);

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("NU", owner);
    token = await t.token(owner);
  });
  afterAll(() => t.close());

  it("stores a v2 batch whose results, steps and new cases carry NULs, and keeps a written-out \\u0000", async () => {
    const run = (await call("POST", "/v1/run/NU", { title: "nul", is_autotest: true })).body.result.id;
    const stack = "Error: bad frame\u0000\u0000 at parse (x.ts:1:1)";
    const literal = "the text \\u0000 is not a NUL"; // a backslash, then "u0000"
    const body = {
      results: [
        {
          id: "r1",
          title: "reads \u0000 binary output",
          execution: { status: "failed", stacktrace: stack, start_time: 1, end_time: 2, duration: 1000 },
          message: literal,
          relations: { suite: { data: [{ title: "io\u0000" }] } },
          steps: [{ data: { action: "dump\u0000" }, execution: { status: "failed" } }],
          fields: {},
          attachments: [],
          params: {},
        },
        {
          id: "r2",
          title: "plain",
          execution: { status: "passed", start_time: 1, end_time: 2, duration: 1000 },
          relations: { suite: { data: [{ title: "io\u0000" }] } },
          fields: {},
          steps: [],
          attachments: [],
          params: {},
        },
      ],
    };
    const res = await call("POST", `/v2/NU/run/${run}/results`, body);
    expect(res.status).toBe(202);

    const results = (await call("GET", `/v1/result/NU?run=${run}&limit=10`)).body.result.entities as Array<
      Record<string, unknown>
    >;
    expect(results).toHaveLength(2);
    const failed = results.find((r) => r.status === "failed");
    expect(failed).toMatchObject({ stacktrace: stored(stack), comment: literal });
    expect(failed?.steps).toMatchObject([{ action: "dump\u0000" }]);

    const cases = (await call("GET", "/v1/case/NU?limit=10")).body.result.entities as Array<
      Record<string, unknown>
    >;
    expect(cases.map((c) => c.title).sort()).toEqual([stored("reads \u0000 binary output"), "plain"].sort());
    const suites = (await call("GET", "/v1/suite/NU?limit=10")).body.result.entities as Array<
      Record<string, unknown>
    >;
    expect(suites.map((s) => s.title)).toEqual([stored("io\u0000")]);
    expect((await call("GET", `/v1/run/NU/${run}`)).body.result.stats).toMatchObject({ total: 2, failed: 1 });
  });
});
