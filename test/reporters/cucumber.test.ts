import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects } from "../helpers/stores.js";
import {
  all,
  type CaseOut,
  CHILD_RUN_TIMEOUT,
  latestRun,
  type One,
  projects,
  type ResultOut,
  reporterEnv,
  root,
  runChild,
  type SuiteOut,
  startVerdict,
  suitePath,
  type Verdict,
} from "./harness.js";

const project = path.join(projects, "cucumber");
const cli = path.join(root, "node_modules/@cucumber/cucumber/bin/cucumber.js");

/** `cucumber-js` with the official formatter and a retry for the @flaky scenario. */
async function cucumberRun(v: Verdict, extra: Record<string, string> = {}) {
  const res = await runChild(
    [
      cli,
      "features",
      "--import",
      "steps/steps.mjs",
      "--format",
      "cucumberjs-qase-reporter",
      "--retry",
      "1",
      "--retry-tag-filter",
      "@flaky",
    ],
    { cwd: project, env: reporterEnv(v, extra) },
  );
  expect(res.code, res.output).toBe(1);
  // The formatter holds stdout, so its own log is what we read: six results, one run completed.
  expect(res.output.match(/\[INFO\] qase: Test .+ (passed|failed|skipped)$/gm)).toHaveLength(6);
  expect(res.output, "the reporter logged an error").not.toMatch(/\[ERROR\]|Unauthorized|Unable to send/i);
  expect(res.output).toMatch(/Run \d+ completed/);
}

const sqlite = dialects.filter((d) => d.name === "sqlite");

describe.each(sqlite)("cucumberjs-qase-reporter against a listening Verdict on $name", (dialect) => {
  let v: Verdict;
  beforeAll(async () => {
    v = await startVerdict(dialect, "CU");
    const created = await v.post<One<{ id: number }>>(`/v1/case/${v.code}`, { title: "Sign in" });
    // The feature file links @QaseID=1: the first case of a new project.
    expect(created.result.id).toBe(1);
  });
  afterAll(() => v.close());

  let casesAfterFirst: CaseOut[] = [];

  it(
    "stores a completed run: statuses, gherkin steps, the attachment, feature suites, the linked case",
    async () => {
      await cucumberRun(v);
      const run = await latestRun(v);
      expect(run.status).toBe(1);
      expect(run.reporter).toMatch(/^cucumberjs-qase-reporter \d+\.\d+\.\d+/);
      expect(run.stats).toMatchObject({ total: 5, passed: 3, failed: 1, skipped: 1, flaky: 1, untested: 0 });

      const results = await all<ResultOut>(v, `/v1/result/${v.code}?run=${run.id}`);
      const one = (title: string) => results.find((r) => r.title === title);
      expect(results).toHaveLength(6);
      expect(one("Add an item")?.steps?.map((s) => [s.action, s.status])).toEqual([
        ["an empty cart", 1],
        ['I add "shirt"', 1],
        ["the cart holds 1 item", 1],
      ]);
      const coupon = one("Apply an expired coupon");
      expect(coupon?.status).toBe("failed");
      const attached = coupon?.attachments.find((a) => a.mime === "text/plain");
      const body = await fetch(`${v.base}/v1/attachment/${attached?.hash}/download`, {
        headers: { Token: v.token },
      });
      expect(await body.text()).toBe("coupon OLD10 is expired");
      expect(one("Pay by gift card")?.status).toBe("skipped");
      expect(one("Sign in")?.case_id).toBe(1);
      const session = results.filter((r) => r.title === "Remember the session");
      expect(session.map((r) => [r.attempt, r.status]).sort()).toEqual([
        [1, "failed"],
        [2, "passed"],
      ]);

      const suites = await all<SuiteOut>(v, `/v1/suite/${v.code}`);
      casesAfterFirst = await all<CaseOut>(v, `/v1/case/${v.code}`);
      expect(casesAfterFirst).toHaveLength(5);
      const pathOf = (title: string) =>
        suitePath(suites, casesAfterFirst.find((c) => c.title === title)?.suite_id ?? null);
      expect(pathOf("Add an item")).toEqual(["Cart"]);
      expect(pathOf("Remember the session")).toEqual(["Account"]);
    },
    CHILD_RUN_TIMEOUT,
  );

  it(
    "reports into an existing run (QASE_TESTOPS_RUN_ID) and matches the same cases",
    async () => {
      const existing = await v.post<One<{ id: number }>>(`/v1/run/${v.code}`, { title: "Release 1.2" });
      await cucumberRun(v, { QASE_TESTOPS_RUN_ID: String(existing.result.id) });
      const run = await latestRun(v);
      expect(run.id).toBe(existing.result.id);
      expect(run.title).toBe("Release 1.2");
      expect(run.status).toBe(1);
      expect(run.stats).toMatchObject({ total: 5, passed: 3, failed: 1, skipped: 1, flaky: 1 });
      const cases = await all<CaseOut>(v, `/v1/case/${v.code}`);
      expect(cases.map((c) => c.id).sort()).toEqual(casesAfterFirst.map((c) => c.id).sort());
    },
    CHILD_RUN_TIMEOUT,
  );
});
