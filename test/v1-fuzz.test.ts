import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller, type Reply } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { type Json, mutate, random } from "./helpers/fuzz.js";
import { dialects, rowCount } from "./helpers/stores.js";

// Scripts moved over from Qase send whatever their authors wrote. For every v1 write a script uses, a body
// with every field filled in is changed at random paths (odd types, NULs, huge strings, removed and unknown
// keys): the answer is 200 or a Qase client error, never a 500; a refused create stores nothing and a
// refused update changes nothing; and whatever was accepted reads back. FUZZ_N=700 searches deeper (60 seeds by
// default, each target).

type Body = { [k: string]: Json };

interface Ids {
  caseId: number;
  otherCaseId: number;
  suiteId: number;
  milestoneId: number;
  environmentId: number;
  runId: number;
  ownerId: number;
  sharedHash: string;
}

interface Target {
  name: string;
  method: "POST" | "PATCH";
  url: (ids: Ids) => string;
  body: (ids: Ids, seed: number) => Body;
  /** The table a create adds to (a refused one must not), or none for an update. */
  table?: "cases" | "suites" | "milestones" | "environments" | "plans" | "runs" | "results" | "defects";
  /** Where the written entity reads back from, given the answer's `result`. */
  read: (result: { id?: number; ids?: number[]; hash?: string }, ids: Ids) => string[];
}

const step = (depth: number): Json => ({
  action: `step at depth ${depth}`,
  expected_result: "it works",
  data: "a=1",
  position: 1,
  attachments: [],
  steps: depth > 1 ? [step(depth - 1)] : [],
});

const caseBody = (ids: Ids, seed: number): Body => ({
  title: `a case written by a script ${seed}`,
  description: "what it checks",
  preconditions: "logged in",
  postconditions: "logged out",
  severity: "critical",
  priority: "high",
  behavior: "positive",
  type: "functional",
  layer: "e2e",
  is_flaky: 0,
  suite_id: ids.suiteId,
  milestone_id: ids.milestoneId,
  automation: "automated",
  status: "actual",
  steps_type: "classic",
  attachments: [],
  steps: [step(3), { shared: ids.sharedHash }],
  tags: ["smoke", "checkout"],
  params: { browser: ["chromium", "firefox"] },
  custom_field: {},
});

const v1Result = (ids: Ids): Body => ({
  status: "failed",
  case_id: ids.caseId,
  start_time: 1763800000,
  time_ms: 1200,
  defect: false,
  attachments: [],
  stacktrace: "Error: expected 3\n    at checkout.spec.ts:41:23",
  comment: "one assertion failed",
  param: { browser: "chromium" },
  param_groups: [["browser"]],
  steps: [{ status: "passed", position: 1, comment: "ok", action: "open", steps: [{ status: "failed" }] }],
});

const TARGETS: Target[] = [
  {
    name: "case create",
    method: "POST",
    url: () => "/v1/case/FZ",
    body: caseBody,
    table: "cases",
    read: (r) => [`/v1/case/FZ/${r.id}`],
  },
  {
    name: "case update",
    method: "PATCH",
    url: (ids) => `/v1/case/FZ/${ids.caseId}`,
    body: caseBody,
    read: (_r, ids) => [`/v1/case/FZ/${ids.caseId}`],
  },
  {
    name: "case bulk",
    method: "POST",
    url: () => "/v1/case/FZ/bulk",
    body: (ids, seed) => ({ cases: [caseBody(ids, seed), caseBody(ids, seed + 0.5)] }),
    table: "cases",
    read: (r) => (r.ids ?? []).map((id) => `/v1/case/FZ/${id}`),
  },
  {
    name: "suite create",
    method: "POST",
    url: () => "/v1/suite/FZ",
    body: (ids, seed) => ({
      title: `suite ${seed}`,
      description: "d",
      preconditions: "p",
      parent_id: ids.suiteId,
    }),
    table: "suites",
    read: (r) => [`/v1/suite/FZ/${r.id}`],
  },
  {
    name: "milestone create",
    method: "POST",
    url: () => "/v1/milestone/FZ",
    body: (_ids, seed) => ({ title: `m ${seed}`, description: "d", status: "active", due_date: 1893456000 }),
    table: "milestones",
    read: (r) => [`/v1/milestone/FZ/${r.id}`],
  },
  {
    name: "environment create",
    method: "POST",
    url: () => "/v1/environment/FZ",
    body: (_ids, seed) => ({
      title: `env ${seed}`,
      slug: `env-${seed}`,
      description: "d",
      host: "staging.example.test",
    }),
    table: "environments",
    read: (r) => [`/v1/environment/FZ/${r.id}`],
  },
  {
    name: "plan create",
    method: "POST",
    url: () => "/v1/plan/FZ",
    body: (ids, seed) => ({
      title: `plan ${seed}`,
      description: "d",
      cases: [ids.caseId, ids.otherCaseId],
      assignments: [{ case_id: ids.caseId, assignee_id: ids.ownerId }],
    }),
    table: "plans",
    read: (r) => [`/v1/plan/FZ/${r.id}`],
  },
  {
    name: "run create",
    method: "POST",
    url: () => "/v1/run/FZ",
    body: (ids, seed) => ({
      title: `run ${seed}`,
      description: "d",
      cases: [ids.caseId, ids.otherCaseId],
      is_autotest: false,
      environment_id: ids.environmentId,
      milestone_id: ids.milestoneId,
      tags: ["nightly"],
      configurations: [],
      custom_field: {},
      start_time: "2026-11-30 10:00:00",
    }),
    table: "runs",
    read: (r) => [`/v1/run/FZ/${r.id}?include=cases`, `/v1/run/FZ/${r.id}/entries?limit=100`],
  },
  {
    name: "result create",
    method: "POST",
    url: (ids) => `/v1/result/FZ/${ids.runId}`,
    body: (ids) => v1Result(ids),
    table: "results",
    read: (r) => [`/v1/result/FZ/${r.hash}`],
  },
  {
    name: "result bulk",
    method: "POST",
    url: (ids) => `/v1/result/FZ/${ids.runId}/bulk`,
    body: (ids) => ({ results: [v1Result(ids), { ...v1Result(ids), case_id: ids.otherCaseId }] }),
    table: "results",
    read: (_r, ids) => [`/v1/run/FZ/${ids.runId}`, `/v1/result/FZ?run=${ids.runId}&limit=100`],
  },
  {
    name: "defect create",
    method: "POST",
    url: () => "/v1/defect/FZ",
    body: (ids, seed) => ({
      title: `defect ${seed}`,
      actual_result: "it broke",
      severity: "major",
      milestone_id: ids.milestoneId,
      attachments: [],
      custom_field: {},
    }),
    table: "defects",
    read: (r) => [`/v1/defect/FZ/${r.id}`],
  },
  {
    name: "shared step create",
    method: "POST",
    url: () => "/v1/shared_step/FZ",
    body: (_ids, seed) => ({ title: `shared ${seed}`, steps: [step(2), step(1)] }),
    read: (r) => [`/v1/shared_step/FZ/${r.hash}`],
  },
];

