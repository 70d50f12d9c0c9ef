import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { audit, browserReady, LAPTOP, PHONE, SHOTS, useBrowserApp } from "./browser.js";

/** Every project section: its link's name, the menu it sits in on a laptop (if any), its address. */
const SECTIONS: { name: string; group?: string; path: string }[] = [
  { name: "Repository", path: "" },
  { name: "Runs", path: "/runs" },
  { name: "Plans", path: "/plans" },
  { name: "Defects", path: "/defects" },
  { name: "Milestones", group: "Planning", path: "/milestones" },
  { name: "Environments", group: "Planning", path: "/environments" },
  { name: "Shared steps", group: "Library", path: "/shared-steps" },
  { name: "Shared parameters", group: "Library", path: "/shared-parameters" },
  { name: "Custom fields", group: "Library", path: "/custom-fields" },
  { name: "Configurations", group: "Library", path: "/configurations" },
  { name: "Reviews", group: "Library", path: "/reviews" },
  { name: "Settings", path: "/settings" },
];

/** Serious and critical axe findings (WCAG 2.1 A/AA) on the page as it is now, e.g. with a menu open. */
async function axeProblems(page: Page): Promise<string[]> {
  return (await audit(page))
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id}: ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => n.html)
          .join(" | ")}`,
    );
}

async function settle(page: Page) {
  await page.waitForTimeout(400); // Mantine's transitions, so a picture shows the page and not an animation
}

describe.skipIf(!browserReady)("project navigation and QQL search in a real browser", () => {
  let manualCase = 0;
  const app = useBrowserApp({
    timeout: 15_000,
    setup: async ({ t, call }) => {
      const owner = await t.user("owner", "olga@example.test");
      app.token = await t.token(owner);
      await t.project("NAV", owner);
      manualCase = (await call("POST", "/v1/case/NAV", { title: "Refund by voucher", automation: 0 }))
        .id as number;
      await call("POST", "/v1/case/NAV", { title: "Log in with SSO", automation: 2 });
      await call("POST", "/v1/case/NAV/bulk", {
        cases: Array.from({ length: 23 }, (_, i) => ({
          title: `Bulk check ${String(i + 1).padStart(2, "0")}`,
        })),
      });
    },
  });
  const signIn = () => app.signIn("olga@example.test", (p) => p.getByRole("link", { name: "Project NAV" }));

  it("walks every project section on a laptop in one line of links and menus, marking the current one", async () => {
    const page = await signIn();
    await page.getByRole("link", { name: "Project NAV" }).click();
    const nav = page.getByRole("navigation", { name: "Project sections" });
    await nav.getByRole("link", { name: "Repository" }).waitFor();

    // Twelve sections in one line at 1366px: the bar is a single row of buttons.
    const bar = await nav.getByRole("list").first().boundingBox();
    expect(bar?.height).toBeLessThan(48);
    // A closed menu's panel is not drawn at all.
    for (const group of ["Planning", "Library"]) {
      const panel = await nav.getByRole("button", { name: group }).getAttribute("aria-controls");
      expect(await page.locator(`[id="${panel}"]`).isVisible()).toBe(false);
    }

    for (const s of SECTIONS) {
      if (s.group) {
        const toggle = nav.getByRole("button", { name: s.group });
        await toggle.click();
        expect(await toggle.getAttribute("aria-expanded")).toBe("true");
      }
      await nav.getByRole("link", { name: s.name, exact: true }).click();
      await page.waitForURL(`${app.base}/projects/NAV${s.path}`);
      if (s.group) {
        // The menu closes on the way; it holds the current section, marked when it is opened again.
        const toggle = nav.locator('button[aria-current="true"]', { hasText: s.group });
        await toggle.waitFor();
        // Wait for it to close: after two sections of one menu the button was already current, and a
        // click while the menu was still closing shut it instead of opening it.
        await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("false");
        await toggle.click();
        await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("true");
      }
      const current = nav.locator('[aria-current="page"]:visible');
      await current.filter({ hasText: new RegExp(`^${s.name}$`) }).waitFor();
      expect(await current.count()).toBe(1);
      if (s.group) await page.keyboard.press("Escape");
    }

    // Keyboard: Enter opens a menu, Tab walks its links, Escape closes it and returns to its button.
    const library = nav.getByRole("button", { name: "Library" });
    await library.focus();
    await page.keyboard.press("Enter");
    expect(await library.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("Tab");
    const focused = page.locator("*:focus");
    expect(await focused.textContent()).toBe("Shared steps");
    await page.keyboard.press("Escape");
    expect(await library.getAttribute("aria-expanded")).toBe("false");
    expect(await focused.getAttribute("aria-controls")).toBe(await library.getAttribute("aria-controls"));
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${app.base}/projects/NAV/shared-parameters`);

    await nav.getByRole("button", { name: "Library" }).click();
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, "project-nav-laptop.png") });
    expect(await axeProblems(page), "project-nav-laptop").toEqual([]);
    await page.close();
  });

  it("walks every project section on a phone through one section button", async () => {
    const page = await signIn();
    await page.setViewportSize(PHONE);
    await page.goto(`${app.base}/projects/NAV`);
    const nav = page.getByRole("navigation", { name: "Project sections" });
    const picker = nav.getByRole("button", { name: /^Section:/ });
    await picker.waitFor();
    expect(await picker.textContent()).toContain("Section: Repository");
    // The laptop bar is hidden, not squeezed in.
    expect(await nav.getByRole("link", { name: "Runs", exact: true }).count()).toBe(0);

    for (const s of SECTIONS) {
      await picker.click();
      expect(await picker.getAttribute("aria-expanded")).toBe("true");
      await nav.getByRole("link", { name: s.name, exact: true }).click();
      await page.waitForURL(`${app.base}/projects/NAV${s.path}`);
      await nav.getByRole("button", { name: `Section: ${s.name}` }).waitFor();
      expect(await picker.getAttribute("aria-expanded")).toBe("false");
      await picker.click();
      const current = nav.locator('[aria-current="page"]:visible');
      await current.filter({ hasText: new RegExp(`^${s.name}$`) }).waitFor();
      expect(await current.count()).toBe(1);
      await page.keyboard.press("Escape");
      // Nothing on the page is wider than the phone.
      expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
        PHONE.width,
      );
    }

    await page.goto(`${app.base}/projects/NAV/environments`);
    await picker.click();
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, "project-nav-phone.png") });
    expect(await axeProblems(page), "project-nav-phone").toEqual([]);
    await page.close();
  });

  it("finds a case with a QQL example, pages through matches, opens the case and explains a bad query", async () => {
    const page = await signIn();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Search" }).click();
    await page.waitForURL(`${app.base}/search`);
    const main = page.getByRole("navigation", { name: "Main" });
    await main.locator('a[aria-current="page"]', { hasText: "Search" }).waitFor();
    expect(await main.locator('[aria-current="page"]').count()).toBe(1);
    const field = page.getByRole("textbox", { name: "QQL query" });

    // The first example names the user's project and asks for manual cases.
    const example = 'entity = "case" and project = "NAV" and automation = "manual"';
    await page.getByRole("button", { name: example }).click();
    expect(await field.inputValue()).toBe(example);
    const table = page.getByRole("table", { name: "Search results" });
    await table.getByRole("link", { name: "Refund by voucher" }).waitFor();
    expect(await table.getByRole("link", { name: "Log in with SSO" }).count()).toBe(0);

    // Every example is a query the server reads.
    const examples = page.getByRole("list", { name: "Examples" }).getByRole("button");
    const count = await examples.count();
    expect(count).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < count; i++) {
      const text = (await examples.nth(i).textContent()) ?? "";
      await examples.nth(i).click();
      await page.waitForURL((url) => url.searchParams.get("q") === text);
      await page.getByRole("status").filter({ hasText: /match/i }).waitFor();
      expect(await field.getAttribute("aria-invalid")).not.toBe("true");
    }

    // Paged: 23 bulk cases are 20 on the first page and 3 on the second.
    await field.fill('entity = "case" and project = "NAV" and title ~ "bulk" order by title asc');
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "23 matches" }).waitFor();
    expect(await table.getByRole("row").count()).toBe(21);
    await page
      .getByRole("navigation", { name: "Search result pages" })
      .getByRole("button", { name: "2" })
      .click();
    await table.getByRole("link", { name: "Bulk check 23" }).waitFor();
    expect(await table.getByRole("row").count()).toBe(4);
    expect(page.url()).toContain("page=2");

    await field.fill('entity = "case" and title ~ "voucher"');
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await table.getByRole("link", { name: "Refund by voucher" }).waitFor();
    expect(await table.getByRole("row").count()).toBe(2);
    await page.setViewportSize(PHONE);
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, "search-phone.png"), fullPage: true });
    expect(await axeProblems(page), "search-phone").toEqual([]);
    await page.setViewportSize(LAPTOP);
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, "search-laptop.png"), fullPage: true });
    expect(await axeProblems(page), "search-laptop").toEqual([]);

    await table.getByRole("link", { name: "Refund by voucher" }).click();
    await page.waitForURL(`${app.base}/projects/NAV/cases/${manualCase}`);
    await page.getByRole("heading", { name: "Refund by voucher" }).waitFor();

    // A query the server cannot read: its message, with the position, under the field.
    await page.goBack();
    await field.waitFor();
    await field.fill('entity = "case" and colour = "red"');
    await page.keyboard.press("Enter");
    await page.getByText(/Query is invalid at position 21: unknown field "colour"/).waitFor();
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    const described = (await field.getAttribute("aria-describedby")) ?? "";
    const parts = await Promise.all(
      described
        .split(" ")
        .filter(Boolean)
        .map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    const description = parts.join(" ");
    expect(description).toContain("position 21");
    expect(await table.count()).toBe(0);
    await page.setViewportSize(PHONE);
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, "search-error-phone.png"), fullPage: true });
    expect(await axeProblems(page), "search-error-phone").toEqual([]);
    await page.setViewportSize(LAPTOP);
    await settle(page);
    await page.screenshot({ path: path.join(SHOTS, "search-error-laptop.png"), fullPage: true });
    expect(await axeProblems(page), "search-error-laptop").toEqual([]);
    await page.close();
  });
});
