import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

// The live-case count of a project is kept by triggers (migration 0010); case lists and the project read
// model print it. Every way a case appears or disappears must move it, and it must equal a real count.
describe.each(dialects)("live-case counter on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  async function counted(code: string) {
    const real = await t.ctx.db
      .selectFrom("cases")
      .innerJoin("projects", "projects.id", "cases.project_id")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("projects.code", "=", code)
      .where("cases.deleted_at", "is", null)
      .executeTakeFirstOrThrow();
    const list = (await call("GET", `/v1/case/${code}?limit=1`)).body.result;
    const project = (await call("GET", `/v1/project/${code}`)).body.result;
    expect(list.total).toBe(Number(real.n));
    expect(list.filtered).toBe(Number(real.n));
    expect(project.counts.cases).toBe(Number(real.n));
    return list.total as number;
  }

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("CNT", owner);
    await t.project("OTHER", owner);
    token = await t.token(owner);
  });
  afterAll(() => t.close());

  it("follows creation, bulk creation, deletion, suite deletion and results that create cases", async () => {
    expect(await counted("CNT")).toBe(0);
    const suite = (await call("POST", "/v1/suite/CNT", { title: "Doomed" })).body.result.id;
    const one = (await call("POST", "/v1/case/CNT", { title: "one", suite_id: suite })).body.result.id;
    await call("POST", "/v1/case/CNT", { title: "two", suite_id: suite });
    await call("POST", "/v1/case/OTHER", { title: "elsewhere" });
    expect(await counted("CNT")).toBe(2);
    expect(await counted("OTHER")).toBe(1);

    const bulk = await call("POST", "/v1/case/CNT/bulk", {
      cases: [{ title: "b1" }, { title: "b2" }, { title: "b3" }],
    });
    expect(bulk.status).toBe(200);
    expect(await counted("CNT")).toBe(5);

    expect((await call("DELETE", `/v1/case/CNT/${one}`)).status).toBe(200);
    expect(await counted("CNT")).toBe(4);
    // Deleting again changes nothing (410), and the counter does not move twice.
    expect((await call("DELETE", `/v1/case/CNT/${one}`)).status).toBe(410);
    expect(await counted("CNT")).toBe(4);

    // A suite deleted without a destination takes its remaining case ("two") with it.
    expect((await call("DELETE", `/v1/suite/CNT/${suite}`)).status).toBe(200);
    expect(await counted("CNT")).toBe(3);

    // Automated results create the cases they do not match, once.
    const run = (await call("POST", "/v1/run/CNT", { title: "ci", is_autotest: true })).body.result.id;
    const results = ["r1", "r2"].map((title) => ({
      title,
      signature: `spec::${title}`,
      execution: { status: "passed" },
    }));
    expect((await call("POST", `/v2/CNT/run/${run}/results`, { results })).status).toBe(202);
    expect(await counted("CNT")).toBe(5);
    expect((await call("POST", `/v2/CNT/run/${run}/results`, { results })).status).toBe(202);
    expect(await counted("CNT")).toBe(5);
    expect(await counted("OTHER")).toBe(1);
  });

  it.runIf(dialect.name === "sqlite")(
    "finds a suite's next case position through the live-position index",
    async () => {
      for (const suite of ["= 1", "is null"]) {
        const { rows } = await t.ctx.db.executeQuery<{ detail: string }>({
          sql: `explain query plan select "position" from "cases"
            where "project_id" = 1 and "suite_id" ${suite} and "deleted_at" is null
            order by "position" desc limit 1`,
          parameters: [],
          query: { kind: "RawNode" } as never,
          queryId: { queryId: "plan" },
        });
        const plan = rows.map((r) => r.detail).join("; ");
        expect(plan).toMatch(/SEARCH cases USING (COVERING )?INDEX cases_suite_position_live/);
        expect(plan).not.toMatch(/TEMP B-TREE/);
      }
    },
  );

  it.runIf(dialect.name === "sqlite")(
    "counts a suite's live cases of some severity from the index alone",
    async () => {
      const { rows } = await t.ctx.db.executeQuery<{ detail: string }>({
        sql: `explain query plan select count(*) as "n" from "cases"
          where "project_id" = 1 and "deleted_at" is null and "suite_id" = 1 and "severity" in (2, 3)`,
        parameters: [],
        query: { kind: "RawNode" } as never,
        queryId: { queryId: "plan" },
      });
      expect(rows.map((r) => r.detail).join("; ")).toMatch(
        /SEARCH cases USING COVERING INDEX cases_suite_severity_live/,
      );
    },
  );
});
