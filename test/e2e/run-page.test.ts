import { describe, expect, it } from "vitest";
import { browserReady, shoot, useBrowserApp } from "./browser.js";

describe.skipIf(!browserReady)("the run page in a real browser", () => {
  const app = useBrowserApp({
    dataDirPrefix: "verdict-run-page-",
    // Resource errors are expected (the session probe before signing in answers 401); other console errors are not.
    consoleErrors: true,
    setup: async ({ t }) => {
      const owner = await t.user("owner", "rita@example.test");
      app.token = await t.token(owner);
      await t.project("SHOP", owner);
    },
  });
  const { call } = app;

  const upload = async (files: { name: string; type: string; data: Buffer }[]) => {
    const form = new FormData();
    for (const f of files) form.append("file", new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
    const res = await fetch(`${app.base}/v1/attachment/SHOP`, {
      method: "POST",
      headers: { token: app.token },
      body: form,
    });
    const json = (await res.json()) as { result: { hash: string; filename: string }[] };
    expect(res.status, JSON.stringify(json)).toBe(200);
    return json.result.map((a) => a.hash);
  };

  it("groups results by suite with counts, charts the statuses, filters, and shows attachments and steps", async () => {
    const account = (await call("POST", "/v1/suite/SHOP", { title: "Account" })).id as number;
    const checkout = (await call("POST", "/v1/suite/SHOP", { title: "Checkout" })).id as number;
    const payment = (await call("POST", "/v1/suite/SHOP", { title: "Payment", parent_id: checkout }))
      .id as number;
    const { ids } = (await call("POST", "/v1/case/SHOP/bulk", {
      cases: [
        { title: "Log in", suite_id: account },
        { title: "Add to cart", suite_id: checkout },
        { title: "Pay by card", suite_id: payment },
        { title: "Pay by invoice", suite_id: payment },
        { title: "Read the docs" },
      ],
    })) as { ids: number[] };
    const [login, cart, card, invoice, docs] = ids as [number, number, number, number, number];
    const run = (await call("POST", "/v1/run/SHOP", { title: "Release 1.2", cases: ids })).id as number;

    // A real screenshot as the failure's picture, and a log file that is only offered as a link.
    const shooter = await app.browser.newPage({ viewport: { width: 320, height: 160 } });
    await shooter.setContent("<h1 style='font-family:sans-serif;color:#c00'>Cart is empty</h1>");
    const png = await shooter.screenshot();
    await shooter.close();
    const [shot, log] = (await upload([
      { name: "cart-empty.png", type: "image/png", data: png },
      { name: "build.log", type: "text/plain", data: Buffer.from("GET /cart 200\nexpected 1 item\n") },
    ])) as [string, string];

    await call("POST", `/v1/result/SHOP/${run}/bulk`, {
      results: [
        { case_id: login, status: "passed", time_ms: 400 },
        {
          case_id: cart,
          status: "failed",
          time_ms: 2100,
          stacktrace: "AssertionError: expected 1 item, got 0\n    at cart.spec.ts:12:7",
          attachments: [shot, log],
          steps: [
            { status: "passed", action: "Open the cart" },
            {
              status: "failed",
              action: "Count the items",
              expected_result: "One item",
              comment: "The cart was empty",
              attachments: [shot],
            },
          ],
        },
        { case_id: card, status: "passed", time_ms: 700 },
        { case_id: invoice, status: "blocked", comment: "Invoice service down" },
      ],
    });

    const page = await app.signIn("rita@example.test");
    await page.goto(`${app.base}/projects/SHOP/runs/${run}`);
    await page.getByRole("heading", { name: "Release 1.2" }).waitFor();

    // The chart: one image named by the counts, the pass rate in the middle, a share per status beside it.
    const ring = page.getByRole("img", { name: /^Status distribution:/ });
    const ringName = (await ring.getAttribute("aria-label")) ?? "";
    for (const part of ["2 passed", "1 failed", "1 blocked", "1 untested"]) expect(ringName).toContain(part);
    expect(await ring.textContent()).toContain("40%");
    const counts = page.getByRole("list", { name: "Status counts" });
    expect(await counts.textContent()).toContain("Passed: 2 (40%)");

    // Suite sections in repository order, each with its path and its counts; the case outside suites last.
    const results = page.getByRole("table", { name: "Run results" });
    const payments = results.getByRole("rowgroup", { name: "Checkout / Payment" });
    await payments.waitFor();
    const sections = await results
      .getByRole("rowgroup")
      .evaluateAll((els) =>
        els.map((el) => el.getAttribute("aria-label")).filter((n): n is string => n !== null),
      );
    expect(sections).toEqual(["Account", "Checkout", "Checkout / Payment", "Cases outside suites"]);
    const header = payments.getByRole("button", { name: "Checkout / Payment", exact: true });
    expect(await header.getAttribute("aria-expanded")).toBe("true");
    const headerRow = payments.getByRole("row").first();
    expect(await headerRow.textContent()).toMatch(/2 on this page.*Passed1.*Blocked1/);
    expect(await payments.getByRole("row").count()).toBe(3);
    expect(await results.getByRole("rowgroup", { name: "Cases outside suites" }).textContent()).toContain(
      "Read the docs",
    );
    expect(
      await results
        .getByRole("rowgroup", { name: "Cases outside suites" })
        .getByRole("row")
        .nth(1)
        .textContent(),
    ).toContain(`SHOP-${docs}`);

    // Folding a suite hides its lines and nothing else.
    await header.click();
    await payments.getByRole("row").filter({ hasText: "Pay by card" }).waitFor({ state: "detached" });
    expect(await header.getAttribute("aria-expanded")).toBe("false");
    expect(await results.getByRole("row").filter({ hasText: "Add to cart" }).count()).toBe(1);
    await header.click();
    await payments.getByRole("row").filter({ hasText: "Pay by card" }).waitFor();

    // The failed attempt: stack trace, the screenshot inline (loaded through the rights-checked URL),
    // the log as a link, and the steps each with their status and the failed step's own picture.
    await page.getByRole("button", { name: "Show results of Add to cart" }).click();
    const attempt = page.getByRole("group", { name: "Attempt 1" });
    await attempt.waitFor();
    expect(await attempt.getByLabel("Stack trace").textContent()).toContain("expected 1 item, got 0");
    const files = attempt.getByRole("group", { name: "Attachments", exact: true });
    const img = files.getByRole("img", { name: "cart-empty.png" });
    await img.waitFor();
    expect(await img.getAttribute("src")).toBe(`/v1/attachment/${shot}/download`);
    // Loaded means decoded: the browser fetched the picture with the session and got a PNG back.
    type Loaded = { complete: boolean; naturalWidth: number };
    await page.waitForFunction(
      (el) => {
        const i = el as unknown as Loaded | null;
        return i?.complete === true && i.naturalWidth > 0;
      },
      await img.elementHandle(),
    );
    expect(await img.evaluate((el) => (el as unknown as Loaded).naturalWidth)).toBe(320);
    const link = files.getByRole("link", { name: "build.log" });
    expect(await link.getAttribute("href")).toBe(`/v1/attachment/${log}/download`);
    expect(await files.textContent()).toContain("text/plain");
    const step1 = attempt.getByRole("listitem", { name: "Result step 1" });
    const step2 = attempt.getByRole("listitem", { name: "Result step 2" });
    expect(await step1.textContent()).toContain("Passed");
    expect(await step2.textContent()).toContain("Failed");
    expect(await step2.textContent()).toContain("Expected: One item");
    expect(await step2.textContent()).toContain("The cart was empty");
    await step2
      .getByRole("group", { name: "Attachments of step 2" })
      .getByRole("img", { name: "cart-empty.png" })
      .waitFor();
    await shoot(page, "run-page");

    // The status filter leaves only the failed line, in its suite.
    await page.getByLabel("Show statuses", { exact: true }).first().click();
    await page.getByRole("option", { name: "Failed" }).click();
    await page.keyboard.press("Escape");
    await results.getByRole("row").filter({ hasText: "Log in" }).waitFor({ state: "detached" });
    const left = await results
      .getByRole("rowgroup")
      .evaluateAll((els) =>
        els.map((el) => el.getAttribute("aria-label")).filter((n): n is string => n !== null),
      );
    expect(left).toEqual(["Checkout"]);
    const checkoutGroup = results.getByRole("rowgroup", { name: "Checkout" });
    expect(await checkoutGroup.getByRole("row").first().textContent()).toMatch(/1 on this page.*Failed1/);
    await shoot(page, "run-page-failed");
    await page.close();
  });
});
