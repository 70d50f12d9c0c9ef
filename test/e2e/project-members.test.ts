import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { audit, browserReady, SLOW, shoot, useBrowserApp } from "./browser.js";
import { openSection } from "./project-nav.js";

interface Member {
  id: number;
  email: string;
}

describe.skipIf(!browserReady)("project members in a real browser", () => {
  const app = useBrowserApp({
    setup: async ({ t }) => {
      const owner = await t.user("owner", "ada@example.test");
      app.token = await t.token(owner);
      // A project only its members (and admins) may open.
      await t.project("PRIV", owner, "group");
      await t.project("OPEN", owner);
      await t.user("member", "max@example.test");
    },
  });
  const { call } = app;

  const memberEmails = async () =>
    ((await call("GET", "/v1/project/PRIV/access?limit=100")).entities as Member[]).map((m) => m.email);

  /** Opens the project as the page's user: true when it shows, false when the page refuses it. */
  const opens = async (page: Page) => {
    await page.goto(`${app.base}/projects/PRIV`);
    const title = page.getByRole("heading", { name: "Project PRIV" });
    const refused = page.getByRole("heading", { name: "No access to this project" });
    await title.or(refused).first().waitFor();
    if (await title.isVisible()) return true;
    // Refused: the reason and a way back, and none of the project's own controls.
    expect(await page.getByRole("alert").textContent()).toContain("You have no access to project PRIV");
    expect(await page.getByRole("link", { name: "Back to projects" }).isVisible()).toBe(true);
    expect(await page.getByRole("navigation", { name: "Project sections" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /New (case|suite)/ }).count()).toBe(0);
    return false;
  };

  it(
    "grants a member access from the settings page, who may then open the project, and revokes it",
    async () => {
      const admin = await app.signIn("ada@example.test");
      await admin.getByRole("link", { name: "Project PRIV" }).click();
      await openSection(admin, "Settings");
      const section = admin.getByRole("region", { name: "Members and access" });
      await section.waitFor();
      expect(await section.textContent()).toContain("Only admins and the people listed here");

      // Before: the member is refused, and the project is not in their list.
      const member = await app.signIn("max@example.test");
      await member.getByRole("link", { name: "Project OPEN" }).waitFor();
      expect(await member.getByRole("link", { name: "Project PRIV" }).count()).toBe(0);
      expect(await opens(member)).toBe(false);
      const serious = (await audit(member)).filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious).toEqual([]);
      await shoot(member, "project-members-refused");

      await section.getByLabel("Give access to", { exact: true }).click();
      await admin.getByRole("option", { name: /\(max@example\.test\)$/ }).click();
      await section.getByRole("button", { name: "Grant access" }).click();
      const table = section.getByRole("table", { name: "Project members" });
      await table.getByRole("row").filter({ hasText: "max@example.test" }).waitFor();
      expect(await memberEmails()).toContain("max@example.test");

      // After the grant the member opens the project and finds it in their list.
      expect(await opens(member)).toBe(true);
      await member.goto(`${app.base}/projects`);
      await member.getByRole("link", { name: "Project PRIV" }).waitFor();
      await shoot(admin, "project-members");

      await table
        .getByRole("row")
        .filter({ hasText: "max@example.test" })
        .getByRole("button", { name: /^Revoke access of / })
        .click();
      const confirm = admin.getByRole("dialog", { name: "Revoke access?" });
      await confirm.getByRole("button", { name: "Revoke access" }).click();
      await confirm.waitFor({ state: "detached" });
      await table.getByRole("row").filter({ hasText: "max@example.test" }).waitFor({ state: "detached" });
      expect(await memberEmails()).not.toContain("max@example.test");

      // Revoked: refused again.
      expect(await opens(member)).toBe(false);
      await admin.close();
      await member.close();
    },
    SLOW,
  );
});
