import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects } from "../helpers/stores.js";
import { playwrightRun, playwrightProject as project } from "./framework-runs.js";
import {
  all,
  type CaseOut,
  CHILD_RUN_TIMEOUT,
  latestRun,
  type One,
  type ResultOut,
  type RunOut,
  type SuiteOut,
  startVerdict,
  suitePath,
  type Verdict,
} from "./harness.js";

describe.each(dialects)("playwright-qase-reporter against a listening Verdict on $name", (dialect) => {
  let v: Verdict;
  let linked: CaseOut;

  beforeAll(async () => {
    v = await startVerdict(dialect, "PW");
    const created = await v.post<One<{ id: number }>>(`/v1/case/${v.code}`, { title: "Pay by card" });
    linked = { id: created.result.id, title: "Pay by card", suite_id: null, automation: 0 };
    await v.post(`/v1/environment/${v.code}`, { title: "Staging", slug: "staging" });
  });
  afterAll(() => v.close());

  let firstRun: RunOut;
  let casesAfterFirst: CaseOut[];

  it(
    "stores a completed run with exact stats, steps, an attachment, suites and the linked case",
    async () => {
      await playwrightRun(v, linked.id, {
        QASE_ENVIRONMENT: "staging",
        QASE_TESTOPS_RUN_TITLE: "Nightly 42",
      });
      const run = await latestRun(v);
      firstRun = run;
      expect(run.status).toBe(1);
      expect(run.title).toBe("Nightly 42");
      expect(run.environment?.slug).toBe("staging");
      expect(run.is_autotest).toBe(true);
      expect(run.reporter).toMatch(/^playwright-qase-reporter \d+\.\d+\.\d+/);
      expect(run.stats).toMatchObject({ total: 5, passed: 3, failed: 1, skipped: 1, flaky: 1, untested: 0 });

      const results = await all<ResultOut>(v, `/v1/result/${v.code}?run=${run.id}`);
      const byTitle = (title: string) => results.filter((r) => r.title === title);
      expect(results.map((r) => r.title).sort()).toEqual([
        "adds an item",
        "applies a coupon",
        "pays by card",
        "pays by invoice",
        "quotes a delivery date",
        "quotes a delivery date",
      ]);

      const [added] = byTitle("adds an item");
      expect(added?.status).toBe("passed");
      expect(added?.steps?.map((s) => s.action)).toEqual(["open the cart", "add the item"]);
      expect(added?.steps?.[1]?.steps.map((s) => s.action)).toEqual(["pick a size"]);

      const [coupon] = byTitle("applies a coupon");
      expect(coupon?.status).toBe("failed");
      expect(coupon?.stacktrace ?? coupon?.comment ?? "").toContain("the coupon should take 20 off");
      // Playwright adds its own error-context.md to failed tests; ours is the text attachment.
      const attached = coupon?.attachments.find((a) => a.filename === "coupon.txt");
      expect(attached?.mime).toBe("text/plain");
      const download = await fetch(`${v.base}/v1/attachment/${attached?.hash}/download`, {
        headers: { Token: v.token },
      });
      expect(download.status).toBe(200);
      expect(await download.text()).toBe("coupon SAVE10 rejected");

      expect(byTitle("pays by card")[0]?.case_id).toBe(linked.id);
      expect(byTitle("pays by invoice")[0]?.status).toBe("skipped");

      const retried = byTitle("quotes a delivery date").sort((a, b) => a.attempt - b.attempt);
      expect(retried.map((r) => [r.attempt, r.status])).toEqual([
        [1, "failed"],
        [2, "passed"],
      ]);
      expect(retried[0]?.case_id).toBe(retried[1]?.case_id);

      // Cases were created under suites mirroring file and describe blocks.
      const suites = await all<SuiteOut>(v, `/v1/suite/${v.code}`);
      const cases = await all<CaseOut>(v, `/v1/case/${v.code}`);
      casesAfterFirst = cases;
      expect(cases).toHaveLength(5);
      const pathOf = (title: string) => {
        const c = cases.find((x) => x.title === title);
        return c ? suitePath(suites, c.suite_id) : undefined;
      };
      expect(pathOf("adds an item")).toEqual(["checkout.spec.ts", "Checkout", "Cart"]);
      expect(pathOf("quotes a delivery date")).toEqual(["checkout.spec.ts", "Checkout", "Shipping"]);
      expect(pathOf("pays by invoice")).toEqual(["checkout.spec.ts", "Checkout"]);
      expect(cases.find((c) => c.id === linked.id)?.title).toBe("Pay by card");
      for (const r of results) expect(cases.map((c) => c.id)).toContain(r.case_id);
    },
    CHILD_RUN_TIMEOUT,
  );

  it(
    "matches the same cases on a second run, creating none",
    async () => {
      await playwrightRun(v, linked.id);
      const run = await latestRun(v);
      expect(run.id).not.toBe(firstRun.id);
      expect(run.status).toBe(1);
      expect(run.stats).toMatchObject({ total: 5, passed: 3, failed: 1, skipped: 1, flaky: 1 });
      const cases = await all<CaseOut>(v, `/v1/case/${v.code}`);
      expect(cases.map((c) => c.id).sort()).toEqual(casesAfterFirst.map((c) => c.id).sort());
      const first = await all<ResultOut>(v, `/v1/result/${v.code}?run=${firstRun.id}`);
      const second = await all<ResultOut>(v, `/v1/result/${v.code}?run=${run.id}`);
      const caseOf = (rs: ResultOut[]) => Object.fromEntries(rs.map((r) => [r.title, r.case_id]));
      expect(caseOf(second)).toEqual(caseOf(first));
      expect(fs.existsSync(path.join(project, "test-results"))).toBe(false);
    },
    CHILD_RUN_TIMEOUT,
  );
});
