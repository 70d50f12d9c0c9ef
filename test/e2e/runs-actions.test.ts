import fs from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT } from "../../src/features/web/web.routes.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

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

/** Mantine's Select: open it by its label, then click the option. */
async function pick(scope: Page | Locator, label: string, option: string) {
  const page = "page" in scope ? scope.page() : scope;
  await scope.getByLabel(label, { exact: true }).first().click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

/** The text of the error Mantine ties to an input through aria-describedby. */
async function fieldError(input: Locator): Promise<string> {
  expect(await input.getAttribute("aria-invalid")).toBe("true");
  const ids = ((await input.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => input.page().locator(`[id="${id}"]`).textContent()));
  return texts.join(" ");
}

// The browser suite needs Debian's chromium and a built web app (npm run build); .ci/run provides both.
describe.skipIf(!ready || !sqlite)(
  "run, plan, milestone, environment and defect actions in a real browser",
  () => {
    let t: TestApp;
    let base: string;
    let browser: Browser;
    let token = "";
    let caseIds: number[] = [];
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

    async function signIn(email: string): Promise<Page> {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      page.setDefaultTimeout(10_000);
      // Script errors and CSP refusals fail the test that caused them (see afterEach).
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("console", (m) => {
        if (m.text().includes("Content Security Policy")) problems.push(`CSP: ${m.text()}`);
      });
      await page.goto(base);
      await page.getByLabel("Email").fill(email);
      await page.getByRole("textbox", { name: "Password" }).fill("password-123");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Projects" }).waitFor();
      return page;
    }

    beforeAll(async () => {
      if (!sqlite) return;
      fs.mkdirSync(SHOTS, { recursive: true });
      t = await startApp(sqlite);
      await t.app.listen({ port: 0, host: "127.0.0.1" });
      const addr = t.app.server.address();
      base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
      const owner = await t.user("owner", "olga@example.test");
      await t.user("viewer", "vera@example.test");
      token = await t.token(owner);
      await t.project("SHOP", owner);
      caseIds = (
        (await call("POST", "/v1/case/SHOP/bulk", {
          cases: [{ title: "Log in" }, { title: "Add to cart" }, { title: "Pay" }, { title: "Log out" }],
        })) as { ids: number[] }
      ).ids;
      await call("POST", "/v1/environment/SHOP", { title: "Staging", slug: "staging" });
      await call("POST", "/v1/milestone/SHOP", { title: "Release 1" });
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

    it("creates a run of ticked cases, records manual results, sees the stats change, completes it", async () => {
      const page = await signIn("olga@example.test");
      await page.goto(`${base}/projects/SHOP/runs`);
      await page.getByRole("button", { name: "New run" }).click();
      const dialog = page.getByRole("dialog", { name: "New run" });
      // Nothing ticked: the dialog says so at the case list and creates nothing.
      await dialog.getByLabel("Run title").fill("Checkout by hand");
      await dialog.getByRole("button", { name: "Start run" }).click();
      await dialog.getByRole("alert").filter({ hasText: "Tick at least one case" }).waitFor();
      await dialog.getByRole("checkbox", { name: "Select Log in" }).check();
      await dialog.getByRole("checkbox", { name: "Select Pay" }).check();
      await dialog.getByText("2 selected").waitFor();
      await pick(dialog, "Environment", "Staging");
      await pick(dialog, "Milestone", "Release 1");
      await shoot(page, "run-new");
      await dialog.getByRole("button", { name: "Start run" }).click();

      await page.getByRole("heading", { name: "Checkout by hand" }).waitFor();
      expect(page.url()).toMatch(/\/projects\/SHOP\/runs\/\d+$/);
      const runId = Number(page.url().split("/").pop());
      const run = await call("GET", `/v1/run/SHOP/${runId}?include=cases`);
      expect(run.cases).toEqual([caseIds[0], caseIds[2]]);
      expect((run.environment as { slug: string }).slug).toBe("staging");
      expect((run.milestone as { title: string }).title).toBe("Release 1");

      const results = page.getByRole("table", { name: "Run results" });
      const bar = page.getByRole("img", { name: /^Results:/ });
      expect(await bar.getAttribute("aria-label")).toBe("Results: 2 untested");

      // A failed result, then a passed one: the line and the stats follow.
      await page.getByRole("button", { name: "Add result for Log in" }).click();
      let entry = page.getByRole("dialog", { name: "Result for Log in" });
      await pick(entry, "Result status", "Failed");
      await entry.getByLabel("Comment").fill("The button does nothing");
      await entry.getByLabel("Time spent (seconds)").fill("12");
      await entry.getByRole("button", { name: "Save result" }).click();
      await entry.waitFor({ state: "detached" });
      await page.getByRole("img", { name: "Results: 1 failed, 1 untested" }).waitFor();
      expect(await results.getByRole("row").filter({ hasText: "Log in" }).textContent()).toContain("Failed");

      await page.getByRole("button", { name: "Add result for Log in" }).click();
      entry = page.getByRole("dialog", { name: "Result for Log in" });
      await entry.getByRole("button", { name: "Save result" }).click(); // passed is the default
      await entry.waitFor({ state: "detached" });
      await page.getByRole("img", { name: "Results: 1 passed, 1 untested" }).waitFor();
      const loginRow = results.getByRole("row").filter({ hasText: "Log in" });
      expect(await loginRow.textContent()).toContain("Passed");
      expect(await loginRow.textContent()).toContain("Flaky");

      await page.getByRole("button", { name: "Show results of Log in" }).click();
      const first = page.getByRole("group", { name: "Attempt 1" });
      await first.waitFor();
      expect(await first.textContent()).toContain("The button does nothing");
      expect(await first.textContent()).toContain("Duration 12.0 s");
      await shoot(page, "run-manual-results");

      await page.getByRole("button", { name: "Complete run" }).click();
      const confirm = page.getByRole("dialog", { name: "Complete this run?" });
      expect(await confirm.textContent()).toContain("1 untested case stays untested");
      await confirm.getByRole("button", { name: "Complete run" }).click();
      await confirm.waitFor({ state: "detached" });
      await page.getByRole("button", { name: "Add result for Pay" }).waitFor({ state: "detached" });
      expect(await page.getByRole("button", { name: "Complete run" }).count()).toBe(0);
      const done = await call("GET", `/v1/run/SHOP/${runId}`);
      expect(done.status_text).not.toBe("in_progress");
      expect(done.end_time).not.toBeNull();
      await page.close();
    });
  },
);
