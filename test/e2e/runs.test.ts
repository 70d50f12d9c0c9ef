import fs from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT } from "../../src/features/web/web.routes.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";
import { openSection } from "./project-nav.js";

const CHROMIUM = process.env.VERDICT_CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = path.resolve("test-results/screenshots");
const ready = fs.existsSync(CHROMIUM) && fs.existsSync(path.join(WEB_ROOT, "index.html"));
const sqlite = dialects.find((d) => d.name === "sqlite");

async function shoot(page: Page, name: string) {
  for (const [label, size] of [
    ["laptop", { width: 1366, height: 768 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.mouse.wheel(0, -100_000);
    await page.waitForTimeout(500); // let Mantine's transitions settle so the picture shows the page, not an animation
    await page.screenshot({ path: path.join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

// The browser suite needs Debian's chromium and a built web app (npm run build); .ci/run provides both.
describe.skipIf(!ready || !sqlite)("test runs in a real browser", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let token = "";
  const problems: string[] = [];

  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { token, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { result: unknown };
    expect(res.status, JSON.stringify(json)).toBe(200);
    return json.result as Record<string, unknown>;
  };

  beforeAll(async () => {
    if (!sqlite) return;
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startApp(sqlite);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const addr = t.app.server.address();
    base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    const owner = await t.user("owner", "olga@example.test");
    token = await t.token(owner);
    await t.project("SHOP", owner);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-sync",
      ],
    });
  });
  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

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

    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.text().includes("Content Security Policy")) problems.push(`CSP: ${m.text()}`);
    });
    await page.goto(base);
    await page.getByLabel("Email").fill("olga@example.test");
    await page.getByRole("textbox", { name: "Password" }).fill("password-123");
    await page.getByRole("button", { name: "Sign in" }).click();
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
