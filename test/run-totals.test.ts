import { Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../src/db/migrations/index.js";
import { migrateToLatest } from "../src/db/store.js";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { keptAndCounted } from "./helpers/run-totals.js";
import { dialects, type TestStore } from "./helpers/stores.js";

describe.each(dialects)("run stats and time kept as they change on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const expectExact = async (runId: number) => {
    const { kept, counted } = await keptAndCounted(t.ctx.db, runId);
    expect(kept).toEqual(counted);
    return kept;
  };
  const result = (id: string, title: string, status: string, extra: Record<string, unknown> = {}) => ({
    id,
    title,
    signature: `totals::${title}`,
    execution: { status, duration: 100 },
    ...extra,
  });

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("TT", owner);
    token = await t.token(owner);
  });
  afterAll(() => t.close());

  it("stays exact through run creation, batches, retries, v1 results, edits, deletes and hand-written SQL", async () => {
    const caseIds: number[] = [];
    for (const title of ["one", "two", "three"])
      caseIds.push((await call("POST", "/v1/case/TT", { title })).body.result.id);
    const run = (await call("POST", "/v1/run/TT", { title: "totals", cases: caseIds })).body.result.id;
    expect((await expectExact(run)).statuses).toEqual([{ status: "", entries: 3, flaky: 0 }]);

    const post = async (results: object[]) =>
      expect((await call("POST", `/v2/TT/run/${run}/results`, { results })).status).toBe(202);
    await post([
      result("a1", "alpha", "failed"),
      result("b1", "beta", "passed"),
      result("c1", "gamma", "skipped", { params: { browser: "firefox" } }),
      result("c2", "gamma", "passed", { params: { browser: "chromium" } }),
      { ...result("d1", "delta", "passed"), fields: { is_flaky: "true" } },
      { ...result("e1", "epsilon", "custom-status") },
    ]);
    await expectExact(run);
    // A retry that passes makes the entry flaky; a retry that fails again does not.
    await post([result("a2", "alpha", "passed"), result("b2", "beta", "failed")]);
    const after = await expectExact(run);
    expect(after.statuses.find((s) => s.status === "passed")?.flaky).toBeGreaterThanOrEqual(2);
    // Retried batch: nothing changes.
    await post([result("a2", "alpha", "passed")]);
    await expectExact(run);

    const v1 = await call("POST", `/v1/result/TT/${run}`, {
      case_id: caseIds[0],
      status: "blocked",
      time_ms: 250,
    });
    // The reported tests were new cases; the run's own three stayed untested until this one.
    expect((await expectExact(run)).statuses.find((s) => s.status === "")?.entries).toBe(2);
    await call("PATCH", `/v1/result/TT/${run}/${v1.body.result.hash}`, { status: "passed", time_ms: 40 });
    await expectExact(run);
    await call("DELETE", `/v1/result/TT/${run}/${v1.body.result.hash}`);
    const deleted = await expectExact(run);
    expect(deleted.statuses.find((s) => s.status === "")?.entries).toBe(3);

    // The stats the API shows are the kept ones.
    const shown = (await call("GET", `/v1/run/TT/${run}`)).body.result;
    expect(shown.stats.total).toBe(deleted.statuses.reduce((n, s) => n + s.entries, 0));
    expect(shown.stats.untested).toBe(3);
    expect(shown.time_spent).toBe(deleted.ms);

    // Any writer, even one that goes around the code: the triggers keep the counts.
    await t.ctx.db
      .updateTable("run_entries")
      .set({ status: "invalid" })
      .where("run_id", "=", run)
      .where("status", "=", "skipped")
      .execute();
    await t.ctx.db.updateTable("run_entries").set({ marked_flaky: 1 }).where("run_id", "=", run).execute();
    await expectExact(run);
    await t.ctx.db
      .deleteFrom("run_entries")
      .where("run_id", "=", run)
      .where("status", "=", "failed")
      .execute();
    await expectExact(run);
  });

  it("concurrent batches into one run keep exact counts", async () => {
    const run = (await call("POST", "/v1/run/TT", { title: "concurrent", is_autotest: true })).body.result.id;
    await Promise.all(
      Array.from({ length: 6 }, (_, w) =>
        call("POST", `/v2/TT/run/${run}/results`, {
          results: Array.from({ length: 40 }, (_, i) =>
            // The same tests from every worker: entries are shared and retried across batches.
            result(`w${w}-${i}`, `shared ${i % 25}`, (i + w) % 3 === 0 ? "failed" : "passed"),
          ),
        }),
      ),
    );
    const kept = await expectExact(run);
    expect(kept.results).toBe(240);
    expect(kept.statuses.reduce((n, s) => n + s.entries, 0)).toBe(25);
  });

  it("takes batches holding the same client ids and tests in opposite orders side by side", async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `x${String(i).padStart(3, "0")}`);
    for (let round = 0; round < 4; round++) {
      const run = (await call("POST", "/v1/run/TT", { title: `crossed ${round}`, is_autotest: true })).body
        .result.id;
      // The cases exist (a rerun), so the batches only match and go side by side. Batches k and k + 3
      // send the same client ids, one forwards and one backwards; all of them update the same entries.
      // On PostgreSQL, rows written in each batch's own order waited in a circle (a deadlock, a 500).
      await call("POST", `/v2/TT/run/${run}/results`, {
        results: ids.map((id) => result(`seed-${id}`, `crossed ${id}`, "passed")),
      });
      const post = (order: string[], k: number) =>
        call("POST", `/v2/TT/run/${run}/results`, {
          results: order.map((id) => result(`${id}-${k % 3}`, `crossed ${id}`, k % 2 ? "failed" : "passed")),
        });
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, k) => post(k % 2 ? [...ids].reverse() : ids, k)),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
      const kept = await expectExact(run);
      expect(kept.results).toBe(4 * ids.length);
    }
  });

  it("concurrent deletes and edits of one result move the totals once", async () => {
    const caseId = (await call("POST", "/v1/case/TT", { title: "raced" })).body.result.id;
    const run = (await call("POST", "/v1/run/TT", { title: "raced", cases: [caseId] })).body.result.id;
    const create = () =>
      call("POST", `/v1/result/TT/${run}`, { case_id: caseId, status: "failed", time_ms: 10 });
    const hashes: string[] = [];
    for (let i = 0; i < 24; i++) hashes.push((await create()).body.result.hash);
    // Each result deleted twice at once, or deleted and edited at once: on PostgreSQL both writers used
    // to read it live, and both moved the run's totals.
    const answers = await Promise.all(
      hashes.flatMap((hash, i) => [
        call("DELETE", `/v1/result/TT/${run}/${hash}`),
        i % 2 === 0
          ? call("DELETE", `/v1/result/TT/${run}/${hash}`)
          : call("PATCH", `/v1/result/TT/${run}/${hash}`, { status: "passed", time_ms: 30 }),
      ]),
    );
    for (const [i, hash] of hashes.entries()) {
      const [first, second] = [answers[2 * i]?.status, answers[2 * i + 1]?.status];
      // One delete happens; the other writer finds the result gone (410) or edited it just before.
      expect([first, second].filter((s) => s === 200).length, hash).toBeGreaterThanOrEqual(1);
      if (i % 2 === 0) expect([first, second].sort(), hash).toEqual([200, 410]);
    }
    const kept = await expectExact(run);
    expect(kept.results).toBe(0);
    expect(kept.ms).toBe(0);
  });
});

