import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserReady, shoot, useBrowserApp } from "./browser.js";

/** What issue #19's outside review found, checked as a person sees it. */
describe.skipIf(!browserReady)("review fixes (issue #19) in a real browser", () => {
  const ids = { flaky: 0, failed: 0, run: 0, oldRun: 0 };
  const older = { hash: "" };
  const LONG_SUITE = "com.shop.checkout.payment.provider.PaymentProviderRetryPolicyTest";
  const LONG_TITLE = "testPaymentProviderRetriesTheChargeWhenTheGatewayAnswers503ThenSucceeds";
  const app = useBrowserApp({
    timeout: 15_000,
    setup: async ({ t, call }) => {
      const owner = await t.user("owner", "olga@example.test");
      app.token = await t.token(owner);
      await t.project("SHOP", owner);
      const a = (await call("POST", "/v1/suite/SHOP", { title: LONG_SUITE })).id as number;
      const b = (
        await call("POST", "/v1/suite/SHOP", { title: "com.shop.checkout.payment.provider.RefundTest" })
      ).id as number;
      const { ids: made } = (await call("POST", "/v1/case/SHOP/bulk", {
        cases: [
          { title: LONG_TITLE, suite_id: a, severity: 2 },
          { title: "Refund twice", suite_id: b },
          { title: "Older failure" },
        ],
      })) as { ids: number[] };
      [ids.flaky, ids.failed] = [made[0] ?? 0, made[1] ?? 0];
      ids.oldRun = (await call("POST", "/v1/run/SHOP", { title: "Old run", cases: [made[2]] })).id as number;
      older.hash = (
        (await call("POST", `/v1/result/SHOP/${ids.oldRun}`, { case_id: made[2], status: "failed" })) as {
          hash: string;
        }
      ).hash;
      ids.run = (await call("POST", "/v1/run/SHOP", { title: "Nightly", cases: made.slice(0, 2) }))
        .id as number;
      await call("POST", `/v1/result/SHOP/${ids.run}/bulk`, {
        results: [
          // A retry folded into one passed result, as `verdict report` sends JUnit's flakyFailure.
          {
            case_id: ids.flaky,
            status: "passed",
            comment: "expected 200 but was 503",
            stacktrace: "AssertionError: expected 200 but was 503\n  at PaymentTest.pay",
          },
          {
            case_id: ids.failed,
            status: "failed",
            comment: "refunded twice",
            stacktrace: "Error: refunded twice",
          },
        ],
      });
    },
  });

  const openRunLine = async (page: Page, name: string) => {
    await page.goto(`${app.base}/projects/SHOP/runs/${ids.run}`);
    await page.getByRole("button", { name: `Show results of ${name}` }).click();
  };

  it("fits the case table at 1440 px with whole badges and suite names that keep their end", async () => {
    const page = await app.signIn("olga@example.test");
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.base}/projects/SHOP`);
    const table = page.getByRole("table", { name: "Cases" });
    await table.getByText("Refund twice").waitFor();
    // Nothing of the table lies past the right edge of the window: the Status column is on screen.
    const status = await table.getByRole("columnheader", { name: "Status", exact: true }).boundingBox();
    expect((status?.x ?? 9999) + (status?.width ?? 0)).toBeLessThanOrEqual(1440);
    const overflow = await table.evaluate(
      (el) => el.parentElement && el.scrollWidth - el.parentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // Badges are not cut to "C…": each shows all of its text.
    for (const badge of await table.locator(".mantine-Badge-root").all()) {
      expect(await badge.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    }
    await expect.poll(() => table.locator(".mantine-Badge-root", { hasText: "Critical" }).count()).toBe(1);
    // The tree shows each suite's whole name, so two sharing a long prefix stay apart.
    const tree = page.getByRole("navigation", { name: "Suites" });
    for (const name of ["PaymentProviderRetryPolicyTest", "RefundTest"]) {
      const box = await tree
        .getByText(new RegExp(`${name.slice(0, 8)}`))
        .first()
        .boundingBox();
      expect(box).not.toBeNull();
    }
    expect(await tree.textContent()).toContain("PaymentProvider");
    expect((await tree.textContent())?.replace(/\s/g, "")).toContain(LONG_SUITE);
    await shoot(page, "review19-cases");
    await page.close();
  }, 90_000);

  it("shows the failed try apart from the pass of a retried result", async () => {
    const page = await app.signIn("olga@example.test");
    await openRunLine(page, LONG_TITLE);
    const attempt = page.getByRole("group", { name: "Attempt 1" });
    const earlier = attempt.getByRole("group", { name: "Earlier try of attempt 1" });
    await expect.poll(() => earlier.textContent()).toContain("Failed, then passed on a retry");
    expect(await earlier.getByLabel("Stack trace").textContent()).toContain("expected 200 but was 503");
    await shoot(page, "review19-retry");
    await page.close();
  }, 90_000);

  it("links a failed result to a new defect and to an existing one", async () => {
    const page = await app.signIn("olga@example.test");
    await openRunLine(page, "Refund twice");
    const attempt = page.getByRole("group", { name: "Attempt 1" });
    await attempt.getByRole("button", { name: "Link to defect" }).click();
    const dialog = page.getByRole("dialog", { name: "Link Refund twice to a defect" });
    expect(await dialog.getByLabel("Title").inputValue()).toBe("Refund twice: refunded twice");
    expect(await dialog.getByLabel("Actual result").inputValue()).toContain("Error: refunded twice");
    await shoot(page, "review19-link-defect");
    await dialog.getByRole("button", { name: "Create defect and link" }).click();
    await attempt
      .getByRole("status")
      .getByText(/Linked to defect #\d+/)
      .waitFor();
    const defects = (await app.call("GET", "/v1/defect/SHOP?limit=10")) as {
      entities: { id: number; title: string; results: string[] }[];
    };
    const made = defects.entities.find((d) => d.title === "Refund twice: refunded twice");
    expect(made?.results.length).toBe(1);

    const other = (await app.call("POST", "/v1/defect/SHOP", {
      title: "Refunds misbehave",
      actual_result: "x",
      severity: 0,
    })) as { id: number };
    await attempt.getByRole("button", { name: "Link to defect" }).click();
    await dialog.getByText("Existing defect").click();
    await dialog.getByLabel("Defect", { exact: true }).click();
    await page.getByRole("option", { name: new RegExp(`^#${other.id} Refunds misbehave`) }).click();
    await dialog.getByRole("button", { name: "Link to this defect" }).click();
    await attempt.getByText(`Linked to defect #${other.id}`).waitFor();
    const linked = (await app.call("GET", `/v1/defect/SHOP/${other.id}`)) as { results: string[] };
    expect(linked.results).toEqual(made?.results);
    await page.close();
  }, 90_000);

  it("names the user in the audit log and lists failed results newest first", async () => {
    const page = await app.signIn("olga@example.test");
    await page.goto(`${app.base}/workspace`);
    await page.getByRole("tab", { name: "Audit log" }).click();
    const log = page.getByRole("table", { name: "Audit log" });
    const row = log.getByRole("row").filter({ hasText: "project.created" }).first();
    expect(await row.getByRole("cell").nth(2).textContent()).toMatch(/^owner \d+$/);

    // Through the app's own navigation: a fresh load of /search is the server's part (another change).
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Search" }).click();
    await page.getByLabel("QQL query").fill('entity = "result" and status = "failed"');
    await page.getByLabel("QQL query").press("Enter");
    const rows = page.getByRole("table", { name: "Search results" }).getByRole("row");
    await rows.nth(2).waitFor();
    expect(await rows.nth(1).textContent()).toContain(`failed in run ${ids.run}`);
    expect(await rows.nth(2).textContent()).toContain(`failed in run ${ids.oldRun}`);
    await page.close();
  }, 90_000);

  it("keeps the new token's dialog open on Escape and outside clicks until it is saved", async () => {
    const page = await app.signIn("olga@example.test");
    await page.goto(`${app.base}/tokens`);
    await page.getByRole("button", { name: "Create token" }).click();
    await page.getByLabel("Name").fill("CI");
    await page.getByRole("dialog").getByRole("button", { name: "Create token" }).click();
    const secret = page.getByTestId("new-token");
    await secret.waitFor();
    await page.keyboard.press("Escape");
    await page.mouse.click(5, 5);
    await page.waitForTimeout(500);
    expect(await secret.isVisible()).toBe(true);
    await page.getByLabel("I have saved it").check();
    await page.getByRole("button", { name: "Done" }).click();
    await secret.waitFor({ state: "detached" });
    await page.close();
  }, 90_000);

  it("has a skip link first and keys for search, going places, the case list and help", async () => {
    const page = await app.signIn("olga@example.test");
    await page.goto(`${app.base}/projects/SHOP`);
    await page.getByRole("table", { name: "Cases" }).getByText("Refund twice").waitFor();
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    expect(await skip.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    expect(await page.evaluate<string>("document.activeElement?.id")).toBe("main");
    // From the page itself, j reaches the first case at once.
    await page.keyboard.press("j");
    expect(await page.evaluate<string>("document.activeElement?.textContent")).toContain("Payment");
    await page.keyboard.press("j");
    expect(await page.evaluate<string>("document.activeElement?.textContent")).toBe("Refund twice");
    await page.keyboard.press("k");
    expect(await page.evaluate<string>("document.activeElement?.textContent")).toContain("Payment");

    await page.keyboard.press("/");
    expect(
      await page.getByLabel("Search cases").evaluate((el) => el === el.ownerDocument.activeElement),
    ).toBe(true);
    await page.keyboard.press("Escape");
    await page.locator("#main").focus();
    await page.keyboard.press("g");
    await page.keyboard.press("r");
    await page.getByRole("table", { name: "Runs" }).getByText("Nightly").waitFor();
    expect(new URL(page.url()).pathname).toBe("/projects/SHOP/runs");
    await page.keyboard.press("g");
    await page.keyboard.press("c");
    await page.getByRole("table", { name: "Cases" }).waitFor();
    await page.keyboard.press("g");
    await page.keyboard.press("p");
    await page.getByRole("heading", { name: "Projects" }).waitFor();
    await page.keyboard.press("/");
    await page.getByLabel("QQL query").waitFor();
    expect(await page.getByLabel("QQL query").evaluate((el) => el === el.ownerDocument.activeElement)).toBe(
      true,
    );
    await page.locator("#main").focus();
    await page.keyboard.press("Shift+?");
    const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    expect(await help.textContent()).toContain("Go to the runs of this project");
    await shoot(page, "review19-shortcuts");
    await page.close();
  }, 90_000);
});
