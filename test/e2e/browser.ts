import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { WEB_ROOT } from "../../src/features/web/web.routes.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

/** What every browser suite shares: Debian's chromium, one app on SQLite, sign-in, API calls, screenshots. */

const CHROMIUM = process.env.VERDICT_CHROMIUM ?? "/usr/bin/chromium";
export const SHOTS = path.resolve("test-results/screenshots");
const sqlite = dialects.find((d) => d.name === "sqlite");

/** The browser suites need Debian's chromium and a built web app (npm run build); .ci/run provides both. */
export const browserReady =
  sqlite !== undefined && fs.existsSync(CHROMIUM) && fs.existsSync(path.join(WEB_ROOT, "index.html"));

export const LAPTOP = { width: 1366, height: 768 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** Each test drives a browser through several pages; on a busy two-core machine that takes a while. */
export const SLOW = 90_000;

export interface ApiAnswer {
  status: number;
  json: { result: unknown; errorMessage?: string };
}

export interface BrowserApp {
  t: TestApp;
  base: string;
  browser: Browser;
  /** The token `call` and `request` send; set it in the setup. */
  token: string;
  /** Script errors and CSP refusals seen by pages opened with `newPage`; each test must end with none. */
  problems: string[];
  /** Any request to the API with the token; answers status and body. */
  request(method: string, url: string, body?: unknown): Promise<ApiAnswer>;
  /** A request that must answer 200; returns `result`. */
  call(method: string, url: string, body?: unknown): Promise<Record<string, unknown>>;
  /**
   * A laptop-sized page whose script errors and CSP refusals (with `consoleErrors`, all console errors)
   * are recorded in `problems`.
   */
  newPage(): Promise<Page>;
  /**
   * Signs in through the form and waits for `landing` (the "Projects" heading unless given). The password
   * is "password-123", as TestApp.user sets, unless given.
   */
  signIn(email: string, landing?: (page: Page) => Locator, password?: string): Promise<Page>;
}

interface BrowserAppOptions {
  /** Seeds users, tokens and data once the app listens (the browser is not started yet). */
  setup?: (app: BrowserApp) => Promise<void>;
  /** Gives the app a data directory (for attachments) named with this prefix. */
  dataDirPrefix?: string;
  /** Default timeout of each page's actions, in ms. */
  timeout?: number;
  /**
   * Also count every console error as a page problem, except failed resource loads (the session probe
   * before signing in answers 401). Without it only CSP refusals in the console count.
   */
  consoleErrors?: boolean;
}

/**
 * Registers the suite's hooks (start the app and the browser, check each test left no page problem,
 * close both) and answers the app they fill in. Call it inside `describe.skipIf(!browserReady)`.
 */
export function useBrowserApp(options: BrowserAppOptions = {}): BrowserApp {
  const app = {
    token: "",
    problems: [] as string[],
    async request(method: string, url: string, body?: unknown): Promise<ApiAnswer> {
      const res = await fetch(`${app.base}${url}`, {
        method,
        headers: {
          token: app.token,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as ApiAnswer["json"] };
    },
    async call(method: string, url: string, body?: unknown) {
      const { status, json } = await app.request(method, url, body);
      expect(status, JSON.stringify(json)).toBe(200);
      return json.result as Record<string, unknown>;
    },
    async newPage() {
      const page = await app.browser.newPage({ viewport: LAPTOP });
      page.setDefaultTimeout(options.timeout ?? 10_000);
      page.on("pageerror", (e) => app.problems.push(`page error: ${e.message}`));
      page.on("console", (m) => {
        if (m.text().includes("Content Security Policy")) app.problems.push(`CSP: ${m.text()}`);
        else if (
          options.consoleErrors &&
          m.type() === "error" &&
          !m.text().startsWith("Failed to load resource")
        ) {
          app.problems.push(`console: ${m.text()}`);
        }
      });
      return page;
    },
    async signIn(email: string, landing?: (page: Page) => Locator, password = "password-123") {
      const page = await app.newPage();
      await page.goto(app.base);
      await page.getByLabel("Email").fill(email);
      await page.getByRole("textbox", { name: "Password" }).fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await (landing ?? ((p: Page) => p.getByRole("heading", { name: "Projects" })))(page).waitFor();
      return page;
    },
  } as BrowserApp;

  beforeAll(async () => {
    if (!sqlite) return;
    fs.mkdirSync(SHOTS, { recursive: true });
    const dataDir = options.dataDirPrefix
      ? fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", options.dataDirPrefix))
      : undefined;
    app.t = await startApp(sqlite, dataDir ? { dataDir } : undefined);
    await app.t.app.listen({ port: 0, host: "127.0.0.1" });
    const addr = app.t.app.server.address();
    app.base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    await options.setup?.(app);
    app.browser = await chromium.launch({
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
    expect(app.problems.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await app.browser?.close();
    await app.t?.close();
  });
  return app;
}

/** Saves the page at laptop and phone widths under test-results/screenshots (not committed). */
export async function shoot(page: Page, name: string): Promise<void> {
  for (const [label, size] of [
    ["laptop", LAPTOP],
    ["phone", PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.mouse.wheel(0, -100_000);
    await page.waitForTimeout(500); // let Mantine's transitions settle so the picture shows the page, not an animation
    await page.screenshot({ path: path.join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(LAPTOP);
}

/** Mantine's Select: open it by its label, then click the option. */
export async function pick(scope: Page | Locator, label: string, option: string): Promise<void> {
  const page = "page" in scope ? scope.page() : scope;
  await scope.getByLabel(label, { exact: true }).first().click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

/** The text of the error Mantine ties to an input through aria-describedby, once the input is marked invalid. */
export async function fieldError(input: Locator): Promise<string> {
  await expect.poll(() => input.getAttribute("aria-invalid")).toBe("true");
  const ids = ((await input.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => input.page().locator(`[id="${id}"]`).textContent()));
  return texts.join(" ");
}

/** A suite's entry in the repository tree: its title followed by its case count. */
export function suiteButton(page: Page, title: string): Locator {
  return page
    .getByRole("navigation", { name: "Suites" })
    .getByRole("button", { name: new RegExp(`^${title}\\s*\\d+$`) });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** The first five elements at fault: CSS selector, axe's summary (200 chars), outer HTML (120 chars). */
  nodes: { target: string; summary: string; html: string }[];
}

let axeSource: string | undefined;

/**
 * Runs axe (WCAG 2.1 A and AA rules) on the page as it is now, e.g. with a menu open. It is evaluated
 * through the DevTools protocol, which the app's Content-Security-Policy (no inline scripts) does not govern.
 */
export async function audit(page: Page): Promise<AxeViolation[]> {
  axeSource ??= fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(axeSource);
  return page.evaluate<AxeViolation[]>(`
    axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    }).then((r) => r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({
        target: n.target.join(" "),
        summary: (n.failureSummary || "").slice(0, 200),
        html: n.html.slice(0, 120),
      })),
    })))
  `);
}