describe.each(dialects)("run totals of runs stored before they were kept, on $name", (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await dialect.open({ migrate: false });
  });
  afterAll(() => store.dispose());

  it("are filled in by the migration", async () => {
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: async () => migrations },
      ...(store.schema ? { migrationTableSchema: store.schema } : {}),
    });
    const { error } = await migrator.migrateTo("0016_deleted_runs");
    expect(error).toBeUndefined();
    await sql`insert into projects (code, title, access, settings, created_at, updated_at)
      values ('OLD', 'Old', 'all', '{}', 1, 1)`.execute(store.db);
    await sql`insert into runs (project_id, id, title, status, is_autotest, tags, configurations, custom_fields,
      created_at, updated_at, results_count) values (1, 1, 'old', 0, 1, '[]', '[]', '{}', 1, 1, 3)`.execute(
      store.db,
    );
    await sql`insert into run_entries (project_id, run_id, entry_key, status, attempts, failed_attempts,
      marked_flaky, updated_at) values (1, 1, 'a', 'passed', 2, 1, 0, 1), (1, 1, 'b', 'failed', 1, 1, 0, 1),
      (1, 1, 'c', null, 0, 0, 0, 1)`.execute(store.db);
    await sql`insert into results (hash, project_id, run_id, entry_key, status, duration_ms, created_at,
      updated_at, deleted_at) values ('h1', 1, 1, 'a', 'failed', 30, 1, 1, null),
      ('h2', 1, 1, 'a', 'passed', 20, 1, 1, null), ('h3', 1, 1, 'b', 'failed', 5, 1, 1, null),
      ('h4', 1, 1, 'b', 'failed', 1000, 1, 1, 2)`.execute(store.db);
    await migrateToLatest(store);
    const { kept, counted } = await keptAndCounted(store.db, 1);
    expect(kept).toEqual(counted);
    expect(kept).toEqual({
      statuses: [
        { status: "", entries: 1, flaky: 0 },
        { status: "failed", entries: 1, flaky: 0 },
        { status: "passed", entries: 1, flaky: 1 },
      ],
      results: 3,
      ms: 55,
    });
  });
});
