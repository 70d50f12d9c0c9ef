import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller, type Reply } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { type Json, mutate, random } from "./helpers/fuzz.js";
import { dialects, rowCount } from "./helpers/stores.js";

// Reporters send what their frameworks hand them: odd titles, missing fields, wrong types, huge values.
// Whatever a v2 result holds, Verdict answers 202 or a client error naming the problem, never a 500; a
// refused batch stores nothing (no result, no case); and whatever it accepted reads back.

/** A v2 result with every field the reporters send filled in, steps nested two deep. */
function fullResult(id: string, caseId: number): { [k: string]: Json } {
  const step = (action: string, nested: Json[] = []): Json => ({
    data: { action, expected_result: "it works", input_data: "a=1", attachments: [] },
    execution: {
      status: "passed",
      start_time: 1763800000.5,
      end_time: 1763800001,
      duration: 500,
      comment: "ok",
      attachments: [],
    },
    steps: nested,
  });
  return {
    id,
    title: `checkout keeps the basket ${id}`,
    signature: `e2e/checkout.spec.ts::checkout::${id}`,
    testops_id: null,
    testops_ids: null,
    execution: {
      status: "failed",
      start_time: 1763800000.25,
      end_time: 1763800001.5,
      duration: 1250,
      stacktrace: "Error: expected 3\n    at checkout.spec.ts:41:23",
      error_context: "page snapshot",
      thread: "worker-1",
    },
    fields: {
      author: "qa@example.test",
      description: "The basket survives a retried payment.",
      preconditions: "logged in",
      postconditions: "basket emptied",
      layer: "e2e",
      severity: "critical",
      priority: "high",
      behavior: "positive",
      type: "functional",
      muted: "false",
      is_flaky: "false",
      tags: "smoke, checkout",
      executed_by: "ci",
      custom_team: "payments",
    },
    attachments: [],
    steps: [step("open the shop"), step("pay", [step("enter the card")])],
    steps_type: "classic",
    params: { browser: "chromium" },
    param_groups: [["browser"]],
    relations: { suite: { data: [{ title: "e2e", public_id: null }, { title: "checkout" }] } },
    message: "one assertion failed",
    defect: false,
    ...(caseId > 0 && id.endsWith("7") ? { testops_id: caseId } : {}),
  };
}

/** References to a case or an attachment that do not exist, and the field a 422 must name. */
const UNKNOWN: { field: string; change: (r: { [k: string]: Json }, caseId: number) => void }[] = [
  { field: "results.2.testops_id", change: (r) => Object.assign(r, { testops_id: 999_999 }) },
  {
    field: "results.2.testops_ids",
    change: (r, caseId) => Object.assign(r, { testops_id: null, testops_ids: [caseId, 999_998] }),
  },
  { field: "results.2.attachments", change: (r) => Object.assign(r, { attachments: ["a".repeat(40)] }) },
  {
    field: "results.2.attachments",
    change: (r) => {
      const step = (r.steps as { execution: { attachments: Json } }[])[0];
      if (step) step.execution.attachments = ["b".repeat(40)];
    },
  },
];

