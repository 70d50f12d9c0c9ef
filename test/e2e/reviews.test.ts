import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { authorUuid } from "../../src/features/authors/authors.service.js";
import { browserReady, fieldError, PHONE, pick, SLOW, shoot, useBrowserApp } from "./browser.js";
import { openSection } from "./project-nav.js";

interface CaseRead {
  title: string;
  description: string | null;
  version: number;
  steps: { action: string; expected_result: string | null; steps: unknown[] }[];
}

interface ReviewRead {
  id: number;
  status: string;
  type: string;
  case_id: number | null;
  reviewers: { author_uuid: string; status: string }[];
  proposed_case: Record<string, unknown>;
  merged_case_version: number | null;
}

/** One option of a Mantine SegmentedControl, by the control's name and the option's label. */
function segment(page: Page, control: string, option: string) {
  return page.getByRole("radiogroup", { name: control }).locator("label", { hasText: option });
}

/** Nothing on the page is wider than the window. */
async function fitsWidth(page: Page, width: number) {
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(width);
}

describe.skipIf(!browserReady)("case reviews in a real browser", () => {
  let ownerUuid = "";
  let memberUuid = "";
  let suiteId = 0;
  const app = useBrowserApp({
    timeout: 15_000,
    setup: async ({ t }) => {
      const owner = await t.user("owner", "olga@example.test");
      const member = await t.user("member", "mia@example.test");
      await t.user("viewer", "vic@example.test");
      ownerUuid = authorUuid(owner.id);
      memberUuid = authorUuid(member.id);
      app.token = await t.token(owner);
      await t.project("REV", owner);
    },
  });
  const { call } = app;
  const getCase = async (id: number) => (await call("GET", `/v1/case/REV/${id}`)) as unknown as CaseRead;
  const getReview = async (id: number) =>
    (await call("GET", `/v1/review/REV/${id}`)) as unknown as ReviewRead;
  const reviewIdOf = (page: Page) => Number(new URL(page.url()).pathname.split("/").at(-1));

  it(
    "a member proposes a change to a case; the assigned owner approves and merges it into the case",
    async () => {
      suiteId = (await call("POST", "/v1/suite/REV", { title: "Login" })).id as number;
      const caseId = (
        await call("POST", "/v1/case/REV", {
          title: "Sign in",
          suite_id: suiteId,
          description: "The login form",
          steps: [{ action: "Open the login page", expected_result: "The form shows" }],
        })
      ).id as number;

      const page = await app.signIn("mia@example.test");
      await page.getByRole("link", { name: "Project REV" }).click();
      await openSection(page, "Reviews");
      await page.getByText("No reviews yet.").waitFor();
      await page.getByRole("link", { name: "Propose a change" }).click();

      await segment(page, "What do you propose?", "A change to a case").click();
      await pick(page, "Case to change", `REV-${caseId} · Sign in`);
      const title = page.getByRole("textbox", { name: "Title" });
      // The form appears once the chosen case is loaded, holding its values.
      await title.waitFor();
      expect(await title.inputValue()).toBe("Sign in");
      await title.fill("Sign in with email");
      await page.getByLabel("Step 1 action").fill("Open the sign-in page");
      await page.getByRole("button", { name: "Add step" }).click();
      await page.getByLabel("Step 2 action").fill("Submit email and password");
      await page.getByLabel("Step 2 expected result").fill("The dashboard opens");
      await pick(page, "Reviewers", "owner 0 (olga@example.test)");
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: "Send for review" }).click();

      // The review page: the proposed fields against the case as it is now.
      await page.getByRole("heading", { name: "Sign in with email" }).waitFor();
      const reviewId = reviewIdOf(page);
      const titleChange = page.getByRole("group", { name: "Title" });
      expect(await titleChange.getAttribute("data-change")).toBe("changed");
      expect(await titleChange.textContent()).toMatch(/Current\s*Sign in\s*Proposed\s*Sign in with email/);
      // Only the changed fields are proposed.
      expect(await page.getByRole("group", { name: "Description" }).count()).toBe(0);
      const steps = page.getByRole("region", { name: "Proposed steps" });
      expect(await steps.getByRole("listitem", { name: "Step 1" }).getAttribute("data-change")).toBe(
        "changed",
      );
      const added = steps.getByRole("listitem", { name: "Step 2" });
      expect(await added.getAttribute("data-change")).toBe("added");
      expect(await added.textContent()).toContain("Expected result: The dashboard opens");
      // The author is no reviewer: no verdict buttons, but the writer's actions.
      await page.getByRole("button", { name: "Merge" }).waitFor();
      expect(await page.getByRole("button", { name: "Approve" }).count()).toBe(0);
      expect(await page.getByRole("listitem", { name: "Reviewer owner 0" }).textContent()).toContain(
        "Not reviewed yet",
      );
      await shoot(page, "review");

      const stored = await getReview(reviewId);
      expect(stored).toMatchObject({ type: "edit", status: "open", case_id: caseId });
      expect(stored.reviewers).toEqual([{ author_uuid: ownerUuid, status: "unapproved" }]);
      expect(Object.keys(stored.proposed_case).sort()).toEqual(["steps", "title"]);
      await page.close();

      // The owner, the assigned reviewer, approves and merges.
      const owner = await app.signIn("olga@example.test");
      await owner.goto(`${app.base}/projects/REV/reviews`);
      await owner
        .getByRole("table", { name: "Reviews" })
        .getByRole("link", { name: "Sign in with email" })
        .click();
      await owner.getByRole("button", { name: "Approve" }).click();
      await owner.getByRole("listitem", { name: "Reviewer owner 0" }).getByText("Approved").waitFor();
      expect(await owner.getByRole("button", { name: "Approve" }).getAttribute("aria-pressed")).toBe("true");
      expect((await getReview(reviewId)).reviewers).toEqual([{ author_uuid: ownerUuid, status: "approved" }]);

      await owner.getByRole("button", { name: "Merge" }).click();
      const dialog = owner.getByRole("dialog", { name: `Merge review ${reviewId}?` });
      await dialog.getByRole("button", { name: "Merge" }).click();
      await dialog.waitFor({ state: "detached" });
      await owner.getByRole("link", { name: `version 2 of REV-${caseId}` }).waitFor();
      expect(await owner.getByRole("group", { name: "Review actions" }).getByRole("button").count()).toBe(0);
      // After the merge the diff reads against the version before it, so it still shows the change.
      expect(await owner.getByRole("group", { name: "Title" }).getAttribute("data-change")).toBe("changed");

      const merged = await getCase(caseId);
      expect(merged).toMatchObject({
        title: "Sign in with email",
        description: "The login form",
        version: 2,
      });
      expect(merged.steps.map((s) => [s.action, s.expected_result])).toEqual([
        ["Open the sign-in page", "The form shows"],
        ["Submit email and password", "The dashboard opens"],
      ]);
      expect(await getReview(reviewId)).toMatchObject({ status: "merged", merged_case_version: 2 });
      await owner.close();
    },
    SLOW,
  );

  it(
    "lists reviews by status; declining leaves the case unchanged; a refused action is explained",
    async () => {
      const caseId = (await call("POST", "/v1/case/REV", { title: "Log out", description: "old words" }))
        .id as number;
      const raced = (
        await call("POST", "/v1/review/REV", {
          reviewers: [memberUuid, ownerUuid],
          proposed_case: {
            title: "Reset password",
            suite_id: suiteId,
            steps: [{ action: "Ask for a reset link", expected_result: "A mail arrives" }],
          },
        })
      ).id as number;
      const before = await getCase(caseId);

      // The owner proposes a change from the case page: the form opens on that case.
      const page = await app.signIn("olga@example.test");
      await page.goto(`${app.base}/projects/REV/cases/${caseId}`);
      await page.getByRole("link", { name: "Propose a change" }).click();
      await page.waitForURL(`**/projects/REV/reviews/new?case=${caseId}`);
      const title = page.getByRole("textbox", { name: "Title" });
      await title.waitFor();
      expect(await title.inputValue()).toBe("Log out");
      expect(await page.getByRole("combobox", { name: "Case to change" }).inputValue()).toBe(
        `REV-${caseId} · Log out`,
      );
      await title.fill("Log out everywhere");
      await page.getByRole("textbox", { name: "Description" }).fill("new words");
      await pick(page, "Reviewers", "member 0 (mia@example.test)");
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: "Send for review" }).click();
      await page.getByRole("heading", { name: "Log out everywhere" }).waitFor();
      const declined = reviewIdOf(page);
      expect(await getReview(declined)).toMatchObject({ type: "edit", case_id: caseId });
      expect(Object.keys((await getReview(declined)).proposed_case).sort()).toEqual(["description", "title"]);

      await page.goto(`${app.base}/projects/REV/reviews`);
      const table = page.getByRole("table", { name: "Reviews" });
      const logOut = table.getByRole("row").filter({ hasText: "Log out everywhere" });
      await logOut.waitFor();
      expect(await logOut.textContent()).toContain(`Change to REV-${caseId}`);
      expect(await logOut.textContent()).toContain("member 0: not reviewed yet");
      const reset = table.getByRole("row").filter({ hasText: "Reset password" });
      expect(await reset.textContent()).toContain("New case");
      // Open reviews by default: the merged one from the first test is not listed.
      await table.getByRole("row").filter({ hasText: "Sign in with email" }).waitFor({ state: "detached" });
      await shoot(page, "reviews-list");

      await segment(page, "Review status", "Merged").click();
      await table.getByRole("row").filter({ hasText: "Sign in with email" }).waitFor();
      await logOut.waitFor({ state: "detached" });
      expect(await table.getByRole("row").count()).toBe(2);
      await segment(page, "Review status", "Open").click();

      // Decline through the page: the case keeps every field.
      await logOut.getByRole("link", { name: "Log out everywhere" }).click();
      const description = page.getByRole("group", { name: "Description" });
      await description.waitFor();
      expect(await description.textContent()).toMatch(/Current\s*old words\s*Proposed\s*new words/);
      await page.getByRole("button", { name: "Decline" }).click();
      const dialog = page.getByRole("dialog", { name: `Decline review ${declined}?` });
      await dialog.getByRole("button", { name: "Decline" }).click();
      await dialog.waitFor({ state: "detached" });
      await page.getByText("Declined on").waitFor();
      expect(await page.getByRole("button", { name: "Merge" }).count()).toBe(0);
      expect(await getCase(caseId)).toEqual(before);
      expect((await getReview(declined)).status).toBe("declined");

      // Someone declines a review while it is open here: merging it is refused, in words.
      await page.goto(`${app.base}/projects/REV/reviews/${raced}`);
      await page.getByText("Proposes a new case").waitFor();
      await call("POST", `/v1/review/REV/${raced}/decline`);
      await page.getByRole("button", { name: "Merge" }).click();
      const merge = page.getByRole("dialog", { name: `Merge review ${raced}?` });
      await merge.getByRole("button", { name: "Merge" }).click();
      const alert = merge.getByRole("alert");
      await alert.waitFor();
      expect(await alert.textContent()).toContain(`Review ${raced} of project REV is already declined`);
      expect((await getReview(raced)).status).toBe("declined");
      await page.close();
    },
    SLOW,
  );

  it(
    "a viewer reads a review and its changes but is offered no action",
    async () => {
      const caseId = (await call("POST", "/v1/case/REV", { title: "Change avatar" })).id as number;
      const id = (
        await call("POST", "/v1/review/REV", {
          case_id: caseId,
          reviewers: [memberUuid],
          proposed_case: { title: "Change avatar picture" },
        })
      ).id as number;
      const page = await app.signIn("vic@example.test");
      await page.getByRole("link", { name: "Project REV" }).click();
      await openSection(page, "Reviews");
      await page.getByRole("link", { name: "Change avatar picture" }).click();
      await page.getByRole("group", { name: "Title" }).waitFor();
      expect(await page.getByRole("group", { name: "Title" }).textContent()).toContain("Change avatar");
      for (const name of [
        "Approve",
        "Request changes",
        "Merge",
        "Decline",
        "Edit proposal",
        "Delete review",
      ]) {
        expect(await page.getByRole("button", { name }).count(), name).toBe(0);
      }
      expect(await page.getByRole("link", { name: "Edit proposal" }).count()).toBe(0);
      expect(await page.getByRole("group", { name: "Review actions" }).count()).toBe(0);
      await page.goto(`${app.base}/projects/REV/reviews`);
      await page.getByRole("table", { name: "Reviews" }).waitFor();
      expect(await page.getByRole("link", { name: "Propose a change" }).count()).toBe(0);
      await page.goto(`${app.base}/projects/REV/cases/${caseId}`);
      await page.getByRole("heading", { name: "Change avatar" }).waitFor();
      expect(await page.getByRole("link", { name: "Propose a change" }).count()).toBe(0);
      expect((await getReview(id)).status).toBe("open");
      await page.close();
    },
    SLOW,
  );

  it(
    "on a phone, a reviewer asks for changes and a new case is proposed, refused without a title, then merged",
    async () => {
      const page = await app.signIn("mia@example.test");
      await page.setViewportSize(PHONE);
      await page.goto(`${app.base}/projects/REV/reviews`);
      await page.getByRole("table", { name: "Reviews" }).waitFor();
      await fitsWidth(page, PHONE.width);

      // Mia is asked to review "Reset password"... which was declined; her open one is "Change avatar".
      await page.getByRole("link", { name: "Change avatar picture" }).click();
      await page.getByRole("button", { name: "Request changes" }).click();
      await page
        .getByRole("listitem", { name: "Reviewer member 0" })
        .getByText("Changes requested")
        .waitFor();
      await fitsWidth(page, PHONE.width);
      const asked = await call("GET", "/v1/review/REV?status=open&search=avatar");
      const avatar = (asked.entities as ReviewRead[])[0];
      expect(avatar?.reviewers).toEqual([{ author_uuid: memberUuid, status: "changes_requested" }]);
      // The case it changes, with its actions, fits the phone too.
      await page.getByRole("link", { name: `REV-${avatar?.case_id}`, exact: true }).click();
      await page.getByRole("link", { name: "Propose a change" }).waitFor();
      await fitsWidth(page, PHONE.width);

      await page.goto(`${app.base}/projects/REV/reviews/new`);
      await page.getByRole("button", { name: "Add step" }).click();
      await page.getByLabel("Step 1 action").fill("Open the profile");
      await page.getByRole("button", { name: "Send for review" }).click();
      const title = page.getByRole("textbox", { name: "Title" });
      expect(await fieldError(title)).toBe("a review of a new case needs a title");
      await fitsWidth(page, PHONE.width);
      await title.fill("Edit profile");
      await page.getByRole("button", { name: "Send for review" }).click();
      await page.getByRole("heading", { name: "Edit profile" }).waitFor();
      const id = reviewIdOf(page);
      await fitsWidth(page, PHONE.width);
      expect(await page.getByRole("group", { name: "Title" }).getAttribute("data-change")).toBe("added");

      // The author edits the proposal: the new field joins the stored ones.
      await page.getByRole("link", { name: "Edit proposal" }).click();
      const edited = page.getByRole("textbox", { name: "Title" });
      await edited.waitFor();
      expect(await edited.inputValue()).toBe("Edit profile");
      await page.getByRole("textbox", { name: "Description" }).fill("From the avatar menu");
      await page.getByRole("button", { name: "Save proposal" }).click();
      await page.getByRole("group", { name: "Description" }).getByText("From the avatar menu").waitFor();
      expect(Object.keys((await getReview(id)).proposed_case).sort()).toEqual([
        "description",
        "steps",
        "title",
      ]);

      await page.getByRole("button", { name: "Merge" }).click();
      await page
        .getByRole("dialog", { name: `Merge review ${id}?` })
        .getByRole("button", { name: "Merge" })
        .click();
      const made = page.getByRole("link", { name: /^version 1 of REV-\d+$/ });
      await made.waitFor();
      const review = await getReview(id);
      expect(review).toMatchObject({ status: "merged", type: "create", merged_case_version: 1 });
      const created = await getCase(review.case_id ?? 0);
      expect(created.title).toBe("Edit profile");
      expect(created.steps.map((s) => s.action)).toEqual(["Open the profile"]);
      await page.close();
    },
    SLOW,
  );
});
