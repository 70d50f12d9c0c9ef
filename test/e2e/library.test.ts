import { describe, expect, it } from "vitest";
import { browserReady, fieldError, pick, shoot, useBrowserApp } from "./browser.js";
import { openSection } from "./project-nav.js";

interface StepOut {
  action: string;
  expected_result: string | null;
  data: string | null;
  steps: StepOut[];
}

describe.skipIf(!browserReady)("project library pages in a real browser", () => {
  const app = useBrowserApp({
    setup: async ({ t }) => {
      const owner = await t.user("owner", "olga@example.test");
      await t.user("viewer", "vera@example.test");
      await t.user("member", "mike@example.test");
      app.token = await t.token(owner);
      await t.project("SHOP", owner);
      await t.project("OPS", owner);
    },
  });
  const { call, request, signIn } = app;

  it("creates a shared step with a nested step, edits it and deletes another", async () => {
    await call("POST", "/v1/shared_step/SHOP", {
      title: "Old login",
      steps: [{ action: "Type the password" }],
    });
    const page = await signIn("olga@example.test");
    await page.goto(`${app.base}/projects/SHOP/shared-steps`);
    const table = page.getByRole("table", { name: "Shared steps" });
    await table.getByRole("row").filter({ hasText: "Old login" }).waitFor();

    await page.getByRole("button", { name: "New shared step" }).click();
    const dialog = page.getByRole("dialog", { name: "New shared step" });
    await dialog.getByLabel("Shared step title").fill("Log in as admin");
    await dialog.getByRole("button", { name: "Add step" }).click();
    await dialog.getByLabel("Step 1 action").fill("Open the login page");
    await dialog.getByLabel("Step 1 data").fill("https://shop.example.com/login");
    await dialog.getByLabel("Step 1 expected result").fill("The form shows");
    await dialog.getByRole("button", { name: "Add sub-step to step 1" }).click();
    await dialog.getByRole("button", { name: "Create shared step" }).click();
    // The nested step has no action yet: the server says so next to that step's action.
    expect(await fieldError(dialog.getByLabel("Step 1.1 action"))).toContain("must not be blank");
    await dialog.getByLabel("Step 1.1 action").fill("Type admin's password");
    await shoot(page, "shared-step-form");
    await dialog.getByRole("button", { name: "Create shared step" }).click();
    await dialog.waitFor({ state: "detached" });
    const row = table.getByRole("row").filter({ hasText: "Log in as admin" });
    await row.waitFor();
    const cells = row.getByRole("cell");
    expect(await cells.nth(1).textContent()).toBe("2"); // steps, the nested one included
    expect(await cells.nth(2).textContent()).toBe("0"); // cases

    const list = (await call("GET", "/v1/shared_step/SHOP?limit=100")) as {
      entities: { hash: string; title: string; steps: StepOut[] }[];
    };
    const created = list.entities.find((s) => s.title === "Log in as admin");
    expect(created?.steps).toMatchObject([
      {
        action: "Open the login page",
        data: "https://shop.example.com/login",
        expected_result: "The form shows",
        steps: [{ action: "Type admin's password", steps: [] }],
      },
    ]);
    await shoot(page, "shared-steps");

    await page.getByRole("button", { name: "Edit Log in as admin" }).click();
    const edit = page.getByRole("dialog", { name: "Edit shared step “Log in as admin”" });
    expect(await edit.getByLabel("Step 1.1 action").inputValue()).toBe("Type admin's password");
    await edit.getByLabel("Shared step title").fill("Log in as an admin");
    await edit.getByLabel("Step 1 expected result").fill("The login form shows");
    await edit.getByRole("button", { name: "Save shared step" }).click();
    await edit.waitFor({ state: "detached" });
    await table.getByRole("row").filter({ hasText: "Log in as an admin" }).waitFor();
    const edited = (await call("GET", `/v1/shared_step/SHOP/${created?.hash}`)) as {
      title: string;
      steps: StepOut[];
    };
    expect(edited.title).toBe("Log in as an admin");
    expect(edited.steps[0]?.expected_result).toBe("The login form shows");
    expect(edited.steps[0]?.steps[0]?.action).toBe("Type admin's password");

    // The search goes to the server (?search=) and narrows the list.
    await page.getByLabel("Search shared steps").fill("admin");
    await table.getByRole("row").filter({ hasText: "Old login" }).waitFor({ state: "detached" });
    await page.getByLabel("Search shared steps").fill("");
    await page.getByRole("button", { name: "Delete Old login" }).click();
    await page
      .getByRole("dialog", { name: "Delete shared step?" })
      .getByRole("button", { name: "Delete shared step" })
      .click();
    await table.getByRole("row").filter({ hasText: "Old login" }).waitFor({ state: "detached" });
    const after = (await call("GET", "/v1/shared_step/SHOP")) as { entities: { title: string }[] };
    expect(after.entities.map((s) => s.title)).toEqual(["Log in as an admin"]);
    await page.close();
  });

  it("creates a custom field with options, shows where it is enabled, edits it and deletes another", async () => {
    const opsOnly = (
      await call("POST", "/v1/custom_field", {
        title: "Ops ticket",
        entity: 0,
        type: 1,
        projects_codes: ["OPS"],
      })
    ).id as number;
    const page = await signIn("olga@example.test");
    await page.goto(`${app.base}/projects/SHOP/custom-fields`);
    const table = page.getByRole("table", { name: "Custom fields" });
    const ops = table.getByRole("row").filter({ hasText: "Ops ticket" });
    await ops.waitFor();
    expect(await ops.textContent()).toContain("Not enabled");

    await page.getByRole("button", { name: "New custom field" }).click();
    const dialog = page.getByRole("dialog", { name: "New custom field" });
    await dialog.getByLabel("Field title").fill("Browser");
    await pick(dialog, "Field type", "Select box");
    await dialog.getByRole("button", { name: "Add option" }).click();
    await dialog.getByRole("button", { name: "Add option" }).click();
    await dialog.getByLabel("Option 1", { exact: true }).fill("Chrome");
    await dialog.getByLabel("Option 2", { exact: true }).fill("chrome");
    await dialog.getByLabel("Required").check();
    await dialog.getByRole("button", { name: "Create custom field" }).click();
    // A repeated option is refused next to the option.
    expect(await fieldError(dialog.getByLabel("Option 2", { exact: true }))).toContain("listed twice");
    await dialog.getByLabel("Option 2", { exact: true }).fill("Firefox");
    await pick(dialog, "Default value", "Firefox");
    await dialog.getByRole("button", { name: "Create custom field" }).click();
    await dialog.waitFor({ state: "detached" });
    const browserRow = table.getByRole("row").filter({ hasText: "Browser" });
    await browserRow.waitFor();
    const text = (await browserRow.textContent()) ?? "";
    expect(text).toContain("Select box");
    expect(text).toContain("Chrome, Firefox");
    expect(text).toContain("Enabled");
    expect(text).not.toContain("Not enabled");

    const list = (await call("GET", "/v1/custom_field?limit=100")) as {
      entities: {
        id: number;
        title: string;
        entity: string;
        type: string;
        value: string;
        default_value: string;
        is_required: boolean;
        is_enabled_for_all_projects: boolean;
        projects_codes: string[];
      }[];
    };
    const field = list.entities.find((f) => f.title === "Browser");
    expect(field).toMatchObject({
      entity: "case",
      type: "selectbox",
      default_value: "2",
      is_required: true,
      is_enabled_for_all_projects: false,
      projects_codes: ["SHOP"],
    });
    expect(JSON.parse(field?.value ?? "[]")).toEqual([
      { id: 1, title: "Chrome" },
      { id: 2, title: "Firefox" },
    ]);
    await shoot(page, "custom-fields");

    await page.getByRole("button", { name: "Edit Browser" }).click();
    const edit = page.getByRole("dialog", { name: "Edit custom field “Browser”" });
    expect(await edit.getByLabel("Option 2", { exact: true }).inputValue()).toBe("Firefox");
    await edit.getByRole("button", { name: "Add option" }).click();
    await edit.getByLabel("Option 3", { exact: true }).fill("Safari");
    await edit.getByLabel("Enabled for all projects").check();
    await edit.getByRole("button", { name: "Save custom field" }).click();
    await edit.waitFor({ state: "detached" });
    await browserRow.filter({ hasText: "All projects" }).waitFor();
    const saved = (await call("GET", `/v1/custom_field/${field?.id}`)) as {
      value: string;
      is_enabled_for_all_projects: boolean;
    };
    expect(saved.is_enabled_for_all_projects).toBe(true);
    expect(JSON.parse(saved.value)).toEqual([
      { id: 1, title: "Chrome" },
      { id: 2, title: "Firefox" },
      { id: 3, title: "Safari" },
    ]);

    await page.getByRole("button", { name: "Delete Ops ticket" }).click();
    await page
      .getByRole("dialog", { name: "Delete custom field?" })
      .getByRole("button", { name: "Delete custom field" })
      .click();
    await ops.waitFor({ state: "detached" });
    expect((await request("GET", `/v1/custom_field/${opsOnly}`)).status).toBe(410);
    await page.close();
  });

  it("creates a configuration group and a configuration in it", async () => {
    const page = await signIn("olga@example.test");
    await page.goto(`${app.base}/projects/SHOP/configurations`);
    await page.getByText("No configuration groups yet.").waitFor();
    await page.getByRole("button", { name: "New group" }).click();
    const dialog = page.getByRole("dialog", { name: "New configuration group" });
    await dialog.getByRole("button", { name: "Create group" }).click();
    // An empty title fails the API's schema; the message sits at the title.
    expect(await fieldError(dialog.getByLabel("Group title"))).not.toBe("");
    await dialog.getByLabel("Group title").fill("Operating system");
    await dialog.getByRole("button", { name: "Create group" }).click();
    await dialog.waitFor({ state: "detached" });
    const table = page.getByRole("table", { name: "Configuration groups" });
    const row = table.getByRole("row").filter({ hasText: "Operating system" });
    await row.waitFor();
    expect(await row.textContent()).toContain("None yet");

    for (const title of ["Linux", "macOS"]) {
      await page.getByRole("button", { name: "Add configuration to Operating system" }).click();
      const add = page.getByRole("dialog", { name: "New configuration in “Operating system”" });
      await add.getByLabel("Configuration title").fill(title);
      await add.getByRole("button", { name: "Create configuration" }).click();
      await add.waitFor({ state: "detached" });
    }
    await row.getByLabel("Configurations of Operating system").getByText("macOS").waitFor();
    const groups = (await call("GET", "/v1/configuration/SHOP")) as {
      entities: { title: string; configurations: { title: string }[] }[];
    };
    expect(groups.entities).toMatchObject([
      { title: "Operating system", configurations: [{ title: "Linux" }, { title: "macOS" }] },
    ]);
    await shoot(page, "configurations");
    await page.close();
  });

  it("creates and edits a shared parameter", async () => {
    const page = await signIn("olga@example.test");
    await page.goto(`${app.base}/projects/SHOP/shared-parameters`);
    await page.getByText("No shared parameters yet.").waitFor();
    await page.getByRole("button", { name: "New shared parameter" }).click();
    const dialog = page.getByRole("dialog", { name: "New shared parameter" });
    await dialog.getByLabel("Shared parameter title").fill("Locales");
    await dialog.getByLabel("Parameter 1 name").fill("locale");
    await dialog.getByRole("button", { name: "Create shared parameter" }).click();
    expect(await fieldError(dialog.getByLabel("Parameter 1 values"))).toContain("at least one value");
    await dialog.getByLabel("Parameter 1 values").fill("en-GB\nde-DE");
    await dialog.getByRole("button", { name: "Create shared parameter" }).click();
    await dialog.waitFor({ state: "detached" });
    const table = page.getByRole("table", { name: "Shared parameters" });
    const row = table.getByRole("row").filter({ hasText: "Locales" });
    await row.waitFor();
    expect(await row.textContent()).toContain("locale: en-GB, de-DE");

    await page.getByRole("button", { name: "Edit Locales" }).click();
    const edit = page.getByRole("dialog", { name: "Edit shared parameter “Locales”" });
    await edit.getByLabel("Parameter 1 values").fill("en-GB\nde-DE\nfr-FR");
    await edit.getByRole("button", { name: "Save shared parameter" }).click();
    await edit.waitFor({ state: "detached" });
    await row.filter({ hasText: "fr-FR" }).waitFor();
    const stored = (await call("GET", "/v1/shared_parameter")) as {
      entities: { title: string; type: string; project_codes: string[]; parameters: unknown }[];
    };
    expect(stored.entities).toMatchObject([
      {
        title: "Locales",
        type: "single",
        project_codes: ["SHOP"],
        parameters: [{ title: "locale", values: ["en-GB", "de-DE", "fr-FR"] }],
      },
    ]);
    await shoot(page, "shared-parameters");
    await page.close();
  });

  it("shows viewers the library without edit controls, and members no workspace field controls", async () => {
    const page = await signIn("vera@example.test");
    await page.goto(`${app.base}/projects/SHOP/shared-steps`);
    const tables = {
      "Shared steps": "Shared steps",
      Configurations: "Configuration groups",
      "Custom fields": "Custom fields",
      "Shared parameters": "Shared parameters",
    };
    for (const [tab, table] of Object.entries(tables)) {
      await openSection(page, tab);
      await page.getByRole("table", { name: table }).waitFor();
      expect(await page.getByRole("button", { name: /^(New|Edit|Delete|Add)/ }).count()).toBe(0);
    }
    await shoot(page, "library-viewer");
    await page.close();

    // Members write a project's shared steps and configurations; workspace fields are for admins.
    const member = await signIn("mike@example.test");
    await member.goto(`${app.base}/projects/SHOP/custom-fields`);
    await member.getByRole("table", { name: "Custom fields" }).waitFor();
    expect(await member.getByRole("button", { name: /^(New|Edit|Delete)/ }).count()).toBe(0);
    await openSection(member, "Shared steps");
    await member.getByRole("button", { name: "Edit Log in as an admin" }).waitFor();
    await openSection(member, "Configurations");
    await member.getByRole("button", { name: "New group" }).waitFor();
    await member.close();
  });
});
