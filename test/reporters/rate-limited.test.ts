import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dialects } from "../helpers/stores.js";
import { playwrightRun } from "./framework-runs.js";
import {
  all,
  CHILD_RUN_TIMEOUT,
  latestRun,
  type One,
  type ResultOut,
  startVerdict,
  type Verdict,
} from "./harness.js";
import { type FaultyProxy, startProxy } from "./proxy.js";

const isResults = (url = "") => /^\/v2\/[A-Z0-9]+\/run\/\d+\/results$/.test(url);
const isUpload = (url = "") => /^\/v1\/attachment\/[A-Z0-9]+$/.test(url);

/** Results of the run, each once: 5 tests, one of them reported twice (failed, then passed on retry). */
async function expectEveryResultOnce(v: Verdict) {
  const run = await latestRun(v);
  expect(run.status).toBe(1);
  expect(run.stats).toMatchObject({ total: 5, passed: 3, failed: 1, skipped: 1, flaky: 1 });
  const results = await all<ResultOut>(v, `/v1/result/${v.code}?run=${run.id}`);
  expect(results.map((r) => `${r.title}#${r.attempt}`).sort()).toEqual([
    "adds an item#1",
    "applies a coupon#1",
    "pays by card#1",
    "pays by invoice#1",
    "quotes a delivery date#1",
    "quotes a delivery date#2",
  ]);
  const coupon = results.find((r) => r.title === "applies a coupon");
  expect(coupon?.attachments.map((a) => a.filename)).toContain("coupon.txt");
}

const sqlite = dialects.filter((d) => d.name === "sqlite");

describe.each(sqlite)("the official reporter when Verdict pushes back ($name)", (dialect) => {
  let v: Verdict;
  let proxy: FaultyProxy | undefined;
  let linked = 0;
  beforeAll(async () => {
    v = await startVerdict(dialect, "RL");
    linked = (await v.post<One<{ id: number }>>(`/v1/case/${v.code}`, { title: "Pay by card" })).result.id;
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });
  afterAll(() => v.close());

  it(
    "waits for Retry-After after a 429 on results and on uploads, then stores every result once",
    async () => {
      let results = 0;
      let uploads = 0;
      // Retry-After 2 s: longer than the reporter's own first backoff (1 s plus jitter), so the
      // gap below shows that the header was honoured.
      const tooMany = { kind: "answer", status: 429, headers: { "retry-after": "2" } } as const;
      proxy = await startProxy(v.base, (req) => {
        if (req.method === "POST" && isResults(req.url) && ++results === 1) return tooMany;
        if (req.method === "POST" && isUpload(req.url) && ++uploads === 1) return tooMany;
        return { kind: "forward" };
      });
      // Batches of 2 so that the 429 lands mid-run, while later tests are still running.
      await playwrightRun(v, linked, { QASE_TESTOPS_API_HOST: proxy.base, QASE_TESTOPS_BATCH_SIZE: "2" });

      const posts = proxy.seen.filter((s) => s.method === "POST" && isResults(s.url));
      expect(posts.map((s) => s.status)).toEqual([429, 202, 202, 202]);
      expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1900);
      const sent = proxy.seen.filter((s) => s.method === "POST" && isUpload(s.url));
      expect(sent[0]?.status).toBe(429);
      expect(sent.slice(1).every((s) => s.status === 200)).toBe(true);
      expect(proxy.seen.at(-1)?.url).toMatch(/^\/v1\/run\/RL\/\d+\/complete$/);
      await expectEveryResultOnce(v);
    },
    CHILD_RUN_TIMEOUT,
  );

  it(
    "stores nothing twice when a batch went through but its answer was lost (503)",
    async () => {
      let results = 0;
      proxy = await startProxy(v.base, (req) => {
        if (req.method === "POST" && isResults(req.url) && ++results === 1)
          return { kind: "forward-then-answer", status: 503, headers: { "retry-after": "1" } };
        return { kind: "forward" };
      });
      await playwrightRun(v, linked, { QASE_TESTOPS_API_HOST: proxy.base, QASE_TESTOPS_BATCH_SIZE: "2" });
      const posts = proxy.seen.filter((s) => s.method === "POST" && isResults(s.url));
      expect(posts.map((s) => s.status)).toEqual([503, 202, 202, 202]);
      await expectEveryResultOnce(v);
    },
    CHILD_RUN_TIMEOUT,
  );
});
