import fs from "node:fs";
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

async function shoot(page: Page, name: string) {
  for (const [label, size] of [
    ["laptop", { width: 1366, height: 768 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(500); // let Mantine's transitions settle so the picture shows the page, not an animation
    await page.screenshot({ path: path.join(SHOTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

async function expectEventually(check: () => Promise<boolean>) {
  for (let i = 0; i < 50; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not reached within 5 s");
}

// The browser suite needs Debian's chromium and a built web app (npm run build); .ci/run provides both.
describe.skipIf(!ready || !sqlite)("web app in a real browser", () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let adminSecret = "";
  const ownerToken = () => adminSecret;

  beforeAll(async () => {
    if (!sqlite) return;
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startApp(sqlite);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const addr = t.app.server.address();
    base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
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

  it("sets up the owner, creates a project, issues a token that works until revoked", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(10_000);
    await page.goto(base);
    await page.getByRole("heading", { name: "Set up Verdict" }).waitFor();
    await shoot(page, "setup");
    await page.getByLabel("Name").fill("Olga Owner");
    await page.getByLabel("Email").fill("olga@example.test");
    await page.getByRole("textbox", { name: "Password" }).fill("correct horse battery");
    await page.getByRole("button", { name: "Create owner account" }).click();

    await page.getByRole("heading", { name: "Projects" }).waitFor();
    await page.getByRole("button", { name: "New project" }).click();
    await page.getByLabel("Title").fill("Web shop");
    await page.getByLabel("Code").fill("SHOP");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("cell", { name: "Web shop" }).waitFor();
    await shoot(page, "projects");

    // A bad code shows the API's own field error next to the field.
    await page.getByRole("button", { name: "New project" }).click();
    await page.getByLabel("Title").fill("Duplicate");
    await page.getByLabel("Code").fill("SHOP");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByText("a project with code SHOP already exists").first().waitFor();
    await page.keyboard.press("Escape");

    await page.getByRole("link", { name: "API tokens" }).click();
    await page.getByRole("button", { name: "Create token" }).click();
    await page.getByLabel("Name").fill("GitHub Actions");
    await page.getByLabel("Results: what CI needs (create runs, post results and attachments)").check();
    await page.getByRole("dialog").getByRole("button", { name: "Create token" }).click();
    const secret = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^vdt_[0-9A-Za-z]{38}$/);
    await shoot(page, "token-created");
    expect(await page.getByRole("button", { name: "Done" }).isDisabled()).toBe(true);
    await page.getByLabel("I have saved it").check();
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("cell", { name: "GitHub Actions", exact: true }).waitFor();
    await shoot(page, "tokens");

    const call = () => fetch(`${base}/v1/project/SHOP`, { headers: { Authorization: `Bearer ${secret}` } });
    expect((await call()).status).toBe(200);

    await page.getByRole("button", { name: "Actions for GitHub Actions" }).click();
    await page.getByRole("menuitem", { name: "Revoke" }).click();
    await page.getByRole("button", { name: "Revoke token" }).click();
    await page.getByRole("cell", { name: "GitHub Actions", exact: true }).waitFor({ state: "detached" });
    expect((await call()).status).toBe(401);
    await page.close();
  });

  it("shows a viewer no edit buttons, and the API refuses the viewer's writes", async () => {
    await t.user("viewer", "vera@example.test");
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(10_000);
    await page.goto(base);
    await page.getByLabel("Email").fill("vera@example.test");
    await page.getByRole("textbox", { name: "Password" }).fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Wrong email or password" }).waitFor();
    await page.getByRole("textbox", { name: "Password" }).fill("password-123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Projects" }).waitFor();
    await page.getByRole("cell", { name: "Web shop" }).waitFor();
    expect(await page.getByRole("button", { name: "New project" }).count()).toBe(0);
    const status = await page.evaluate(async () => {
      const res = await fetch("/v1/project", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: "Sneaky", code: "SNEAK" }),
      });
      return res.status;
    });
    expect(status).toBe(403);
    await page.close();
  });

  it("lets the owner manage members, the token policy and read the audit log", async () => {
    adminSecret = await t.token(await t.user("admin"));
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(10_000);
    await page.goto(base);
    await page.getByLabel("Email").fill("olga@example.test");
    await page.getByRole("textbox", { name: "Password" }).fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Workspace" }).click();
    await page.getByRole("button", { name: "Add member" }).click();
    await page.getByLabel("Name").fill("Mia Member");
    await page.getByLabel("Email").fill("mia@example.test");
    await page.getByRole("dialog").getByRole("button", { name: "Add member" }).click();
    await page.getByRole("cell", { name: "mia@example.test", exact: true }).waitFor();
    await page.getByLabel("Role of mia@example.test").first().click();
    await page.getByRole("option", { name: "viewer" }).click();
    await expectEventually(async () => {
      const row = await t.ctx.db
        .selectFrom("users")
        .select("role")
        .where("email", "=", "mia@example.test")
        .executeTakeFirst();
      return row?.role === "viewer";
    });
    await shoot(page, "workspace-members");

    await page.getByRole("tab", { name: "Token policy" }).click();
    await page.getByLabel("Maximum token lifetime (days)").fill("30");
    await page.getByLabel("Allow tokens that never expire").uncheck();
    await page.getByRole("button", { name: "Save policy" }).click();
    await page.getByText("Saved.").waitFor();
    const res = await fetch(`${base}/v1/workspace/settings`, { headers: { token: ownerToken() } });
    const policy = (await res.json()) as { result: unknown };
    expect(policy.result).toEqual({ token_max_lifetime_days: 30, token_allow_never: false });

    await page.getByRole("tab", { name: "Audit log" }).click();
    await page.getByRole("cell", { name: "settings.changed" }).first().waitFor();
    await page.getByRole("cell", { name: "user.role_changed" }).first().waitFor();
    await shoot(page, "workspace-audit");

    await page.getByRole("link", { name: "API tokens" }).click();
    await page.getByRole("button", { name: "Create token" }).click();
    await page.getByRole("dialog").getByLabel("Expiration").first().click();
    await page.getByRole("option", { name: "30 days" }).waitFor();
    expect(await page.getByRole("option", { name: "90 days" }).count()).toBe(0);
    expect(await page.getByRole("option", { name: "No expiration" }).count()).toBe(0);
    await page.close();
  });
});
