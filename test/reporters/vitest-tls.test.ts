import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects } from "../helpers/stores.js";
import { expectNoReporterError } from "./framework-runs.js";
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

/**
 * vitest-qase-reporter 1.4 is built on qase-javascript-commons 2.7, which ignores a scheme in
 * QASE_TESTOPS_API_HOST and always calls https://api-<host>/v1 and /v2. So Verdict serves HTTPS with a
 * test certificate for api-verdict.test, and the reporter's process (only it) trusts that certificate
 * (NODE_EXTRA_CA_CERTS) and resolves the name to 127.0.0.1 (a --require preload).
 */
const project = path.join(projects, "vitest");
const cli = path.join(root, "node_modules/vitest/vitest.mjs");
const tls = path.join(root, "test/fixtures/tls");

async function vitestRun(v: Verdict) {
  const port = new URL(v.base).port;
  const res = await runChild([cli, "run", "--config", path.join(project, "vitest.config.ts")], {
    cwd: project,
    env: reporterEnv(v, {
      QASE_TESTOPS_API_HOST: `verdict.test:${port}`,
      NODE_EXTRA_CA_CERTS: path.join(tls, "api-verdict.test.crt"),
      NODE_OPTIONS: `--require "${path.join(project, "resolve-host.cjs")}"`,
      VERDICT_TEST_HOSTS: "api-verdict.test=127.0.0.1",
    }),
  });
  expect(res.code, res.output).toBe(1);
  expect(res.output, res.output).toMatch(/Tests\s+1 failed \| 2 passed \| 1 skipped/);
  expectNoReporterError(res.output);
  expect(res.output).toMatch(/Run \d+ completed/);
}

const sqlite = dialects.filter((d) => d.name === "sqlite");

describe.each(sqlite)(
  "vitest-qase-reporter (commons 2.7) over HTTPS as api-verdict.test on $name",
  (dialect) => {
    let v: Verdict;
    beforeAll(async () => {
      v = await startVerdict(dialect, "VI", {
        env: {
          VERDICT_TLS_CERT: path.join(tls, "api-verdict.test.crt"),
          VERDICT_TLS_KEY: path.join(tls, "api-verdict.test.key"),
        },
      });
      expect(v.base).toMatch(/^https:/);
      const created = await v.post<One<{ id: number }>>(`/v1/case/${v.code}`, { title: "Sign in" });
      expect(created.result.id).toBe(1); // the spec links case 1
    });
    afterAll(() => v.close());

    let casesAfterFirst: CaseOut[] = [];

    it(
      "stores a completed run with statuses, steps, the attachment, suites and the linked case",
      async () => {
        await vitestRun(v);
        const run = await latestRun(v);
        expect(run.status).toBe(1);
        expect(run.reporter).toMatch(/^vitest-qase-reporter \d+\.\d+\.\d+/);
        expect(run.stats).toMatchObject({ total: 4, passed: 2, failed: 1, skipped: 1 });
        const results = await all<ResultOut>(v, `/v1/result/${v.code}?run=${run.id}`);
        const one = (title: string) => results.find((r) => r.title === title);
        expect(one("adds an item")?.steps?.map((s) => s.action)).toEqual(["open the cart", "add the item"]);
        const coupon = one("applies a coupon");
        expect(coupon?.status).toBe("failed");
        const attached = coupon?.attachments.find((a) => a.filename === "coupon.txt");
        expect(await v.download(attached?.hash)).toBe("coupon SAVE10 rejected");
        expect(one("pays by invoice")?.status).toBe("skipped");
        expect(one("signs in")?.case_id).toBe(1);

        const suites = await all<SuiteOut>(v, `/v1/suite/${v.code}`);
        casesAfterFirst = await all<CaseOut>(v, `/v1/case/${v.code}`);
        expect(casesAfterFirst).toHaveLength(4);
        const adds = casesAfterFirst.find((c) => c.title === "adds an item");
        expect(suitePath(suites, adds?.suite_id ?? null).at(-1)).toBe("Cart");
      },
      CHILD_RUN_TIMEOUT,
    );

    it(
      "matches the same cases on a second run",
      async () => {
        await vitestRun(v);
        const cases = await all<CaseOut>(v, `/v1/case/${v.code}`);
        expect(cases.map((c) => c.id).sort()).toEqual(casesAfterFirst.map((c) => c.id).sort());
      },
      CHILD_RUN_TIMEOUT,
    );
  },
);
