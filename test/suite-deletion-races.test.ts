import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";
import { liveUnderDeleted } from "./helpers/tree.js";

// Someone deletes a suite while CI is reporting into it and others add to it. Whatever was put there
// before the deletion goes with it; whatever comes after finds the suite gone (a 422, or for a reporter a
// new suite of the same name). Nothing live is left inside a deleted suite, where no tree shows it.
describe.each(dialects)("deleting a suite while writers add to it on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let project = 0;
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("SD", owner);
    token = await t.token(owner);
    const row = await t.ctx.db
      .selectFrom("projects")
      .select("id")
      .where("code", "=", "SD")
      .executeTakeFirstOrThrow();
    project = Number(row.id);
  });
  afterAll(() => t.close());

  it("leaves no live case or suite inside it, with or without a destination", async () => {
    const run = (await call("POST", "/v1/run/SD", { title: "ci", is_autotest: true })).body.result.id;
    const elsewhere = (await call("POST", "/v1/suite/SD", { title: "elsewhere" })).body.result.id;
    for (let round = 0; round < 8; round++) {
      const title = `doomed ${round}`;
      const doomed = (await call("POST", "/v1/suite/SD", { title })).body.result.id;
      const outside: number[] = [];
      for (let i = 0; i < 4; i++)
        outside.push(
          (await call("POST", "/v1/case/SD", { title: `outside ${round}.${i}`, suite_id: elsewhere })).body
            .result.id,
        );
      const destination = round % 2 === 0 ? undefined : { destination_id: elsewhere };
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, (_, i) =>
          call("POST", "/v1/case/SD", { title: `by hand ${round}.${i}`, suite_id: doomed }),
        ),
        ...Array.from({ length: 3 }, (_, i) =>
          call("POST", `/v2/SD/run/${run}/results`, {
            results: [
              {
                id: `r${round}.${i}`,
                title: `reported ${round}.${i}`,
                execution: { status: "passed" },
                relations: { suite: { data: [{ title }, { title: "inner" }] } },
              },
            ],
          }),
        ),
        call("POST", "/v1/suite/SD", { title: `child ${round}`, parent_id: doomed }),
        ...outside.map((id) => call("PATCH", `/v1/case/SD/${id}`, { suite_id: doomed })),
        call("DELETE", `/v1/suite/SD/${doomed}`, destination),
      ]);
      // Creating or moving into a suite deleted first is refused; nothing fails on the server.
      for (const a of answers) expect([200, 202, 422]).toContain(a.status);
      expect(answers.at(-1)?.status).toBe(200);
      expect(await liveUnderDeleted(t.ctx.db, project), `round ${round}`).toEqual([]);
    }
  });
});
