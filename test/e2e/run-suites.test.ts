import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserReady, pick, SLOW, shoot, useBrowserApp } from "./browser.js";

/** The header row of a suite's row group: its first row. */
function headerOf(group: Locator): Locator {
  return group.getByRole("row").first();
}

describe.skipIf(!browserReady)("suite totals on the run page in a real browser", () => {
  const app = useBrowserApp({
    setup: async ({ t }) => {
      const owner = await t.user("owner", "sam@example.test");
      app.token = await t.token(owner);
      await t.project("SUIT", owner);
    },
  });
  const { call } = app;

  it(
    "shows a suite's whole-run counts on both pages its results span, and updates them after a result",
    async () => {
      const login = (await call("POST", "/v1/suite/SUIT", { title: "Login" })).id as number;
      const checkout = (await call("POST", "/v1/suite/SUIT", { title: "Checkout" })).id as number;
      // Three Login cases, then 52 Checkout cases: the run page lists 50 lines a page in case order,
      // so Checkout has 47 lines on page 1 and 5 on page 2.
      const loginIds = (
        (await call("POST", "/v1/case/SUIT/bulk", {
          cases: ["Sign in", "Sign out", "Reset password"].map((title) => ({ title, suite_id: login })),
        })) as { ids: number[] }
      ).ids;
      const checkoutIds = (
        (await call("POST", "/v1/case/SUIT/bulk", {
          cases: Array.from({ length: 52 }, (_, i) => ({
            title: `Checkout step ${String(i + 1).padStart(2, "0")}`,
            suite_id: checkout,
          })),
        })) as { ids: number[] }
      ).ids;
      const run = (
        await call("POST", "/v1/run/SUIT", { title: "Big release", cases: [...loginIds, ...checkoutIds] })
      ).id as number;
      await call("POST", `/v1/result/SUIT/${run}/bulk`, {
        results: [
          ...loginIds.map((case_id) => ({ case_id, status: "passed" })),
          // 40 passed on page 1 (the first of them after a failed attempt: flaky) ...
          { case_id: checkoutIds[0], status: "failed" },
          ...checkoutIds.slice(0, 40).map((case_id) => ({ case_id, status: "passed" })),
          // ... and a failed and a blocked line that only page 2 shows (steps 51 and 52).
          { case_id: checkoutIds[50], status: "failed" },
          { case_id: checkoutIds[51], status: "blocked" },
        ],
      });

      const page = await app.signIn("sam@example.test");
      await page.goto(`${app.base}/projects/SUIT/runs/${run}`);
      await page.getByRole("heading", { name: "Big release" }).waitFor();
      const results = page.getByRole("table", { name: "Run results" });
      const checkoutGroup = results.getByRole("rowgroup", { name: "Checkout", exact: true });
      await checkoutGroup.getByRole("row").filter({ hasText: "Checkout step 47" }).waitFor();

      // Page 1: 47 of Checkout's 52 lines, none failed or blocked, yet the header counts the whole run.
      const header = headerOf(checkoutGroup);
      const first = (await header.textContent()) ?? "";
      expect(first).toContain("47 of 52 on this page");
      expect(first).toMatch(/Passed40.*Failed1.*Blocked1.*Untested10.*Flaky1/);
      // The lines' own status cells: none failed or blocked on this page (the header is no cell).
      expect(await checkoutGroup.getByRole("cell", { name: /^(Failed|Blocked)$/ }).count()).toBe(0);
      expect(await checkoutGroup.getByRole("cell", { name: "Passed", exact: true }).count()).toBe(40);
      expect(await checkoutGroup.getByRole("cell", { name: "Untested", exact: true }).count()).toBe(7);
      expect(
        await headerOf(results.getByRole("rowgroup", { name: "Login", exact: true })).textContent(),
      ).toMatch(/3 of 3 on this page.*Passed3/);
      await shoot(page, "run-suites-page-1");

      // Page 2: the rest of Checkout, the same totals.
      await page.getByRole("navigation", { name: "Result pages" }).getByRole("button", { name: "2" }).click();
      await checkoutGroup.getByRole("row").filter({ hasText: "Checkout step 52" }).waitFor();
      await results.getByRole("row").filter({ hasText: "Checkout step 47" }).waitFor({ state: "detached" });
      expect(await results.getByRole("rowgroup", { name: "Login", exact: true }).count()).toBe(0);
      const second = (await header.textContent()) ?? "";
      expect(second).toContain("5 of 52 on this page");
      expect(second).toMatch(/Passed40.*Failed1.*Blocked1.*Untested10.*Flaky1/);
      await shoot(page, "run-suites-page-2");

      // A result recorded here moves the whole-run totals: one untested line fewer, one more passed.
      await page.getByRole("button", { name: "Add result for Checkout step 50" }).click();
      const dialog = page.getByRole("dialog", { name: "Result for Checkout step 50" });
      await pick(dialog, "Result status", "Skipped");
      await dialog.getByRole("button", { name: "Save result" }).click();
      await dialog.waitFor({ state: "detached" });
      await checkoutGroup
        .getByRole("row")
        .filter({ hasText: "Checkout step 50" })
        .filter({ hasText: "Skipped" })
        .waitFor();
      await expect
        .poll(() => header.textContent())
        .toMatch(/Passed40.*Failed1.*Blocked1.*Skipped1.*Untested9/);
      await page.close();
    },
    SLOW,
  );
});
