import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_ROOT } from "../../src/features/web/web.routes.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

const CHROMIUM = process.env.VERDICT_CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = path.resolve("test-results/screenshots");
const ready = fs.existsSync(CHROMIUM) && fs.existsSync(path.join(WEB_ROOT, "index.html"));
const sqlite = dialects.find((d) => d.name === "sqlite");
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const WIDTHS = [
  ["laptop", { width: 1366, height: 768 }],
  ["phone", { width: 390, height: 844 }],
] as const;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe (WCAG 2.1 A and AA rules) on the page as it is now. It is evaluated through the DevTools
 * protocol, which the app's Content-Security-Policy (no inline scripts) does not govern.
 */
async function audit(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  return page.evaluate(`
    axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    }).then((r) => r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) =>
        [n.target.join(" "), (n.failureSummary || "").slice(0, 200), n.html.slice(0, 120)].join(" :: ")),
    })))
  `);
}

// The browser suite needs Debian's chromium and a built web app (npm run build).
describe.skipIf(!ready || !sqlite)("accessibility of the main pages (axe, WCAG 2.1 AA)", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let token = "";
  let caseId = 0;
  let runId = 0;

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
    const owner = await t.user("owner", "ada@example.test");
    const member = await t.user("member", "max@example.test");
    token = await t.token(owner);
    await t.project("SHOP", owner, "group");
    await call("POST", "/v1/project/SHOP/access", { member_id: member.id });
    const suite = (await call("POST", "/v1/suite/SHOP", { title: "Checkout" })).id as number;
    const { ids } = (await call("POST", "/v1/case/SHOP/bulk", {
      cases: [
        {
          title: "Pay by card",
          suite_id: suite,
          description: "The card is charged once",
          steps: [{ action: "Enter the card", expected_result: "The card is accepted" }],
        },
        { title: "Log in" },
      ],
    })) as { ids: number[] };
    caseId = ids[0] ?? 0;
    await call("POST", "/v1/environment/SHOP", { title: "Staging", slug: "staging" });
    runId = (
      await call("POST", "/v1/run/SHOP", { title: "Nightly", cases: ids, environment_slug: "staging" })
    ).id as number;
    await call("POST", `/v1/result/SHOP/${runId}/bulk`, {
      results: [
        {
          case_id: ids[0],
          status: "failed",
          stacktrace: "AssertionError: declined",
          steps: [{ status: "failed", action: "Enter the card" }],
        },
        { case_id: ids[1], status: "failed" },
        { case_id: ids[1], status: "passed" },
      ],
    });
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
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("finds no serious or critical violations on any main page at laptop and phone widths", async () => {
    const pages: { name: string; url: string; ready: (p: Page) => Promise<unknown> }[] = [
      {
        name: "projects",
        url: "/projects",
        ready: (p) => p.getByRole("link", { name: "Project SHOP" }).waitFor(),
      },
      {
        name: "repository",
        url: "/projects/SHOP",
        ready: (p) => p.getByRole("table", { name: "Cases" }).getByText("Pay by card").waitFor(),
      },
      {
        name: "case",
        url: `/projects/SHOP/cases/${caseId}`,
        ready: (p) => p.getByRole("heading", { name: "Pay by card" }).waitFor(),
      },
      {
        name: "runs",
        url: "/projects/SHOP/runs",
        ready: (p) => p.getByRole("table", { name: "Runs" }).getByText("Nightly").waitFor(),
      },
      {
        name: "run",
        url: `/projects/SHOP/runs/${runId}`,
        ready: async (p) => {
          await p.getByRole("rowgroup", { name: "Checkout" }).waitFor();
          await p.getByRole("button", { name: "Show results of Pay by card" }).click();
          await p.getByRole("group", { name: "Attempt 1" }).waitFor();
        },
      },
      {
        name: "tokens",
        url: "/tokens",
        ready: (p) =>
          p
            .getByRole("heading", { name: /tokens/i })
            .first()
            .waitFor(),
      },
      {
        name: "workspace",
        url: "/workspace",
        ready: (p) => p.getByText("max@example.test").first().waitFor(),
      },
      {
        name: "project-settings",
        url: "/projects/SHOP/settings",
        ready: (p) =>
          p.getByRole("table", { name: "Project members" }).getByText("max@example.test").waitFor(),
      },
    ];

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(base);
    await page.getByLabel("Email").fill("ada@example.test");
    await page.getByRole("textbox", { name: "Password" }).fill("password-123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Projects" }).waitFor();

    const found: string[] = [];
    for (const target of pages) {
      for (const [label, size] of WIDTHS) {
        await page.setViewportSize(size);
        await page.goto(`${base}${target.url}`);
        await target.ready(page);
        await page.waitForTimeout(400); // let Mantine's transitions settle
        await page.screenshot({ path: path.join(SHOTS, `a11y-${target.name}-${label}.png`), fullPage: true });
        for (const v of await audit(page)) {
          if (v.impact === "serious" || v.impact === "critical") {
            found.push(
              `${target.name} @ ${label}: [${v.impact}] ${v.id} (${v.help}) at ${v.nodes.join(" | ")}`,
            );
          }
        }
      }
    }
    await context.close();
    expect(found).toEqual([]);
  }, 300_000);
});