const SEEDS = Number(process.env.FUZZ_N ?? 60);

describe.each(dialects)("v1 writes survive malformed input on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let ids: Ids;
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const count = (table: NonNullable<Target["table"]>) => rowCount(t.store, table);
  const created = async (url: string, body: Body) => {
    const res = await call("POST", url, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.result;
  };

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("FZ", owner);
    token = await t.token(owner);
    const suiteId = (await created("/v1/suite/FZ", { title: "Checkout" })).id;
    const milestoneId = (await created("/v1/milestone/FZ", { title: "1.0" })).id;
    const environmentId = (await created("/v1/environment/FZ", { title: "Staging", slug: "staging" })).id;
    const sharedHash = (await created("/v1/shared_step/FZ", { title: "Log in", action: "log in" })).hash;
    const caseId = (await created("/v1/case/FZ", { title: "Pays", suite_id: suiteId })).id;
    const otherCaseId = (await created("/v1/case/FZ", { title: "Refunds", suite_id: suiteId })).id;
    const runId = (await created("/v1/run/FZ", { title: "Manual run", cases: [caseId, otherCaseId] })).id;
    ids = {
      caseId,
      otherCaseId,
      suiteId,
      milestoneId,
      environmentId,
      runId,
      ownerId: owner.id,
      sharedHash,
    };
  });
  afterAll(async () => t?.close());

  const expectClientAnswer = (res: Reply, what: string) => {
    expect([200, 400, 404, 413, 422], `${what}: ${JSON.stringify(res.body).slice(0, 500)}`).toContain(
      res.status,
    );
    if (res.status !== 200) {
      expect(res.body.status, what).toBe(false);
      expect(res.body.errorMessage, what).toEqual(expect.any(String));
    }
  };

  it.each(TARGETS)(
    "$name: 200 or a client error, nothing half written, the accepted reads back",
    async (target) => {
      const answers = new Map<number, number>();
      for (let seed = 1; seed <= SEEDS; seed++) {
        const rnd = random(seed * 7919 + target.name.length);
        const body = target.body(ids, seed);
        const changes = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => mutate(body, rnd));
        const what = `${target.name}, seed ${seed}: ${changes.join(", ")}`;
        const before = target.table ? await count(target.table) : null;
        const shown = target.table ? [] : await Promise.all(target.read({}, ids).map((u) => call("GET", u)));
        const res = await call(target.method, target.url(ids), body);
        expectClientAnswer(res, what);
        answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
        if (res.status === 200) {
          if (target.table) expect(await count(target.table), what).toBeGreaterThan(before as number);
          for (const url of target.read(res.body.result ?? {}, ids)) {
            const back = await call("GET", url);
            expect(back.status, `${what}: GET ${url}: ${JSON.stringify(back.body).slice(0, 300)}`).toBe(200);
          }
        } else if (target.table) {
          expect(await count(target.table), what).toBe(before);
        } else {
          const after = await Promise.all(target.read({}, ids).map((u) => call("GET", u)));
          expect(
            after.map((r) => r.body),
            what,
          ).toEqual(shown.map((r) => r.body));
        }
      }
      // The mutations reach both outcomes, or the test proves nothing about either.
      expect(answers.get(200) ?? 0, target.name).toBeGreaterThan(5);
      expect(SEEDS - (answers.get(200) ?? 0), target.name).toBeGreaterThan(5);
    },
  );
});
