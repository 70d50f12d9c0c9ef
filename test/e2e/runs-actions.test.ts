import { describe, expect, it } from "vitest";
import { browserReady, fieldError, pick, shoot, useBrowserApp } from "./browser.js";
import { openSection } from "./project-nav.js";

describe.skipIf(!browserReady)(
  "run, plan, milestone, environment and defect actions in a real browser",
  () => {
    let caseIds: number[] = [];
    const app = useBrowserApp({
      setup: async ({ t, call }) => {
        const owner = await t.user("owner", "olga@example.test");
        await t.user("viewer", "vera@example.test");
        app.token = await t.token(owner);
        await t.project("SHOP", owner);
        caseIds = (
          (await call("POST", "/v1/case/SHOP/bulk", {
            cases: [{ title: "Log in" }, { title: "Add to cart" }, { title: "Pay" }, { title: "Log out" }],
          })) as { ids: number[] }
        ).ids;
        await call("POST", "/v1/environment/SHOP", { title: "Staging", slug: "staging" });
        await call("POST", "/v1/milestone/SHOP", { title: "Release 1" });
      },
    });
    const { call, signIn } = app;

    it("creates a run of ticked cases, records manual results, sees the stats change, completes it", async () => {
      const page = await signIn("olga@example.test");
      await page.goto(`${app.base}/projects/SHOP/runs`);
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

    it("starts a run from cases ticked in the repository list", async () => {
      const page = await signIn("olga@example.test");
      await page.getByRole("link", { name: "Project SHOP" }).click();
      const list = page.getByRole("table", { name: "Cases" });
      await list.getByRole("checkbox", { name: `Select case SHOP-${caseIds[1]}` }).check();
      await list.getByRole("checkbox", { name: `Select case SHOP-${caseIds[3]}` }).check();
      await page.getByRole("button", { name: "Run 2 selected" }).click();
      const dialog = page.getByRole("dialog", { name: "New run" });
      await dialog.getByText("2 selected").waitFor();
      expect(await dialog.getByRole("checkbox", { name: "Select Log out" }).isChecked()).toBe(true);
      await dialog.getByLabel("Run title").fill("Picked in the repository");
      await dialog.getByRole("button", { name: "Start run" }).click();
      await page.getByRole("heading", { name: "Picked in the repository" }).waitFor();
      const runId = Number(page.url().split("/").pop());
      const run = await call("GET", `/v1/run/SHOP/${runId}?include=cases`);
      expect(run.cases).toEqual([caseIds[1], caseIds[3]]);
      await page.close();
    });

    it("creates, edits and deletes a plan, then starts a run from it", async () => {
      const page = await signIn("olga@example.test");
      await page.goto(`${app.base}/projects/SHOP`);
      await openSection(page, "Plans");
      await page.getByText("No plans yet.").waitFor();
      await page.getByRole("button", { name: "New plan" }).click();
      const dialog = page.getByRole("dialog", { name: "New plan" });
      await dialog.getByLabel("Plan title").fill("Checkout plan");
      await dialog.getByRole("checkbox", { name: "Select Add to cart" }).check();
      await dialog.getByRole("checkbox", { name: "Select Pay" }).check();
      await dialog.getByRole("button", { name: "Create plan" }).click();
      await dialog.waitFor({ state: "detached" });
      const plans = page.getByRole("table", { name: "Plans" });
      const row = plans.getByRole("row").filter({ hasText: "Checkout plan" });
      await row.waitFor();
      expect(await row.getByRole("cell").nth(1).textContent()).toBe("2");
      await shoot(page, "plans");

      // Editing starts from the plan's cases; one more ticked is saved with them.
      await page.getByRole("button", { name: "Edit Checkout plan" }).click();
      const edit = page.getByRole("dialog", { name: "Edit plan “Checkout plan”" });
      await edit.getByText("2 selected").waitFor();
      expect(await edit.getByRole("checkbox", { name: "Select Pay" }).isChecked()).toBe(true);
      await edit.getByRole("checkbox", { name: "Select Log out" }).check();
      await edit.getByLabel("Plan title").fill("Checkout and leave");
      await edit.getByRole("button", { name: "Save plan" }).click();
      await edit.waitFor({ state: "detached" });
      const edited = plans.getByRole("row").filter({ hasText: "Checkout and leave" });
      await edited.waitFor();
      expect(await edited.getByRole("cell").nth(1).textContent()).toBe("3");

      // A run from the plan holds the plan's cases.
      await openSection(page, "Runs");
      await page.getByRole("button", { name: "New run" }).click();
      const run = page.getByRole("dialog", { name: "New run" });
      await run.getByLabel("Run title").fill("Plan run");
      await run.getByText("From a plan").click();
      await pick(run, "Plan", "Checkout and leave (3 cases)");
      await run.getByRole("button", { name: "Start run" }).click();
      await page.getByRole("heading", { name: "Plan run" }).waitFor();
      await page.getByRole("img", { name: "Results: 3 untested" }).waitFor();

      // A throwaway plan is deleted after confirmation.
      await call("POST", "/v1/plan/SHOP", { title: "Old plan", cases: [caseIds[0]] });
      await page.goto(`${app.base}/projects/SHOP/plans`);
      await page.getByRole("button", { name: "Delete Old plan" }).click();
      await page
        .getByRole("dialog", { name: "Delete plan?" })
        .getByRole("button", { name: "Delete plan" })
        .click();
      await plans.getByRole("row").filter({ hasText: "Old plan" }).waitFor({ state: "detached" });
      expect(await plans.getByRole("row").count()).toBe(2);
      await page.close();
    });

    it("creates and edits milestones and environments, with the API's field errors at their fields", async () => {
      const page = await signIn("olga@example.test");
      await page.goto(`${app.base}/projects/SHOP/milestones`);
      await page.getByRole("button", { name: "New milestone" }).click();
      const dialog = page.getByRole("dialog", { name: "New milestone" });
      await dialog.getByLabel("Milestone title").fill("Release 2");
      await dialog.getByLabel("Due date").fill("2027-03-31");
      await dialog.getByRole("button", { name: "Create milestone" }).click();
      await dialog.waitFor({ state: "detached" });
      const milestones = page.getByRole("table", { name: "Milestones" });
      const row = milestones.getByRole("row").filter({ hasText: "Release 2" });
      await row.waitFor();
      expect(await row.textContent()).toContain("2027-03-31");
      expect(await row.textContent()).toContain("Active");

      await page.getByRole("button", { name: "Edit Release 2" }).click();
      const edit = page.getByRole("dialog", { name: "Edit milestone “Release 2”" });
      await pick(edit, "Milestone status", "Completed");
      await edit.getByLabel("Due date").fill("2027-04-15");
      await edit.getByRole("button", { name: "Save milestone" }).click();
      await edit.waitFor({ state: "detached" });
      await row.filter({ hasText: "Completed" }).waitFor();
      expect(await row.textContent()).toContain("2027-04-15");
      const stored = (await call("GET", "/v1/milestone/SHOP?limit=100")) as {
        entities: { title: string; status: string; due_date: string }[];
      };
      const release2 = stored.entities.find((m) => m.title === "Release 2");
      expect(release2?.status).toBe("completed");
      expect(release2?.due_date.slice(0, 10)).toBe("2027-04-15");
      await shoot(page, "milestones");

      await page.getByRole("button", { name: "Delete Release 1" }).click();
      await page
        .getByRole("dialog", { name: "Delete milestone?" })
        .getByRole("button", { name: "Delete milestone" })
        .click();
      await milestones.getByRole("row").filter({ hasText: "Release 1" }).waitFor({ state: "detached" });

      await openSection(page, "Environments");
      await page.getByRole("button", { name: "New environment" }).click();
      const env = page.getByRole("dialog", { name: "New environment" });
      await env.getByLabel("Environment title").fill("Production");
      await env.getByLabel("Slug").fill("prod site");
      await env.getByLabel("Host").fill("https://shop.example.com");
      await env.getByRole("button", { name: "Create environment" }).click();
      // The server refuses a slug with a space and says so next to the slug.
      await env.locator('input[aria-invalid="true"]').first().waitFor();
      expect(await fieldError(env.getByLabel("Slug"))).toContain("must not be blank or contain spaces");
      await env.getByLabel("Slug").fill("prod");
      await env.getByRole("button", { name: "Create environment" }).click();
      await env.waitFor({ state: "detached" });
      const environments = page.getByRole("table", { name: "Environments" });
      const prod = environments.getByRole("row").filter({ hasText: "Production" });
      await prod.waitFor();
      expect(await prod.textContent()).toContain("prod");
      expect(await prod.textContent()).toContain("https://shop.example.com");

      await page.getByRole("button", { name: "Edit Staging" }).click();
      const editEnv = page.getByRole("dialog", { name: "Edit environment “Staging”" });
      await editEnv.getByLabel("Environment title").fill("Staging EU");
      await editEnv.getByRole("button", { name: "Save environment" }).click();
      await editEnv.waitFor({ state: "detached" });
      await environments.getByRole("row").filter({ hasText: "Staging EU" }).waitFor();
      await shoot(page, "environments");

      await page.getByRole("button", { name: "Delete Production" }).click();
      await page
        .getByRole("dialog", { name: "Delete environment?" })
        .getByRole("button", { name: "Delete environment" })
        .click();
      await prod.waitFor({ state: "detached" });
      await page.close();
    });

    it("reports defects, filters them by status, resolves one and moves another on", async () => {
      const page = await signIn("olga@example.test");
      await page.goto(`${app.base}/projects/SHOP/defects`);
      for (const [title, severity] of [
        ["Cart loses items", "Critical"],
        ["Typo on the pay button", "Trivial"],
      ] as const) {
        await page.getByRole("button", { name: "New defect" }).click();
        const dialog = page.getByRole("dialog", { name: "New defect" });
        await dialog.getByLabel("Defect title").fill(title);
        await dialog.getByLabel("Actual result").fill(`${title}, seen on staging`);
        await pick(dialog, "Severity", severity);
        await dialog.getByRole("button", { name: "Create defect" }).click();
        await dialog.waitFor({ state: "detached" });
      }
      const defects = page.getByRole("table", { name: "Defects" });
      const cart = defects.getByRole("row").filter({ hasText: "Cart loses items" });
      const typo = defects.getByRole("row").filter({ hasText: "Typo on the pay button" });
      await typo.waitFor();
      expect(await cart.textContent()).toContain("Critical");
      expect(await cart.textContent()).toContain("Open");

      await page.getByRole("button", { name: "Resolve Cart loses items" }).click();
      await cart.filter({ hasText: "Resolved" }).waitFor();
      await page.getByRole("button", { name: "Change status of Typo on the pay button" }).click();
      await page.getByRole("menuitem", { name: "In progress" }).click();
      await typo.filter({ hasText: "In progress" }).waitFor();

      await page.getByLabel("Defect status").getByText("Resolved", { exact: true }).click();
      await typo.waitFor({ state: "detached" });
      await cart.waitFor();
      expect(await defects.getByRole("row").count()).toBe(2);
      await shoot(page, "defects");
      await page.getByLabel("Defect status").getByText("Open", { exact: true }).click();
      await page.getByText("No defects match.").waitFor();
      await page.close();
    });

    it("shows a viewer runs, plans, milestones, environments and defects without edit controls", async () => {
      const runId = (await call("POST", "/v1/run/SHOP", { title: "Viewer sees", cases: [caseIds[0]] })).id;
      const page = await signIn("vera@example.test");
      await page.goto(`${app.base}/projects/SHOP/runs/${runId}`);
      await page.getByRole("heading", { name: "Viewer sees" }).waitFor();
      await page.getByRole("table", { name: "Run results" }).waitFor();
      expect(await page.getByRole("button", { name: /Add result|Complete run/ }).count()).toBe(0);
      await page.getByRole("link", { name: "Runs" }).click();
      for (const name of ["Runs", "Plans", "Milestones", "Environments", "Defects"]) {
        await openSection(page, name);
        await page.getByRole("table", { name }).waitFor();
        expect(
          await page.getByRole("button", { name: /^(New|Edit|Delete|Resolve|Change status)/ }).count(),
        ).toBe(0);
      }
      await openSection(page, "Repository");
      await page.getByRole("table", { name: "Cases" }).waitFor();
      expect(await page.getByRole("checkbox").count()).toBe(0);
      await openSection(page, "Settings");
      await page.getByText("Open defects").waitFor();
      expect(await page.getByRole("button", { name: "Delete this project" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Save" }).count()).toBe(0);
      await page.close();
    });

    it("shows the project's counts and deletes it only after its code is typed", async () => {
      const admin = await app.t.user("admin", "adam@example.test");
      await app.t.project("GONE", admin);
      await call("POST", "/v1/case/GONE", { title: "Soon gone" });
      const page = await signIn("adam@example.test");
      await page.goto(`${app.base}/projects/GONE/settings`);
      const counts = page.getByLabel("Project counts");
      await counts.waitFor();
      expect(await counts.textContent()).toContain("Cases1");
      // Edit title and turn off case creation for unmatched automated results; the API reads it back.
      await page.getByLabel("Title").fill("Soon gone (renamed)");
      await page.getByLabel("Create test cases for automated results that match none").click();
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("Saved.").waitFor();
      const saved = (await (
        await fetch(`${app.base}/v1/project/GONE`, { headers: { token: app.token } })
      ).json()) as {
        result: { title: string; settings: { auto_create_cases?: boolean } };
      };
      expect(saved.result.title).toBe("Soon gone (renamed)");
      expect(saved.result.settings.auto_create_cases).toBe(false);
      const button = page.getByRole("button", { name: "Delete this project" });
      expect(await button.isDisabled()).toBe(true);
      await page.getByLabel("Type GONE to confirm").fill("GON");
      expect(await button.isDisabled()).toBe(true);
      await page
        .getByText("removes its 1 case, 0 suites, 0 runs with their results, and 0 defects")
        .waitFor();
      await shoot(page, "project-settings");
      await page.getByLabel("Type GONE to confirm").fill("GONE");
      await button.click();
      await page.getByRole("heading", { name: "Projects" }).waitFor();
      const res = await fetch(`${app.base}/v1/project/GONE`, { headers: { token: app.token } });
      expect(res.status).toBeGreaterThanOrEqual(404);
      await page.close();
    });
  },
);
