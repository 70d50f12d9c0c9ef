import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserReady, SLOW, shoot, suiteButton, useBrowserApp } from "./browser.js";

/** A 1x1 PNG, so that the case page has an image to show inline. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** Presses the mouse on `handle`, moves in small steps (dnd-kit needs several pointer moves) and releases at a point of `target`. */
async function drag(page: Page, handle: Locator, target: Locator, yFraction: number) {
  const from = await handle.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error("drag source or target is not visible");
  const x = from.x + from.width / 2;
  const y = from.y + from.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y + 8, { steps: 4 });
  await page.mouse.move(to.x + Math.min(40, to.width / 2), to.y + to.height * yFraction, { steps: 15 });
  await page.waitForTimeout(150);
  await page.mouse.up();
}

/** The row (not its children) of a suite in the tree. */
function suiteRow(page: Page, id: number) {
  return page.locator(`li[data-suite-id="${id}"] > div`).first();
}

/** Opens a Mantine select (unless autofocus already did) and picks an option. */
async function choose(page: Page, label: string, option: string) {
  // Inside a dialog when one is open: the case list's filters carry the same labels.
  const dialog = page.getByRole("dialog");
  const scope = (await dialog.count()) > 0 ? dialog : page;
  const box = scope.getByRole("combobox", { name: label });
  if ((await box.getAttribute("aria-expanded")) !== "true") await box.click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

describe.skipIf(!browserReady)("repository drag and drop, bulk actions, attachments, fields, results", () => {
  const app = useBrowserApp({
    setup: async ({ t }) => {
      const owner = await t.user("owner", "olga@example.test");
      app.token = await t.token(owner);
      await t.project("MORE", owner);
    },
  });
  const { call, request, signIn } = app;
  const suite = async (title: string) => (await call("POST", "/v1/suite/MORE", { title })).id as number;
  const kase = async (body: Record<string, unknown>) =>
    (await call("POST", "/v1/case/MORE", body)).id as number;
  const suiteOf = async (id: number) =>
    (await call("GET", `/v1/suite/MORE/${id}`)) as unknown as {
      parent_id: number | null;
      position: number;
    };

  it(
    "drags suites to nest and reorder them, and moves them from the menu",
    async () => {
      const alpha = await suite("Alpha");
      const beta = await suite("Beta");
      const gamma = await suite("Gamma");
      const page = await signIn("olga@example.test");
      await page.goto(`${app.base}/projects/MORE`);
      await suiteButton(page, "Gamma").waitFor();

      // Gamma dropped on the middle of Alpha's row nests under Alpha.
      await drag(page, page.getByRole("button", { name: "Drag suite Gamma" }), suiteRow(page, alpha), 0.5);
      await expect.poll(async () => (await suiteOf(gamma)).parent_id).toBe(alpha);
      await page.locator(`li[data-suite-id="${alpha}"] li[data-suite-id="${gamma}"]`).waitFor();

      // Beta dropped on the upper edge of Alpha's row goes before it at the top level.
      await drag(page, page.getByRole("button", { name: "Drag suite Beta" }), suiteRow(page, alpha), 0.1);
      await expect.poll(async () => (await suiteOf(beta)).position).toBe(1);
      expect(await suiteOf(alpha)).toMatchObject({ parent_id: null, position: 2 });
      await expect
        .poll(async () =>
          page
            .locator("nav[aria-label='Suites'] > ul > li")
            .evaluateAll((els) => els.map((e) => e.dataset.suiteId)),
        )
        .toEqual([String(beta), String(alpha)]);
      await shoot(page, "suites-dragged");

      // The keyboard way: the suite's menu moves it down and out from under its parent.
      await page.getByRole("button", { name: "Actions for suite Beta" }).click();
      await page.getByRole("menuitem", { name: "Move down" }).click();
      await expect.poll(async () => (await suiteOf(beta)).position).toBe(2);
      expect((await suiteOf(alpha)).position).toBe(1);
      await page.getByRole("button", { name: "Actions for suite Gamma" }).click();
      // Beta's menu may still be fading out: pick the item of Gamma's.
      await page
        .getByRole("menu", { name: "Actions for suite Gamma" })
        .getByRole("menuitem", { name: "Move to…" })
        .click();
      await choose(page, "New parent", "Top level (no parent)");
      await page.getByRole("button", { name: "Move suite" }).click();
      await expect.poll(async () => (await suiteOf(gamma)).parent_id).toBeNull();
      await page.close();
    },
    SLOW,
  );

  it(
    "reorders steps by dragging and with the keyboard",
    async () => {
      const id = await kase({
        title: "Three steps",
        steps: [{ action: "First" }, { action: "Second" }, { action: "Third" }],
      });
      const page = await signIn("olga@example.test");
      await page.goto(`${app.base}/projects/MORE/cases/${id}/edit`);
      const actions = async () =>
        Promise.all([1, 2, 3].map((n) => page.getByLabel(`Step ${n} action`).inputValue()));
      // Tall enough that all three steps are on screen together: the mouse can only drag what it can reach.
      await page.setViewportSize({ width: 1366, height: 2000 });
      await page.getByLabel("Step 3 action").waitFor();
      await page.getByRole("button", { name: "Drag step 3" }).scrollIntoViewIfNeeded();

      await drag(
        page,
        page.getByRole("button", { name: "Drag step 3" }),
        page.getByRole("button", { name: "Drag step 1" }),
        0.2,
      );
      await expect.poll(actions).toEqual(["Third", "First", "Second"]);

      // Space picks the step up, the arrow moves it, space drops it.
      await page.getByRole("button", { name: "Drag step 1" }).focus();
      await page.keyboard.press("Space");
      await page.waitForTimeout(200);
      await page.keyboard.press("ArrowDown");
      await page.waitForTimeout(300);
      await page.keyboard.press("Space");
      await expect.poll(actions).toEqual(["First", "Third", "Second"]);
      await shoot(page, "steps-reordered");

      await page.getByRole("button", { name: "Save case" }).click();
      await page.getByRole("heading", { name: "Three steps" }).waitFor();
      const saved = (await call("GET", `/v1/case/MORE/${id}`)) as unknown as {
        steps: { action: string }[];
      };
      expect(saved.steps.map((s) => s.action)).toEqual(["First", "Third", "Second"]);
      await page.close();
    },
    SLOW,
  );

  it(
    "filters by tag and moves, sets and deletes the ticked cases",
    async () => {
      const target = await suite("Target");
      const ids = {
        login: await kase({ title: "Login works", tags: ["auth"] }),
        logout: await kase({ title: "Logout works", tags: ["auth", "session"] }),
        pay: await kase({ title: "Pay by card", tags: ["pay"] }),
        refund: await kase({ title: "Refund", tags: ["pay", "slow"] }),
      };
      const page = await signIn("olga@example.test");
      await page.goto(`${app.base}/projects/MORE`);
      const tags = page.getByLabel("Tags", { exact: true }).and(page.locator("input"));
      await tags.fill("auth");
      await tags.press("Enter");
      await expect.poll(() => page.getByTestId("case-count").textContent()).toBe("2 matching cases");
      expect(page.url()).toContain("tags=auth");
      const rows = page.getByRole("table", { name: "Cases" }).locator("tbody tr");
      expect(await rows.allTextContents()).toEqual([
        expect.stringContaining("Login works"),
        expect.stringContaining("Logout works"),
      ]);

      await page.getByRole("checkbox", { name: "Select all cases on this page" }).check();
      await page.getByText("2 cases selected").waitFor();
      await shoot(page, "cases-bulk");
      await page.getByRole("button", { name: "Bulk actions" }).click();
      await page.getByRole("menuitem", { name: "Move to suite…" }).click();
      await choose(page, "Destination suite", "Target");
      await page.getByRole("button", { name: "Move cases" }).click();
      await page.getByText("2 cases selected").waitFor({ state: "detached" });
      for (const id of [ids.login, ids.logout])
        expect((await call("GET", `/v1/case/MORE/${id}`)).suite_id).toBe(target);
      expect((await call("GET", `/v1/case/MORE/${ids.pay}`)).suite_id).toBeNull();

      await page.getByRole("checkbox", { name: `Select case MORE-${ids.logout}` }).check();
      await page.getByRole("button", { name: "Bulk actions" }).click();
      await page.getByRole("menuitem", { name: "Set severity…" }).click();
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText("Choose a value").waitFor();
      await choose(page, "Severity", "Critical");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByText("1 case selected").waitFor({ state: "detached" });
      const severity = (await call("GET", "/v1/system_field")) as unknown as {
        slug: string;
        options: { id: number; slug: string }[];
      }[];
      const critical = severity
        .find((f) => f.slug === "severity")
        ?.options.find((o) => o.slug === "critical");
      expect((await call("GET", `/v1/case/MORE/${ids.logout}`)).severity).toBe(critical?.id);
      expect((await call("GET", `/v1/case/MORE/${ids.login}`)).severity).not.toBe(critical?.id);

      // Swap the tag filter for "pay" and delete both, after confirming.
      await tags.press("Backspace");
      // Typing while the unfiltered list re-renders the filters could lose the text: wait for it first.
      await rows.filter({ hasText: "Pay by card" }).waitFor();
      await tags.fill("pay");
      await tags.press("Enter");
      // The count read "2 matching cases" under "auth" too: wait for the rows themselves.
      await expect
        .poll(() => rows.allTextContents())
        .toEqual([expect.stringContaining("Pay by card"), expect.stringContaining("Refund")]);
      expect(page.url()).toContain("tags=pay");
      await page.getByRole("checkbox", { name: "Select all cases on this page" }).check();
      await page.getByRole("button", { name: "Bulk actions" }).click();
      await page.getByRole("menuitem", { name: "Delete…" }).click();
      await page.getByRole("dialog", { name: "Delete 2 cases" }).waitFor();
      await page.getByRole("button", { name: "Delete 2 cases" }).click();
      await expect.poll(() => page.getByTestId("case-count").textContent()).toBe("0 matching cases");
      for (const id of [ids.pay, ids.refund])
        expect((await request("GET", `/v1/case/MORE/${id}`)).status).toBe(410);
      expect((await request("GET", `/v1/case/MORE/${ids.login}`)).status).toBe(200);
      await page.close();
    },
    SLOW,
  );

  it(
    "uploads attachments by dropping and choosing, sets custom fields, shows both on the case page",
    async () => {
      const browserField = (
        await call("POST", "/v1/custom_field", {
          title: "Browser",
          entity: 0,
          type: 1,
          is_enabled_for_all_projects: true,
        })
      ).id;
      const platform = (
        await call("POST", "/v1/custom_field", {
          title: "Platform",
          entity: 0,
          type: 3,
          value: [{ title: "Linux" }, { title: "macOS" }],
          is_enabled_for_all_projects: true,
        })
      ).id;
      const reviewer = (
        await call("POST", "/v1/custom_field", {
          title: "Reviewer",
          entity: 0,
          type: 8,
          is_enabled_for_all_projects: true,
        })
      ).id;
      const id = await kase({ title: "With files" });
      const page = await signIn("olga@example.test");
      await page.goto(`${app.base}/projects/MORE/cases/${id}/edit`);
      await page.getByTestId("attachment-dropzone").waitFor();

      // A file dropped on the zone, as a browser's drag from the desktop delivers it.
      // (Page code as text: the test's own TypeScript has no DOM types.)
      const dropped = await page.evaluateHandle(`(() => {
          const dt = new DataTransfer();
          dt.items.add(new File(["hello from a drop"], "notes.txt", { type: "text/plain" }));
          return dt;
        })()`);
      await page.dispatchEvent('[data-testid="attachment-dropzone"]', "drop", { dataTransfer: dropped });
      await page.getByRole("listitem", { name: "Attachment notes.txt" }).waitFor();
      // And one chosen through the file dialog.
      const chooser = page.waitForEvent("filechooser");
      await page.getByRole("button", { name: "Choose files" }).click();
      await (await chooser).setFiles({ name: "shot.png", mimeType: "image/png", buffer: PNG });
      await page.getByRole("listitem", { name: "Attachment shot.png" }).waitFor();

      await page.getByLabel("Browser").fill("Firefox 128");
      await choose(page, "Platform", "macOS");
      // A user field offers the workspace's users by name and email and stores the id.
      await page.getByRole("combobox", { name: "Reviewer" }).click();
      await page.getByRole("option", { name: /\(olga@example\.test\)$/ }).click();
      await shoot(page, "case-form-files-fields");
      await page.getByRole("button", { name: "Save case" }).click();
      await page.getByRole("heading", { name: "With files" }).waitFor();

      const saved = (await call("GET", `/v1/case/MORE/${id}`)) as unknown as {
        attachments: { hash: string; filename: string }[];
        custom_fields: { id: number; value: string }[];
      };
      expect(saved.attachments.map((a) => a.filename).sort()).toEqual(["notes.txt", "shot.png"]);
      const field = (await call("GET", `/v1/custom_field/${platform}`)) as unknown as { value: string };
      const macos = (JSON.parse(field.value) as { id: number; title: string }[]).find(
        (o) => o.title === "macOS",
      );
      const olga = (
        (await call("GET", "/v1/user?limit=100")) as unknown as {
          entities: { id: number; name: string; email: string }[];
        }
      ).entities.find((u) => u.email === "olga@example.test");
      expect(saved.custom_fields).toEqual(
        expect.arrayContaining([
          { id: browserField, value: "Firefox 128" },
          { id: platform, value: String(macos?.id) },
          { id: reviewer, value: String(olga?.id) },
        ]),
      );
      const notes = saved.attachments.find((a) => a.filename === "notes.txt");
      const download = await fetch(`${app.base}/v1/attachment/${notes?.hash}/download`, {
        headers: { token: app.token },
      });
      expect(await download.text()).toBe("hello from a drop");

      // The case page: the values by field title, the image inline, the text file as a link.
      expect(await page.getByTestId(`custom-field-${browserField}`).textContent()).toBe("BrowserFirefox 128");
      expect(await page.getByTestId(`custom-field-${platform}`).textContent()).toBe("PlatformmacOS");
      await expect
        .poll(() => page.getByTestId(`custom-field-${reviewer}`).textContent())
        .toBe(`Reviewer${olga?.name}`);
      const attachments = page.getByRole("region", { name: "Attachments" });
      const image = attachments.getByRole("img", { name: "shot.png" });
      await expect
        .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
        .toBe(1);
      expect(await attachments.getByRole("link", { name: "notes.txt" }).getAttribute("href")).toBe(
        `/v1/attachment/${notes?.hash}/download`,
      );
      await shoot(page, "case-files-fields");

      // Removing detaches the file from the case.
      await page.getByRole("link", { name: "Edit case" }).click();
      await page.getByRole("button", { name: "Remove attachment notes.txt" }).click();
      // Clearing a field on edit clears it on the server (an update keeps the fields it does not name).
      await page.getByLabel("Browser").fill("");
      await page.getByRole("button", { name: "Save case" }).click();
      await page.getByRole("heading", { name: "With files" }).waitFor();
      await expect
        .poll(async () =>
          ((await call("GET", `/v1/case/MORE/${id}`)).attachments as { filename: string }[]).map(
            (a) => a.filename,
          ),
        )
        .toEqual(["shot.png"]);
      const cleared = (await call("GET", `/v1/case/MORE/${id}`)).custom_fields as { id: number }[];
      expect(cleared.map((f) => f.id)).toEqual([platform, reviewer]);
      await page.close();
    },
    SLOW,
  );

  it(
    "lists the case's results across runs, newest first, a page at a time",
    async () => {
      const id = await kase({ title: "Has history" });
      const older = (await call("POST", "/v1/run/MORE", { title: "Nightly 1", cases: [id] })).id;
      const newer = (await call("POST", "/v1/run/MORE", { title: "Nightly 2", cases: [id] })).id;
      await call("POST", `/v1/result/MORE/${older}/bulk`, {
        results: Array.from({ length: 20 }, (_, i) => ({
          case_id: id,
          status: "failed",
          time_ms: 1500 + i,
          comment: `attempt ${i + 1}`,
        })),
      });
      await call("POST", `/v1/result/MORE/${newer}`, {
        case_id: id,
        status: "passed",
        time_ms: 2500,
        comment: "green",
      });

      const page = await signIn("olga@example.test");
      await page.goto(`${app.base}/projects/MORE/cases/${id}`);
      await page.getByRole("tab", { name: "Results" }).click();
      expect(page.url()).toContain("tab=results");
      await expect.poll(() => page.getByTestId("result-count").textContent()).toBe("21 results");
      const rows = page.getByRole("table", { name: "Results of this case" }).locator("tbody tr");
      await expect.poll(() => rows.count()).toBe(20);
      // Each row names its run once that run's title has loaded (a request of its own).
      await expect.poll(() => rows.first().textContent()).toContain(`#${newer} Nightly 2`);
      const first = await rows.first().textContent();
      expect(first).toContain("Passed");
      expect(first).toContain("2.5 s");
      expect(first).toContain("green");
      await shoot(page, "case-results");

      await page.getByRole("button", { name: "2", exact: true }).click();
      await expect.poll(() => rows.count()).toBe(1);
      const last = await rows.first().textContent();
      expect(last).toContain("Failed");
      expect(last).toContain("attempt 1");
      await rows
        .first()
        .getByRole("link", { name: `#${older} Nightly 1` })
        .click();
      await page.waitForURL(`**/projects/MORE/runs/${older}`);
      await page.close();
    },
    SLOW,
  );
});