describe.each(dialects)("v2 results survive malformed input on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let caseId = 0;
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  const count = (table: "results" | "cases") => rowCount(t.store, table);

  /** A refusal is a Qase error body with a message; anything else must be the 202 of success. */
  const expectClientAnswer = (res: Reply, what: string) => {
    expect([202, 400, 413, 422], `${what}: ${JSON.stringify(res.body).slice(0, 500)}`).toContain(res.status);
    if (res.status !== 202) {
      expect(res.body.status, what).toBe(false);
      expect(res.body.errorMessage, what).toEqual(expect.any(String));
    }
  };

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("FZ", owner);
    token = await t.token(owner);
    caseId = (await call("POST", "/v1/case/FZ", { title: "Linked by id" })).body.result.id;
  });
  afterAll(async () => t?.close());

  it("a batch with one malformed result is stored whole or not at all, and what is stored reads back", async () => {
    const run = (await call("POST", "/v1/run/FZ", { title: "fuzz", is_autotest: true })).body.result.id;
    const answers = new Map<number, number>();
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = random(seed);
      const results = [0, 1, 2].map((k) => fullResult(`s${seed}-${k}${k === 1 ? "7" : ""}`, caseId));
      const changes = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () =>
        mutate(results[1] as { [k: string]: Json }, rnd),
      );
      // Well formed but naming what does not exist: refused after the schema, by the matcher.
      const unknown = rnd() < 0.25 ? UNKNOWN[Math.floor(rnd() * UNKNOWN.length)] : undefined;
      unknown?.change(results[2] as { [k: string]: Json }, caseId);
      // Or a client id twice in one batch: the repeat is not stored again.
      if (!unknown && rnd() < 0.1) (results[2] as { id: Json }).id = (results[0] as { id: Json }).id;
      const what = `seed ${seed}: ${changes.join(", ")}`;
      const [resultsBefore, casesBefore] = [await count("results"), await count("cases")];
      const res = await call("POST", `/v2/FZ/run/${run}/results`, { results });
      expectClientAnswer(res, what);
      answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
      if (unknown) {
        expect(res.status, what).toBe(422);
        // Unless the schema refused the mutated result first, the matcher names the unknown reference.
        const fields: string[] = res.body.errorFields.map((f: { field: string }) => f.field);
        if (!fields.some((f) => f.startsWith("results.1."))) expect(fields, what).toContain(unknown.field);
      }
      if (res.status === 202) {
        expect(await count("results"), what).toBeGreaterThan(resultsBefore);
      } else {
        expect(await count("results"), what).toBe(resultsBefore);
        expect(await count("cases"), what).toBe(casesBefore);
      }
    }
    // The mutations reach both outcomes, or the test proves nothing about either.
    expect(answers.get(202)).toBeGreaterThan(10);
    expect((answers.get(422) ?? 0) + (answers.get(400) ?? 0)).toBeGreaterThan(10);

    // Everything accepted reads back: the run, its lines, its results and each result by hash.
    expect((await call("GET", `/v1/run/FZ/${run}?include=cases`)).status).toBe(200);
    for (let offset = 0; ; offset += 100) {
      const page = await call("GET", `/v1/run/FZ/${run}/entries?limit=100&offset=${offset}`);
      expect(page.status, JSON.stringify(page.body).slice(0, 300)).toBe(200);
      if (page.body.result.entities.length < 100) break;
    }
    const hashes: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await call("GET", `/v1/result/FZ?run=${run}&limit=100&offset=${offset}`);
      expect(page.status, JSON.stringify(page.body).slice(0, 300)).toBe(200);
      hashes.push(...page.body.result.entities.map((e: { hash: string }) => e.hash));
      if (page.body.result.entities.length < 100) break;
    }
    expect(hashes.length).toBe(await count("results"));
    for (const hash of hashes) {
      const one = await call("GET", `/v1/result/FZ/${hash}`);
      expect(one.status, hash).toBe(200);
    }
  });

  it("a single malformed result gets 202 with its hash or a client error, and its hash reads back", async () => {
    const run = (await call("POST", "/v1/run/FZ", { title: "fuzz one", is_autotest: true })).body.result.id;
    for (let seed = 1001; seed <= 1200; seed++) {
      const rnd = random(seed);
      const r = fullResult(`o${seed}`, caseId);
      const what = `seed ${seed}: ${mutate(r, rnd)}`;
      const before = await count("results");
      const res = await call("POST", `/v2/FZ/run/${run}/result`, r);
      expectClientAnswer(res, what);
      if (res.status !== 202) {
        expect(await count("results"), what).toBe(before);
        continue;
      }
      const { hash } = res.body.result;
      expect(hash, what).toMatch(/^[0-9a-f]{40}$/);
      expect((await call("GET", `/v1/result/FZ/${hash}`)).status, what).toBe(200);
    }
  });
});
