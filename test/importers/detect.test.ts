import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectFormat, expandTargets, readReports } from "../../src/importers/index.js";
import { ReportError } from "../../src/importers/types.js";

const f = (p: string) => path.resolve("test/fixtures/reports", p);

describe("report format detection", () => {
  it.each([
    ["junit/surefire.xml", "junit"],
    ["junit/pytest.xml", "junit"],
    ["junit/vitest.xml", "junit"],
    ["trx/dotnet.trx", "trx"],
    ["nunit/nunit3.xml", "nunit"],
    ["nunit/nunit2.xml", "nunit"],
    ["testng/testng-results.xml", "testng"],
    ["ctrf/playwright-ctrf.json", "ctrf"],
    ["playwright/playwright.json", "playwright"],
    ["cucumber/cucumber.json", "cucumber"],
    ["allure/allure-results", "allure"],
  ])("%s is %s", async (file, format) => {
    expect(await detectFormat(f(file))).toBe(format);
  });

  it("refuses what it cannot recognise, naming the file", async () => {
    const err = await detectFormat(f("junit/not-junit.xml")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect(String(err)).toMatch(
      /not-junit\.xml:1: cannot tell the format of an XML report whose root is <html>/,
    );
  });

  it("expands directories and globs, in a stable order, and reads every file", async () => {
    const files = await expandTargets([f("junit/s*.xml"), f("trx")], "auto");
    expect(files.map((p) => path.basename(p))).toEqual(["surefire.xml", "dotnet.trx"]);
    const titles: string[] = [];
    for await (const r of readReports(files, "auto", { projectCode: "SHOP" })) titles.push(r.title);
    expect(titles).toHaveLength(7);
    expect(await expandTargets([f("allure/allure-results")], "auto")).toEqual([f("allure/allure-results")]);
  });
});
