import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller, type Reply } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { random } from "./helpers/fuzz.js";
import { keptAndCounted } from "./helpers/run-totals.js";
import { dialects } from "./helpers/stores.js";

// CI pipelines write into one project at once: shards post batches into the same run, a reporter retries
// a batch that timed out while the first attempt is still being stored, someone deletes a case, a suite
// or the run meanwhile. Whatever the interleaving, every answer is a success or a client error; what is
// kept beside the rows (run stats and time, the live-case counter, project counts) equals a count of the
// rows; one test never becomes two live cases; and every accepted result is stored exactly once.
// Each wave sends a seeded mix of operations at the same time; the checks run between waves.

const WAVES = Number(process.env.FUZZ_N ?? 0) || 30;
const SEEDS = [1, 2, 3];
const WIDTH = 8;
const TESTS = 24;
const STATUSES = ["passed", "failed", "skipped", "blocked", "invalid", "passed", "passed"];

interface RunModel {
  id: number;
  /** v2 result ids (idempotency keys) a 202 accepted: each must be stored once. */
  keys: Set<string>;
  batches: object[][];
  /** Hashes of v1 results created one by one, and those a delete answered 200 for. */
  v1: string[];
  v1Deleted: Set<string>;
  /** v1 results created in bulk (their hashes are not answered). */
  v1Bulk: number;
}

interface Op {
  what: string;
  send(): Promise<Reply>;
  /** Applied to the model when the answer is a success. */
  done?(r: Reply): void;
}

