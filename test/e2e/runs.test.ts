import { describe, expect, it } from "vitest";
import { browserReady, shoot, useBrowserApp } from "./browser.js";
import { openSection } from "./project-nav.js";

describe.skipIf(!browserReady)("test runs in a real browser", () => {
  const app = useBrowserApp({
    setup: async ({ t }) => {
      const owner = await t.user("owner", "olga@example.test");
      app.token = await t.token(owner);
      await t.project("SHOP", owner);
    },
  });
  const { call } = app;

  it("lists runs with status, results bar and environment, and opens a run's results per case", async () => {
    const { ids } = (await call("POST", "/v1/case/SHOP/bulk", {
      cases: [{ title: "Log in" }, { title: "Add to cart" }, { title: "Pay" }],
    })) as { ids: number[] };
    const [login, cart, pay] = ids as [number, number, number];
    await call("POST", "/v1/environment/SHOP", { title: "Staging", slug: "staging" });
    const smoke = (await call("POST", "/v1/run/SHOP", { title: "Smoke", cases: [login] })).id as number;
    await call("POST", `/v1/result/SHOP/${smoke}`, { case_id: login, status: "passed", time_ms: 300 });
    await call("POST", `/v1/run/SHOP/${smoke}/complete`);
    const nightly = (
      await call("POST", "/v1/run/SHOP", {
        title: "Nightly",
        cases: [login, cart, pay],
        environment_slug: "staging",
      })
    ).id as number;
    await call("POST", `/v1/result/SHOP/${nightly}/bulk`, {
      results: [
        {
          case_id: login,
          status: "passed",
          time_ms: 1200,
          steps: [
            { status: "passed", action: "Open the login page" },
            { status: "passed", action: "Submit the form", expected_result: "The dashboard opens" },
          ],
        },
        {
          case_id: cart,
          status: "failed",
          time_ms: 800,
          stacktrace: "AssertionError: expected 1 item, got 0\n    at cart.spec.ts:12:7",
        },
      ],
    });
    await call("POST", `/v1/result/SHOP/${nightly}`, { case_id: cart, status: "passed", time_ms: 900 });

    const page = await app.signIn("olga@example.test");
    await page.getByRole("link", { name: "Project SHOP" }).click();
    await openSection(page, "Runs");

    const table = page.getByRole("table", { name: "Runs" });
    const nightlyRow = table.getByRole("row").filter({ hasText: "Nightly" });
    await nightlyRow.waitFor();
    const text = (await nightlyRow.textContent()) ?? "";
    expect(text).toContain("In progress");
    expect(text).toContain("Staging");
    expect(text).toContain("2 of 3 tested · 1 flaky");
    expect(await nightlyRow.getByRole("img").getAttribute("aria-label")).toBe(
      "Results: 2 passed, 1 untested",
    );
    const smokeRow = table.getByRole("row").filter({ hasText: "Smoke" });
    expect(await smokeRow.textContent()).toContain("Passed");
    expect(await table.getByRole("row").count()).toBe(3);
    await shoot(page, "runs-list");

    await page.getByRole("link", { name: "Nightly" }).click();
    await page.getByRole("heading", { name: "Nightly" }).waitFor();
    const results = page.getByRole("table", { name: "Run results" });
    await results.getByRole("row").nth(3).waitFor();
    const cartRow = results.getByRole("row").filter({ hasText: "Add to cart" });
    expect(await cartRow.textContent()).toContain("Flaky");
    expect(await cartRow.textContent()).toContain("Passed");

    // A flaky case: both attempts, newest first, with the failed one's stack trace.
    await page.getByRole("button", { name: "Show results of Add to cart" }).click();
    const second = page.getByRole("group", { name: "Attempt 2" });
    const first = page.getByRole("group", { name: "Attempt 1" });
    await first.waitFor();
    expect(await second.textContent()).toContain("Passed");
    expect(await second.textContent()).toContain("Duration 900 ms");
    expect(await first.textContent()).toContain("Failed");
    expect(await first.getByLabel("Stack trace").textContent()).toContain("expected 1 item, got 0");

    // A passed case with its steps and duration.
    await page.getByRole("button", { name: "Show results of Log in" }).click();
    await page.getByRole("listitem", { name: "Result step 2" }).waitFor();
    expect(await page.getByRole("listitem", { name: "Result step 2" }).textContent()).toContain(
      "Expected: The dashboard opens",
    );
    await page.getByText("Duration 1.2 s").waitFor();
    await shoot(page, "run-detail");

    // The status filter asks the server for the untested line only.
    await page.getByLabel("Show statuses", { exact: true }).first().click();
    await page.getByRole("option", { name: "Untested" }).click();
    await page.keyboard.press("Escape");
    await results.getByRole("row").filter({ hasText: "Log in" }).waitFor({ state: "detached" });
    expect(await results.getByRole("row").count()).toBe(2);
    expect(await results.getByRole("row").nth(1).textContent()).toContain("Pay");
    await page.close();
  });
});
