import path from "node:path";
import { describe, expect, it } from "vitest";
import { readCtrf } from "../../src/importers/ctrf.js";
import { readPlaywright } from "../../src/importers/playwright.js";
import {
  type ImportedAttachment,
  type ImportedResult,
  type ImportedStep,
  ReportError,
} from "../../src/importers/types.js";

const fixtures = path.resolve("test/fixtures/reports");
type Reader = (file: string, opts: { projectCode?: string }) => AsyncGenerator<ImportedResult>;

async function read(reader: Reader, name: string): Promise<ImportedResult[]> {
  const out: ImportedResult[] = [];
  for await (const r of reader(path.join(fixtures, name), { projectCode: "SHOP" })) out.push(r);
  return out;
}

describe("Playwright JSON reader (report written by @playwright/test)", () => {
  it("maps outcomes, retries, steps, attachments and case marks", async () => {
    const results = await read(readPlaywright, "playwright/playwright.json");
    const byTitle = new Map(results.map((r) => [r.title, r]));
    expect(results).toHaveLength(7);
    expect(byTitle.get("pays with card")).toMatchObject({
      status: "passed",
      caseIds: [21],
      suitePath: ["shop.spec.ts", "checkout"],
    });
    const coupon = byTitle.get("applies coupon");
    expect(coupon).toMatchObject({ status: "failed", attempts: 2, flaky: false, fields: { tags: "smoke" } });
    expect(coupon?.message).toContain("Expected:");
    expect(coupon?.message).not.toContain("\u001b[");
    expect(byTitle.get("flaky gateway")).toMatchObject({ status: "passed", flaky: true, attempts: 2 });
    expect(byTitle.get("ships abroad")?.status).toBe("skipped");
    const logged = byTitle.get("attaches a log");
    expect(logged?.attachments).toEqual([
      { name: "server.log", mime: "text/plain", content: "GET /cart 200" },
    ]);
    expect(logged?.steps[0]).toMatchObject({
      title: "open cart",
      status: "passed",
      steps: [{ title: "count items" }],
    });
    expect(new Set(results.map((r) => r.signature)).size).toBe(7);
  });

  it("rejects a spec without a title, naming the suite", async () => {
    const err = await read(readPlaywright, "bad/playwright-no-title.json").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect(String(err)).toMatch(/a spec in suite "a.spec.ts" has no title/);
  });

  it("rejects a JSON file that is not a Playwright report", async () => {
    const err = await read(readPlaywright, "ctrf/playwright-ctrf.json").catch((e: unknown) => e);
    expect(String(err)).toMatch(/not a Playwright JSON report/);
  });
});

describe("CTRF reader (report written by playwright-ctrf-json-reporter)", () => {
  it("maps statuses, suites, retries, times in seconds or ms", async () => {
    const results = await read(readCtrf, "ctrf/playwright-ctrf.json");
    expect(results).toHaveLength(7);
    const first = results[0];
    expect(first).toMatchObject({
      title: "pays with card",
      caseIds: [21],
      status: "passed",
      suitePath: ["shop.spec.ts", "checkout"],
    });
    expect(first?.startTime).toBeGreaterThan(1_600_000_000_000);
    expect(results.find((r) => r.title === "flaky gateway")).toMatchObject({ status: "passed", flaky: true });
    expect(results.find((r) => r.title === "applies coupon")?.message).not.toContain("\u001b[");
    expect(results.find((r) => r.title === "ships abroad")?.status).toBe("skipped");
  });

  it.each([
    ["bad/ctrf-malformed.json", /:2: malformed JSON/],
    ["bad/ctrf-bad-status.json", /results.tests\[0\].status "exploded" is not a CTRF status/],
    ["playwright/playwright.json", /not a CTRF report/],
  ])("rejects %s with a reason", async (name, reason) => {
    const err = await read(readCtrf, name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect(String(err)).toMatch(reason);
  });
});

describe("Cucumber JSON reader (report written by cucumber-js)", () => {
  it("maps scenarios, outlines, steps, tags, embeddings and failures", async () => {
    const { readCucumber } = await import("../../src/importers/cucumber.js");
    const results = await read(readCucumber, "cucumber/cucumber.json");
    expect(results.map((r) => [r.title, r.status])).toEqual([
      ["Add a product", "passed"],
      ["Remove a product", "failed"],
      ["Add several", "passed"],
      ["Add several", "passed"],
      ["Pending checkout", "blocked"],
    ]);
    const [add, remove, rowA, rowB] = results;
    expect(add).toMatchObject({
      caseIds: [31],
      suitePath: ["Shopping cart"],
      fields: { tags: "smoke,SHOP-31" },
    });
    expect(add?.steps.map((s) => s.title)).toEqual([
      "Given an empty cart",
      'When I add "socks" to the cart',
      "Then the cart holds 1 item",
    ]);
    expect(remove?.message).toContain("cart is empty: nothing to remove");
    expect(remove?.steps.map((s) => s.status)).toEqual(["passed", "failed", "skipped"]);
    expect(rowA?.signature).not.toBe(rowB?.signature);
    expect(rowA?.attachments[0]).toMatchObject({ mime: "text/plain", content: "added 2" });
  });

  it("rejects a JSON document that is not an array of features", async () => {
    const { readCucumber } = await import("../../src/importers/cucumber.js");
    const err = await read(readCucumber, "bad/cucumber-object.json").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect(String(err)).toMatch(/not an array of features/);
  });
});

describe("Allure results directory reader (written by allure-playwright)", () => {
  it("folds retries by historyId, reads tms links, labels, steps and attachments", async () => {
    const { readAllure } = await import("../../src/importers/allure.js");
    const results = await read(readAllure, "allure/allure-results");
    const byTitle = new Map(results.map((r) => [r.title, r]));
    expect(results).toHaveLength(8);
    expect(byTitle.get("flaky gateway")).toMatchObject({ status: "passed", flaky: true, attempts: 2 });
    expect(byTitle.get("applies coupon")).toMatchObject({ status: "failed", flaky: false, attempts: 2 });
    expect(byTitle.get("linked to tms")).toMatchObject({ caseIds: [88], fields: { severity: "critical" } });
    expect(byTitle.get("pays with card")).toMatchObject({
      caseIds: [21],
      suitePath: ["shop.spec.ts", "checkout"],
    });
    const all = (steps: ImportedStep[]): ImportedAttachment[] =>
      steps.flatMap((s) => [...s.attachments, ...all(s.steps)]);
    const logged = all(byTitle.get("attaches a log")?.steps ?? []).find((a) => a.name === "server.log");
    expect(logged?.path).toMatch(/allure-results\/[0-9a-f-]+-attachment\.txt$/);
    expect(byTitle.get("linked to tms")?.steps.map((s) => s.title)).toContain("check");
  });

  it("rejects a file where a results directory is expected", async () => {
    const { readAllure } = await import("../../src/importers/allure.js");
    const err = await read(readAllure, "ctrf/playwright-ctrf.json").catch((e: unknown) => e);
    expect(String(err)).toMatch(/directory of \*-result.json files/);
  });
});
