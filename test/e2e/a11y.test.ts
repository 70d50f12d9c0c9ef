import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { audit, browserReady, LAPTOP, PHONE, SHOTS, useBrowserApp } from "./browser.js";

const WIDTHS = [
  ["laptop", LAPTOP],
  ["phone", PHONE],
] as const;

describe.skipIf(!browserReady)("accessibility of the main pages (axe, WCAG 2.1 AA)", () => {
  let caseId = 0;
  let runId = 0;
  const app = useBrowserApp({
    timeout: 15_000,
    setup: async ({ t, call }) => {
      const owner = await t.user("owner", "ada@example.test");
      const member = await t.user("member", "max@example.test");
      app.token = await t.token(owner);
      await t.project("SHOP", owner, "group");
      await call("POST", "/v1/project/SHOP/access", { member_id: member.id });
      const suite = (await call("POST", "/v1/suite/SHOP", { title: "Checkout" })).id as number;
      const { ids } = (await call("POST", "/v1/case/SHOP/bulk", {
        cases: [
          {
            title: "Pay by card",
            suite_id: suite,
            description: "The card is charged once",
            steps: [{ action: "Enter the card", expected_result: "The card is accepted" }],
          },
          { title: "Log in" },
        ],
      })) as { ids: number[] };
      caseId = ids[0] ?? 0;
      await call("POST", "/v1/environment/SHOP", { title: "Staging", slug: "staging" });
      runId = (
        await call("POST", "/v1/run/SHOP", { title: "Nightly", cases: ids, environment_slug: "staging" })
      ).id as number;
      await call("POST", `/v1/result/SHOP/${runId}/bulk`, {
        results: [
          {
            case_id: ids[0],
            status: "failed",
            stacktrace: "AssertionError: declined",
            steps: [{ status: "failed", action: "Enter the card" }],
          },
          { case_id: ids[1], status: "failed" },
          { case_id: ids[1], status: "passed" },
        ],
      });
    },
  });

  it("finds no serious or critical violations on any main page at laptop and phone widths", async () => {
    const pages: { name: string; url: string; ready: (p: Page) => Promise<unknown> }[] = [
      {
        name: "projects",
        url: "/projects",
        ready: (p) => p.getByRole("link", { name: "Project SHOP" }).waitFor(),
      },
      {
        name: "repository",
        url: "/projects/SHOP",
        ready: (p) => p.getByRole("table", { name: "Cases" }).getByText("Pay by card").waitFor(),
      },
      {
        name: "case",
        url: `/projects/SHOP/cases/${caseId}`,
        ready: (p) => p.getByRole("heading", { name: "Pay by card" }).waitFor(),
      },
      {
        name: "runs",
        url: "/projects/SHOP/runs",
        ready: (p) => p.getByRole("table", { name: "Runs" }).getByText("Nightly").waitFor(),
      },
      {
        name: "run",
        url: `/projects/SHOP/runs/${runId}`,
        ready: async (p) => {
          await p.getByRole("rowgroup", { name: "Checkout" }).waitFor();
          await p.getByRole("button", { name: "Show results of Pay by card" }).click();
          await p.getByRole("group", { name: "Attempt 1" }).waitFor();
        },
      },
      {
        name: "tokens",
        url: "/tokens",
        ready: (p) =>
          p
            .getByRole("heading", { name: /tokens/i })
            .first()
            .waitFor(),
      },
      {
        name: "workspace",
        url: "/workspace",
        ready: (p) => p.getByText("max@example.test").first().waitFor(),
      },
      {
        name: "project-settings",
        url: "/projects/SHOP/settings",
        ready: (p) =>
          p.getByRole("table", { name: "Project members" }).getByText("max@example.test").waitFor(),
      },
    ];

    const page = await app.signIn("ada@example.test");

    const found: string[] = [];
    for (const target of pages) {
      for (const [label, size] of WIDTHS) {
        await page.setViewportSize(size);
        await page.goto(`${app.base}${target.url}`);
        await target.ready(page);
        await page.waitForTimeout(400); // let Mantine's transitions settle
        await page.screenshot({ path: path.join(SHOTS, `a11y-${target.name}-${label}.png`), fullPage: true });
        for (const v of await audit(page)) {
          if (v.impact === "serious" || v.impact === "critical") {
            found.push(
              `${target.name} @ ${label}: [${v.impact}] ${v.id} (${v.help}) at ${v.nodes
                .map((n) => [n.target, n.summary, n.html].join(" :: "))
                .join(" | ")}`,
            );
          }
        }
      }
    }
    await page.close();
    expect(found).toEqual([]);
  }, 300_000);
});
