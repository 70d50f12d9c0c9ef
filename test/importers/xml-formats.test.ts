import path from "node:path";
import { describe, expect, it } from "vitest";
import { readNunit } from "../../src/importers/nunit.js";
import { readTestng } from "../../src/importers/testng.js";
import { readTrx } from "../../src/importers/trx.js";
import { type ImportedResult, ReportError } from "../../src/importers/types.js";

const fixtures = path.resolve("test/fixtures/reports");
type Reader = (file: string, opts: { projectCode?: string }) => AsyncGenerator<ImportedResult>;

async function read(reader: Reader, name: string): Promise<ImportedResult[]> {
  const out: ImportedResult[] = [];
  for await (const r of reader(path.join(fixtures, name), { projectCode: "SHOP" })) out.push(r);
  return out;
}

describe(".NET TRX reader", () => {
  it("joins results with their class from TestDefinitions", async () => {
    const results = await read(readTrx, "trx/dotnet.trx");
    expect(results.map((r) => [r.title, r.status, r.suitePath[0]])).toEqual([
      ["AddsItem", "passed", "Shop.Tests.CartTests"],
      ["RemovesItem", "failed", "Shop.Tests.CartTests"],
      ["Discounts", "skipped", "Shop.Tests.CartTests"],
    ]);
    expect(results[0]?.durationMs).toBe(12);
    expect(results[1]).toMatchObject({
      caseIds: [51],
      message: "Assert.Equal() Failure: Expected 0, Actual 1",
    });
    expect(results[1]?.stacktrace).toContain("CartTests.cs:line 31");
    expect(results[1]?.attachments[0]?.content).toBe("removing item 42");
  });

  it("rejects another XML document", async () => {
    const err = await read(readTrx, "nunit/nunit3.xml").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect(String(err)).toMatch(/not a TRX report: the root element is <test-run>/);
  });
});

describe("NUnit reader", () => {
  it("reads NUnit 3: properties, parameterized cases, labels, attachments", async () => {
    const results = await read(readNunit, "nunit/nunit3.xml");
    expect(results.map((r) => [r.title, r.status])).toEqual([
      ["RoundsHalfUp", "passed"],
      ["Taxes(0.2m)", "passed"],
      ["Taxes(0.25m)", "invalid"],
      ["Currencies", "skipped"],
    ]);
    expect(results[0]).toMatchObject({ caseIds: [61], fields: { Category: "pricing" }, durationMs: 12 });
    expect(results[2]?.attachments.map((a) => a.name)).toEqual(["taxes-0.25.png", "output.txt"]);
    expect(results[3]?.message).toBe("waiting for FX feed");
    expect(results[1]?.signature).not.toBe(results[2]?.signature);
  });

  it("reads NUnit 2", async () => {
    const results = await read(readNunit, "nunit/nunit2.xml");
    expect(results.map((r) => [r.title, r.status, r.suitePath])).toEqual([
      ["Shop.Tests.CartTests.AddsItem", "passed", ["CartTests"]],
      ["Shop.Tests.CartTests.RemovesItem", "failed", ["CartTests"]],
    ]);
  });
});

describe("TestNG reader", () => {
  it("skips configuration methods, keeps parameters apart, folds retried attempts", async () => {
    const results = await read(readTestng, "testng/testng-results.xml");
    expect(results.map((r) => [r.title, r.status, r.params])).toEqual([
      ["pays", "passed", { "0": "visa" }],
      ["pays", "failed", { "0": "amex" }],
      ["refunds", "passed", {}],
      ["ships", "skipped", {}],
    ]);
    expect(results[0]).toMatchObject({
      caseIds: [71],
      suitePath: ["Shop suite", "Checkout", "com.shop.CheckoutNgTest"],
    });
    expect(results[0]?.attachments[0]?.content).toBe("charged 10.00");
    expect(results[1]?.message).toBe("expected [200] but found [402]");
    expect(results[2]).toMatchObject({ flaky: true, attempts: 2 });
    expect(results[0]?.signature).not.toBe(results[1]?.signature);
  });
});
