import path from "node:path";
import { expect } from "vitest";
import { projects, reporterEnv, root, runChild, type Verdict } from "./harness.js";

/** Where the Playwright fixture project lives; the tests read its files to know what it reports. */
export const playwrightProject = path.join(projects, "playwright");
const playwrightCli = path.join(root, "node_modules/@playwright/test/cli.js");

/** The reporter's log must show no failed call: such errors do not change Playwright's exit code. */
export function expectNoReporterError(output: string) {
  expect(output, "the reporter logged an error").not.toMatch(/\[ERROR\]|Unauthorized|Unable to send/i);
}

/**
 * Runs the fixture project with `playwright test` and the official reporter, as a user's CI would,
 * configured only through the reporter's documented QASE_* environment (`extra` may override it).
 */
export async function playwrightRun(v: Verdict, linkedCase: number, extra: Record<string, string> = {}) {
  const res = await runChild(
    [playwrightCli, "test", "--config", path.join(playwrightProject, "playwright.config.ts")],
    {
      cwd: playwrightProject,
      env: reporterEnv(v, {
        VERDICT_LINKED_CASE_ID: String(linkedCase),
        VERDICT_PW_OUTPUT_DIR: path.join(v.scratch, "pw-output"),
        ...extra,
      }),
    },
  );
  // One test fails on purpose, so Playwright exits 1; anything else means it did not run.
  expect(res.code, res.output).toBe(1);
  expect(res.output, res.output).toMatch(/1 failed[\s\S]*1 flaky[\s\S]*1 skipped[\s\S]*2 passed/);
  expectNoReporterError(res.output);
  return res.output;
}
