import { describe, expect, it } from "vitest";
import { browserReady, shoot, useBrowserApp } from "./browser.js";

async function expectEventually(check: () => Promise<boolean>) {
  for (let i = 0; i < 50; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not reached within 5 s");
}

describe.skipIf(!browserReady)("web app in a real browser", () => {
  const app = useBrowserApp();

  it("sets up the owner, creates a project, issues a token that works until revoked", async () => {
    const page = await app.newPage();
    await page.goto(app.base);
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

    const call = () =>
      fetch(`${app.base}/v1/project/SHOP`, { headers: { Authorization: `Bearer ${secret}` } });
    expect((await call()).status).toBe(200);

    await page.getByRole("button", { name: "Actions for GitHub Actions" }).click();
    await page.getByRole("menuitem", { name: "Revoke" }).click();
    await page.getByRole("button", { name: "Revoke token" }).click();
    await page.getByRole("cell", { name: "GitHub Actions", exact: true }).waitFor({ state: "detached" });
    expect((await call()).status).toBe(401);
    await page.close();
  });

  it("shows a viewer no edit buttons, and the API refuses the viewer's writes", async () => {
    await app.t.user("viewer", "vera@example.test");
    const page = await app.newPage();
    await page.goto(app.base);
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
    app.token = await app.t.token(await app.t.user("admin"));
    const page = await app.signIn(
      "olga@example.test",
      (p) => p.getByRole("link", { name: "Workspace" }),
      "correct horse battery",
    );
    await page.getByRole("link", { name: "Workspace" }).click();
    await page.getByRole("button", { name: "Add member" }).click();
    await page.getByLabel("Name").fill("Mia Member");
    await page.getByLabel("Email").fill("mia@example.test");
    await page.getByRole("dialog").getByRole("button", { name: "Add member" }).click();
    await page.getByRole("cell", { name: "mia@example.test", exact: true }).waitFor();
    await page.getByLabel("Role of mia@example.test").first().click();
    await page.getByRole("option", { name: "viewer" }).click();
    await expectEventually(async () => {
      const row = await app.t.ctx.db
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
    const policy = (await app.request("GET", "/v1/workspace/settings")).json;
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
