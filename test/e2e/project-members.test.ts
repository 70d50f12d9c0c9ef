import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { audit, browserReady, fieldError, LAPTOP, PHONE, SLOW, shoot, useBrowserApp } from "./browser.js";
import { openSection } from "./project-nav.js";

interface Member {
  id: number;
  email: string;
}

/**
 * Visible boxes (non-zero width and height) inside `selector` that hold no text and draw nothing (no
 * input, image or icon): the empty bar a hidden panel leaves when CSS beats its hidden attribute.
 */
function emptyBoxes(page: Page, selector: string): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const root = document.querySelector(${JSON.stringify(selector)});
    if (!root) return ["no element matches " + ${JSON.stringify(selector)}];
    const out = [];
    for (const el of [root, ...root.querySelectorAll("*")]) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
      if ((el.textContent || "").trim() !== "") continue;
      if (el.matches("input, img, svg, svg *") || el.querySelector("input, img, svg")) continue;
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + Math.round(r.width) + "x" + Math.round(r.height));
    }
    return out;
  })()`);
}

/**
 * WCAG contrast of an element's text against the first opaque background at or above it, both as the
 * browser computed them (the app's theme variables resolved).
 */
function textContrast(page: Page, selector: string): Promise<number> {
  return page.evaluate<number>(`(() => {
    const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const c = [r, g, b].map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const el = document.querySelector(${JSON.stringify(selector)});
    if (!el) return -1;
    let bg = [255, 255, 255];
    for (let at = el; at; at = at.parentElement) {
      const c = rgb(getComputedStyle(at).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c.slice(0, 3); break; }
    }
    const a = lum(rgb(getComputedStyle(el).color).slice(0, 3));
    const b = lum(bg);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  })()`);
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

  it(
    "shows field errors and error alerts at 4.5:1 or more",
    async () => {
      const page = await app.signIn("ada@example.test");
      await page.goto(`${app.base}/projects/PRIV/settings`);
      const title = page.getByLabel("Title", { exact: true });
      await title.fill("");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      expect(await fieldError(title)).not.toBe("");
      const errorId = ((await title.getAttribute("aria-describedby")) ?? "")
        .split(/\s+/)
        .find((id) => id.endsWith("-error"));
      expect(errorId).toBeDefined();
      expect(await textContrast(page, `[id="${errorId}"]`)).toBeGreaterThanOrEqual(4.5);

      // An error alert (the refusal of a project that does not exist): its text on its red tint.
      await page.goto(`${app.base}/projects/NOPE/settings`);
      await page.getByRole("alert").filter({ hasText: "no longer exists" }).waitFor();
      expect(await textContrast(page, '[role="alert"] .mantine-Alert-message')).toBeGreaterThanOrEqual(4.5);
      // Text in red outside inputs (c="red", e.g. a picker's error) uses the same shade.
      const shade = (name: string) =>
        page.evaluate<string>(
          `getComputedStyle(document.documentElement).getPropertyValue("${name}").trim()`,
        );
      expect(await shade("--mantine-color-red-text")).toBe(await shade("--mantine-color-red-9"));
      expect(await shade("--mantine-color-error")).toBe(await shade("--mantine-color-red-9"));
      await page.close();
    },
    SLOW,
  );

  it(
    "draws no empty bar under the section picker on a phone, in project and workspace settings",
    async () => {
      const page = await app.signIn("ada@example.test");
      await page.setViewportSize(PHONE);
      await page.goto(`${app.base}/projects/PRIV/settings`);
      await page.getByRole("region", { name: "Members and access" }).waitFor();
      const nav = 'nav[aria-label="Project sections"]';
      const picker = page.getByRole("button", { name: "Section: Settings" });
      expect(await emptyBoxes(page, nav)).toEqual([]);
      // Open, then closed again: the panel goes away entirely.
      await picker.click();
      await page.getByRole("link", { name: "Runs", exact: true }).waitFor();
      await page.keyboard.press("Escape");
      expect(await picker.getAttribute("aria-expanded")).toBe("false");
      expect(await emptyBoxes(page, nav)).toEqual([]);
      // The settings follow straight under the picker: nothing but the usual gap between them.
      const below = await page.getByText("Access:", { exact: false }).first().boundingBox();
      const pickerBox = await picker.boundingBox();
      expect(below && pickerBox ? below.y - (pickerBox.y + pickerBox.height) : -1).toBeLessThanOrEqual(24);
      await shoot(page, "project-settings-phone-picker");

      await page.setViewportSize(PHONE);
      await page.goto(`${app.base}/workspace`);
      await page.getByRole("tab", { name: "Members" }).waitFor();
      expect(await emptyBoxes(page, '[role="tablist"]')).toEqual([]);
      await page.setViewportSize(LAPTOP);
      await page.close();
    },
    SLOW,
  );
});
