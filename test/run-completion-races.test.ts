import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects, otherPgSession } from "./helpers/stores.js";

const postgres = dialects.find((d) => d.name === "postgres");

// Shards of one build share a run: one shard completes it while another still sends results. A batch
// either lands before the completion or is refused after it; a completed run never takes results later.
describe.skipIf(!postgres)("completing a run while results arrive, on PostgreSQL", () => {
  let t: TestApp;
  let token = "";
  let projectId = 0;
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    t = await startApp(postgres as (typeof dialects)[number]);
    const owner = await t.user("owner");
    await t.project("RC", owner);
    token = await t.token(owner);
    const row = await t.ctx.db
      .selectFrom("projects")
      .select("id")
      .where("code", "=", "RC")
      .executeTakeFirstOrThrow();
    projectId = Number(row.id);
  });
  afterAll(() => t.close());

  /** Another session in a transaction that holds the run's row as `mode` says, until it commits. */
  async function holdRun(run: number, mode: "for update" | "for key share") {
    const other = await otherPgSession(t.store);
    await other.query("begin");
    await other.query(`select id from runs where project_id = $1 and id = $2 ${mode}`, [projectId, run]);
    return other;
  }

  const batch = (run: number, prefix: string) =>
    call("POST", `/v2/RC/run/${run}/results`, {
      results: Array.from({ length: 20 }, (_, i) => ({
        id: `${prefix}-${i}`,
        title: `shard test ${i}`,
        signature: `shard::${i}`,
        execution: { status: "passed", duration: 5 },
      })),
    });

  it("refuses a batch that arrives while the run is being completed, storing nothing", async () => {
    const run = (await call("POST", "/v1/run/RC", { title: "sharded", is_autotest: true })).body.result.id;
    expect((await batch(run, "first")).status).toBe(202);
    // Another session is completing the run: it holds the row, as a completion does, until it commits.
    const other = await holdRun(run, "for update");
    try {
      const late = batch(run, "late");
      await new Promise((r) => setTimeout(r, 300));
      await other.query(
        "update runs set status = 1, end_time = 1, updated_at = 1 where project_id = $1 and id = $2",
        [projectId, run],
      );
      await other.query("commit");
      const res = await late;
      expect(res.status).toBe(422);
      expect(res.body.errorMessage).toMatch(/completed/);
    } finally {
      await other.end();
    }
    const stats = (await call("GET", `/v1/run/RC/${run}`)).body.result;
    expect(stats.status).toBe(1);
    expect(stats.stats.total).toBe(20);
    const results = (await call("GET", `/v1/result/RC?run=${run}&limit=100`)).body.result;
    expect(results.filtered).toBe(20);
  });

  it("waits for a batch in flight before completing the run", async () => {
    const run = (await call("POST", "/v1/run/RC", { title: "waited", is_autotest: true })).body.result.id;
    // Another session is a batch in flight: it holds the run as a batch does, until it commits.
    const other = await holdRun(run, "for key share");
    try {
      let done = false;
      const completing = call("POST", `/v1/run/RC/${run}/complete`).then((r) => {
        done = true;
        return r;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(done).toBe(false);
      await other.query("commit");
      expect((await completing).status).toBe(200);
    } finally {
      await other.end();
    }
  });

  it("completes a run only after the batches in flight are stored", async () => {
    const run = (await call("POST", "/v1/run/RC", { title: "in flight", is_autotest: true })).body.result.id;
    const answers = await Promise.all([
      batch(run, "a"),
      batch(run, "b"),
      call("POST", `/v1/run/RC/${run}/complete`),
      batch(run, "c"),
    ]);
    // Each batch was stored before the completion (202) or refused after it (422); what was stored counts.
    for (const a of [answers[0], answers[1], answers[3]]) expect([202, 422]).toContain(a?.status);
    expect(answers[2]?.status).toBe(200);
    const stored = answers.filter((a, i) => i !== 2 && a.status === 202).length;
    const results = (await call("GET", `/v1/result/RC?run=${run}&limit=100`)).body.result;
    expect(results.filtered).toBe(20 * stored);
  });
});