describe.each(dialects)("concurrent writers on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    token = await t.token(owner);
    for (const seed of SEEDS) await t.project(`CC${"ABC"[seed - 1]}`, owner);
  });
  afterAll(() => t.close());

  /** A v2 result for test k: even tests carry a signature, odd ones match by title in their suite path. */
  const v2 = (key: string, k: number, rnd: () => number) => ({
    id: key,
    title: `concurrent test ${k}`,
    ...(k % 2 === 0 ? { signature: `conc/spec.ts::${k}` } : {}),
    execution: {
      status: STATUSES[Math.floor(rnd() * STATUSES.length)],
      duration: Math.floor(rnd() * 1000),
    },
    relations: { suite: { data: [{ title: "Concurrent" }, { title: `part ${k % 3}` }] } },
    ...(k % 5 === 0 ? { params: { browser: rnd() < 0.5 ? "chromium" : "firefox" } } : {}),
    ...(rnd() < 0.05 ? { fields: { is_flaky: "true" } } : {}),
  });

  async function liveIds(code: string, table: "cases" | "suites") {
    const rows = await t.ctx.db
      .selectFrom(table)
      .innerJoin("projects", "projects.id", `${table}.project_id`)
      .select(`${table}.id as id`)
      .where("projects.code", "=", code)
      .where(`${table}.deleted_at`, "is", null)
      .execute();
    return rows.map((r) => Number(r.id));
  }

  async function projectId(code: string) {
    const p = await t.ctx.db
      .selectFrom("projects")
      .select("id")
      .where("code", "=", code)
      .executeTakeFirstOrThrow();
    return Number(p.id);
  }

  /** Everything kept beside the rows equals a count of them; no test is two live cases. */
  async function expectConsistent(code: string, runs: RunModel[], where: string) {
    const pid = await projectId(code);
    const liveRuns = new Set(
      (
        await t.ctx.db
          .selectFrom("runs")
          .select("id")
          .where("project_id", "=", pid)
          .where("deleted_at", "is", null)
          .execute()
      ).map((r) => Number(r.id)),
    );
    for (const run of runs) {
      if (!liveRuns.has(run.id)) continue;
      const { kept, counted } = await keptAndCounted(t.ctx.db, run.id, pid);
      expect(kept, `${where}: run ${run.id} kept stats`).toEqual(counted);
      const v1 = run.v1.filter((h) => !run.v1Deleted.has(h)).length;
      expect(counted.results, `${where}: run ${run.id} results stored`).toBe(run.keys.size + v1 + run.v1Bulk);
    }
    const cases = await liveIds(code, "cases");
    const shown = (await call("GET", `/v1/project/${code}`)).body.result.counts;
    const active = await t.ctx.db
      .selectFrom("runs")
      .select("id")
      .where("project_id", "=", pid)
      .where("deleted_at", "is", null)
      .where("status", "=", 0)
      .execute();
    const suites = await liveIds(code, "suites");
    expect(shown, `${where}: project counts`).toMatchObject({
      cases: cases.length,
      suites: suites.length,
      runs: { total: liveRuns.size, active: active.length },
    });
    const twice = await t.ctx.db
      .selectFrom("cases")
      .select(["signature", "suite_id", "title", (eb) => eb.fn.countAll<number>().as("n")])
      .where("project_id", "=", pid)
      .where("deleted_at", "is", null)
      .where("title", "like", "concurrent test %")
      .groupBy(["signature", "suite_id", "title"])
      .having(sql`count(*)`, ">", 1)
      .execute();
    expect(twice, `${where}: tests stored as two live cases`).toEqual([]);
  }

  it.each(SEEDS)(
    "answers every interleaving with a success or a client error and keeps every count exact (seed %i)",
    async (seed) => {
      const code = `CC${"ABC"[seed - 1]}`;
      const rnd = random(seed);
      const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rnd() * xs.length)];
      let next = 0;
      const runs: RunModel[] = [];
      const newRun = async (body: object) => {
        const r = await call("POST", `/v1/run/${code}`, { title: `run ${runs.length}`, ...body });
        if (r.status === 200)
          runs.push({
            id: r.body.result.id,
            keys: new Set(),
            batches: [],
            v1: [],
            v1Deleted: new Set(),
            v1Bulk: 0,
          });
        return r;
      };
      expect((await newRun({ is_autotest: true })).status).toBe(200);

      for (let wave = 0; wave < WAVES; wave++) {
        const cases = await liveIds(code, "cases");
        const suites = await liveIds(code, "suites");
        const ops: Op[] = [];
        while (ops.length < WIDTH) {
          const run = pick(runs) as RunModel;
          const roll = rnd();
          if (roll < 0.35) {
            const batch = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => {
              // One result in ten repeats a key already sent to this run (a retried result).
              const old = rnd() < 0.1 ? pick([...run.keys]) : undefined;
              return v2(old ?? `r${++next}`, Math.floor(rnd() * TESTS), rnd);
            });
            const op: Op = {
              what: `batch of ${batch.length} into run ${run.id}`,
              send: () => call("POST", `/v2/${code}/run/${run.id}/results`, { results: batch }),
              done: () => {
                for (const r of batch) run.keys.add(r.id);
                run.batches.push(batch);
              },
            };
            ops.push(op);
            // The same batch again while the first is in flight: a reporter's retry after a timeout.
            if (rnd() < 0.3) ops.push({ ...op, what: `${op.what}, sent twice at once` });
          } else if (roll < 0.45) {
            const batch = pick(run.batches);
            if (batch)
              ops.push({
                what: `retry of a stored batch into run ${run.id}`,
                send: () => call("POST", `/v2/${code}/run/${run.id}/results`, { results: batch }),
              });
          } else if (roll < 0.55) {
            const caseId = pick(cases);
            if (caseId !== undefined)
              ops.push({
                what: `v1 result for case ${caseId} in run ${run.id}`,
                send: () =>
                  call("POST", `/v1/result/${code}/${run.id}`, {
                    case_id: caseId,
                    status: pick(["passed", "failed", "blocked"]),
                    time_ms: 10,
                  }),
                done: (r) => run.v1.push(r.body.result.hash),
              });
          } else if (roll < 0.6) {
            const ids = [pick(cases), pick(cases)].filter((c) => c !== undefined);
            if (ids.length > 0)
              ops.push({
                what: `v1 bulk of ${ids.length} into run ${run.id}`,
                send: () =>
                  call("POST", `/v1/result/${code}/${run.id}/bulk`, {
                    results: ids.map((case_id) => ({ case_id, status: "failed", time_ms: 5 })),
                  }),
                done: () => {
                  run.v1Bulk += ids.length;
                },
              });
          } else if (roll < 0.68) {
            const hash = pick(run.v1.filter((h) => !run.v1Deleted.has(h)));
            if (hash) {
              // Deleted twice at once: one delete happens, the counts move once.
              for (let i = 0; i < (rnd() < 0.5 ? 2 : 1); i++)
                ops.push({
                  what: `delete of v1 result ${hash} in run ${run.id}`,
                  send: () => call("DELETE", `/v1/result/${code}/${run.id}/${hash}`),
                  done: () => run.v1Deleted.add(hash),
                });
            }
          } else if (roll < 0.72) {
            const hash = pick(run.v1);
            if (hash)
              ops.push({
                what: `edit of v1 result ${hash} in run ${run.id}`,
                send: () =>
                  call("PATCH", `/v1/result/${code}/${run.id}/${hash}`, {
                    status: pick(STATUSES),
                    time_ms: 30,
                  }),
              });
          } else if (roll < 0.8) {
            const caseId = pick(cases);
            if (caseId !== undefined)
              ops.push({
                what: `delete of case ${caseId}`,
                send: () => call("DELETE", `/v1/case/${code}/${caseId}`),
              });
          } else if (roll < 0.84) {
            const suiteId = pick(suites);
            if (suiteId !== undefined)
              ops.push({
                what: `delete of suite ${suiteId}`,
                send: () => call("DELETE", `/v1/suite/${code}/${suiteId}`),
              });
          } else if (roll < 0.88) {
            ops.push({
              what: "case created by hand",
              send: () =>
                call("POST", `/v1/case/${code}`, {
                  title: `manual ${++next}`,
                  suite_id: pick(suites) ?? null,
                }),
            });
          } else if (roll < 0.93) {
            ops.push({
              what: `completion of run ${run.id}`,
              send: () => call("POST", `/v1/run/${code}/${run.id}/complete`),
            });
          } else if (roll < 0.96) {
            ops.push({
              what: `delete of run ${run.id}`,
              send: () => call("DELETE", `/v1/run/${code}/${run.id}`),
            });
          } else {
            const chosen = cases.filter(() => rnd() < 0.3);
            ops.push({
              what: `run created with ${chosen.length} cases`,
              send: async () => {
                await newRun(chosen.length > 0 ? { cases: chosen } : { is_autotest: true });
                return { status: 200, body: null };
              },
            });
          }
        }
        const answers = await Promise.all(ops.map((op) => op.send()));
        answers.forEach((r, i) => {
          const op = ops[i] as Op;
          expect(r.status, `seed ${seed} wave ${wave}: ${op.what}: ${JSON.stringify(r.body)}`).toBeLessThan(
            500,
          );
          if (r.status < 300) op.done?.(r);
        });
        // A failure names the wave's operations and answers: what ran at once.
        const sent = ops.map((op, i) => `\n  ${op.what}: ${answers[i]?.status}`).join("");
        await expectConsistent(code, runs, `seed ${seed} wave ${wave}${sent}\n`);
      }
    },
  );
});
