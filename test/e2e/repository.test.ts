import { describe, expect, it } from "vitest";
import type { UserRow } from "../../src/features/users/users.repository.js";
import { browserReady, fieldError, pick, shoot, suiteButton, useBrowserApp } from "./browser.js";

describe.skipIf(!browserReady)("test repository in a real browser", () => {
  let owner: UserRow;
  let member: UserRow;
  const app = useBrowserApp({
    setup: async ({ t }) => {
      owner = await t.user("owner", "olga@example.test");
      member = await t.user("member", "mia@example.test");
      await t.user("viewer", "vera@example.test");
      app.token = await t.token(owner);
      await t.project("SHOP", owner);
    },
  });
  const { call, signIn } = app;

  it("builds suites and a case through the UI, shows every field by its title, keeps versions", async () => {
    const page = await signIn("olga@example.test");
    await page.getByRole("link", { name: "Project SHOP" }).click();
    await page.getByRole("heading", { name: "All cases" }).waitFor();

    await page.getByRole("button", { name: "New suite" }).click();
    await page.getByLabel("Suite title").fill("Checkout");
    await page.getByRole("button", { name: "Create suite" }).click();
    await suiteButton(page, "Checkout").waitFor();
    await page.getByRole("button", { name: "Actions for suite Checkout" }).click();
    await page.getByRole("menuitem", { name: "Add child suite" }).click();
    await page.getByLabel("Suite title").fill("Payment");
    await page.getByRole("button", { name: "Create suite" }).click();
    await suiteButton(page, "Payment").waitFor();
    await page.getByRole("heading", { name: "Checkout / Payment" }).waitFor();

    // New case in the selected suite, with every field the form offers.
    await page.getByRole("link", { name: "New case" }).click();
    await page.getByRole("textbox", { name: "Title", exact: true }).fill("Pay by card");
    expect(await page.getByLabel("Suite", { exact: true }).first().inputValue()).toBe("Checkout / Payment");
    await page.getByLabel("Description", { exact: true }).fill("Card payment with 3-D Secure");
    await page.getByLabel("Preconditions", { exact: true }).fill("A cart with one item");
    await page.getByLabel("Postconditions", { exact: true }).fill("The order is paid");
    await pick(page, "Severity", "Critical");
    await pick(page, "Priority", "High");
    await pick(page, "Type", "Functional");
    await pick(page, "Layer", "E2E");
    await pick(page, "Behavior", "Positive");
    await pick(page, "Automation status", "Automated");
    await pick(page, "Status", "Draft");
    const tags = page.getByLabel("Tags", { exact: true }).and(page.locator("input"));
    await tags.fill("payments");
    await tags.press("Enter");
    await tags.fill("smoke");
    await tags.press("Enter");
    for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Step 1 action").fill("Enter the card number");
    await page.getByLabel("Step 1 data").fill("4111 1111 1111 1111");
    await page.getByLabel("Step 2 action").fill("Throwaway step");
    await page.getByLabel("Step 3 action").fill("Confirm the payment");
    await page.getByLabel("Step 3 expected result").fill("The bank page opens");
    await page.getByRole("button", { name: "Remove step 2" }).click();
    await page.getByRole("button", { name: "Add sub-step to step 2" }).click();
    await page.getByLabel("Step 2.1 action").fill("Approve in the bank app");
    await page.getByRole("button", { name: "Move step 2 up" }).click();
    await shoot(page, "case-form");
    await page.getByRole("button", { name: "Create case" }).click();

    await page.getByRole("heading", { name: "Pay by card" }).waitFor();
    const url = new URL(page.url());
    const caseId = Number(url.pathname.split("/").pop());
    for (const [field, title] of [
      ["severity", "Critical"],
      ["priority", "High"],
      ["type", "Functional"],
      ["layer", "E2E"],
      ["behavior", "Positive"],
      ["automation", "Automated"],
      ["status", "Draft"],
    ] as const) {
      expect(await page.getByTestId(`field-${field}`).textContent()).toContain(title);
    }
    await page.getByText("Checkout / Payment").first().waitFor();
    expect(await page.getByLabel("Tags").textContent()).toBe("paymentssmoke");
    expect(await page.getByRole("region", { name: "Preconditions" }).textContent()).toContain(
      "A cart with one item",
    );
    expect(await page.getByRole("region", { name: "Postconditions" }).textContent()).toContain(
      "The order is paid",
    );
    // Steps in the order the editor left them, the sub-step nested under its parent.
    expect(await page.getByRole("listitem", { name: "Step 1", exact: true }).textContent()).toContain(
      "Confirm the payment",
    );
    expect(await page.getByRole("listitem", { name: "Step 1.1" }).textContent()).toContain(
      "Approve in the bank app",
    );
    expect(await page.getByRole("listitem", { name: "Step 1", exact: true }).textContent()).toContain(
      "Expected result: The bank page opens",
    );
    expect(await page.getByRole("listitem", { name: "Step 2" }).textContent()).toContain(
      "Data: 4111 1111 1111 1111",
    );
    await shoot(page, "case-detail");

    // What the server stored matches what the page shows.
    const stored = await call("GET", `/v1/case/SHOP/${caseId}`);
    expect(stored).toMatchObject({
      title: "Pay by card",
      severity: 2,
      priority: 1,
      automation: 2,
      status: 1,
    });
    expect((stored.steps as { action: string; steps: { action: string }[] }[]).map((s) => s.action)).toEqual([
      "Confirm the payment",
      "Enter the card number",
    ]);

    // Edit: new title, severity and one more step; the history names who changed which fields.
    await page.getByRole("link", { name: "Edit case" }).click();
    await page.getByRole("textbox", { name: "Title", exact: true }).fill("Pay by credit card");
    await pick(page, "Severity", "Blocker");
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Step 3 action").fill("See the receipt");
    await page.getByRole("button", { name: "Save case" }).click();
    await page.getByRole("heading", { name: "Pay by credit card" }).waitFor();
    expect(await page.getByTestId("field-severity").textContent()).toContain("Blocker");
    await page.getByRole("tab", { name: "History" }).click();
    const rows = page.getByRole("table", { name: "Versions" }).getByRole("row");
    await rows.nth(2).waitFor();
    expect(await rows.count()).toBe(3);
    const newest = (await rows.nth(1).textContent()) ?? "";
    expect(newest).toContain("Version 2");
    expect(newest).toContain(owner.name);
    for (const f of ["Title", "Severity", "Steps"]) expect(newest).toContain(f);
    expect(newest).not.toContain("Priority");
    expect(await rows.nth(2).textContent()).toContain("Created");
    await shoot(page, "case-history");

    await page.getByRole("link", { name: "Version 1" }).click();
    await page.getByRole("heading", { name: "Pay by card", exact: true }).waitFor();
    expect(await page.getByTestId("field-severity").textContent()).toContain("Critical");
    await page.getByText("You are looking at an older version").waitFor();
    await shoot(page, "case-old-version");
    await page.close();
  });

  it("shows the server's validation errors at the fields they belong to", async () => {
    const page = await signIn("olga@example.test");
    await page.goto(`${app.base}/projects/SHOP/cases/new`);
    await page.getByRole("textbox", { name: "Title", exact: true }).fill("   ");
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByRole("button", { name: "Add step" }).click();
    await page.getByLabel("Step 1 action").fill("Open the shop");
    await page.getByRole("button", { name: "Create case" }).click();
    await page.getByText("The case was not saved").waitFor();
    expect(await fieldError(page.getByRole("textbox", { name: "Title", exact: true }))).toContain(
      "must not be blank",
    );
    expect(await fieldError(page.getByLabel("Step 2 action"))).toContain("a step needs an action");
    expect(await page.getByLabel("Step 1 action").getAttribute("aria-invalid")).not.toBe("true");
    await shoot(page, "case-validation");
    const list = await call("GET", "/v1/case/SHOP?limit=100");
    expect(list.total).toBe(1); // nothing was stored
    await page.close();
  });

  it("renames a suite and deletes one, moving its cases where the user says", async () => {
    const checkout = await call("GET", "/v1/suite/SHOP?search=Checkout");
    const checkoutId = (checkout.entities as { id: number }[])[0]?.id;
    const legacy = (await call("POST", "/v1/suite/SHOP", { title: "Legacy" })).id as number;
    const old = (await call("POST", "/v1/case/SHOP", { title: "Pay by cheque", suite_id: legacy })).id;

    const page = await signIn("olga@example.test");
    await page.goto(`${app.base}/projects/SHOP`);
    await page.getByRole("button", { name: "Actions for suite Payment" }).click();
    await page.getByRole("menuitem", { name: "Rename" }).click();
    await page.getByLabel("Suite title").fill("Payments");
    await page.getByRole("button", { name: "Save suite" }).click();
    await suiteButton(page, "Payments").waitFor();

    await page.getByRole("button", { name: "Actions for suite Legacy" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    await page.getByText("This suite holds 1 case. Where should they go?").waitFor();
    await page.getByLabel("Destination suite").first().click();
    await page.getByRole("option", { name: "Checkout", exact: true }).click();
    await shoot(page, "suite-delete");
    await page.getByRole("dialog").getByRole("button", { name: "Delete suite" }).click();
    await suiteButton(page, "Legacy").waitFor({ state: "detached" });
    expect((await call("GET", `/v1/case/SHOP/${old}`)).suite_id).toBe(checkoutId);
    await page.close();
  });

  it("filters narrow the list on the server, and a large suite is read one page at a time", async () => {
    const bulk = (await call("POST", "/v1/suite/SHOP", { title: "Bulk" })).id as number;
    const severities = ["blocker", "minor", "minor"];
    await call("POST", "/v1/case/SHOP/bulk", {
      cases: Array.from({ length: 60 }, (_, i) => ({
        title: `Bulk case ${i + 1}`,
        suite_id: bulk,
        severity: severities[i % 3],
        priority: i % 2 === 0 ? "high" : "low",
        automation: i % 4 === 0 ? "automated" : "is-not-automated",
      })),
    });

    const page = await signIn("olga@example.test");
    const listCalls: URL[] = [];
    page.on("request", (req) => {
      const u = new URL(req.url());
      if (u.pathname === "/v1/case/SHOP") listCalls.push(u);
    });
    await page.goto(`${app.base}/projects/SHOP`);
    await suiteButton(page, "Bulk").click();
    const count = page.getByTestId("case-count");
    const rows = page.getByRole("table", { name: "Cases" }).getByRole("row");
    await page.getByText("60 cases", { exact: true }).waitFor();
    expect(await rows.count()).toBe(26); // header + 25
    await page.getByRole("button", { name: "3", exact: true }).click();
    await page.getByRole("cell", { name: "Bulk case 60" }).waitFor();
    expect(await rows.count()).toBe(11);

    await pick(page, "Severity", "Blocker");
    await page.keyboard.press("Escape");
    await page.getByText("20 matching cases", { exact: true }).waitFor();
    await pick(page, "Priority", "High");
    await page.keyboard.press("Escape");
    await page.getByText("10 matching cases", { exact: true }).waitFor();
    await pick(page, "Automation status", "Automated");
    await page.keyboard.press("Escape");
    // blocker (i % 3 == 0), high (i even), automated (i % 4 == 0): i = 0, 12, 24, 36, 48.
    await page.getByText("5 matching cases", { exact: true }).waitFor();
    const titles = await page.getByRole("table", { name: "Cases" }).getByRole("link").allTextContents();
    expect(titles).toEqual(["Bulk case 1", "Bulk case 13", "Bulk case 25", "Bulk case 37", "Bulk case 49"]);
    for (const r of await rows.all()) {
      const text = (await r.textContent()) ?? "";
      if (text.startsWith("ID")) continue;
      expect(text).toContain("Blocker");
      expect(text).toContain("High");
    }
    await page.getByLabel("Search cases").fill("case 2");
    await page.getByText("1 matching case", { exact: true }).waitFor();
    expect(await count.textContent()).toBe("1 matching case");
    await shoot(page, "case-list-filtered");

    // Every list request asked the server for one page; none tried to fetch the whole suite.
    expect(listCalls.length).toBeGreaterThan(3);
    for (const u of listCalls) expect(u.searchParams.get("limit")).toBe("25");
    const last = listCalls[listCalls.length - 1];
    expect(last?.searchParams.get("severity")).toBe("blocker");
    expect(last?.searchParams.get("suite_id")).toBe(String(bulk));
    await page.close();
  });

  it("shows a viewer the repository without any edit controls", async () => {
    const page = await signIn("vera@example.test");
    await page.getByRole("link", { name: "Project SHOP" }).click();
    await suiteButton(page, "Payments").click();
    await page.getByRole("link", { name: "Pay by credit card" }).waitFor();
    expect(await page.getByRole("button", { name: "New suite" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "New case" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Actions for suite/ }).count()).toBe(0);
    await shoot(page, "repository-viewer");
    await page.getByRole("link", { name: "Pay by credit card" }).click();
    await page.getByRole("heading", { name: "Pay by credit card" }).waitFor();
    expect(await page.getByRole("link", { name: "Edit case" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Delete case" }).count()).toBe(0);
    await page.getByRole("tab", { name: "History" }).click();
    await page.getByRole("link", { name: "Version 2" }).waitFor();
    await page.goto(`${app.base}/projects/SHOP/cases/new`);
    await page.getByText("You do not have permission to change this project's test cases.").waitFor();
    expect(await page.getByRole("button", { name: "Create case" }).count()).toBe(0);
    await page.close();
  });

  it("tells a member whose role was lowered mid-edit that the server refused (403)", async () => {
    const page = await signIn("mia@example.test");
    await page.goto(`${app.base}/projects/SHOP`);
    await suiteButton(page, "Payments").click();
    await page.getByRole("link", { name: "Pay by credit card" }).click();
    await page.getByRole("link", { name: "Edit case" }).click();
    await page.getByRole("textbox", { name: "Title", exact: true }).fill("Pay by debit card");
    await call("PATCH", `/v1/user/${member.id}`, { role: "viewer" });
    await page.getByRole("button", { name: "Save case" }).click();
    await page.getByRole("alert").filter({ hasText: "You do not have permission to do this." }).waitFor();
    await shoot(page, "case-save-forbidden");
    const list = (await call("GET", "/v1/case/SHOP?search=debit")) as { total: number; filtered: number };
    expect(list.filtered).toBe(0);
    await page.close();
  });
});
