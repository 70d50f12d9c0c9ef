import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readJunit } from "../../src/importers/junit.js";
import { type ImportedResult, ReportError } from "../../src/importers/types.js";

const dir = path.resolve("test/fixtures/reports/junit");

async function read(name: string, projectCode = "SHOP"): Promise<ImportedResult[]> {
  const out: ImportedResult[] = [];
  for await (const r of readJunit(path.join(dir, name), { projectCode })) out.push(r);
  return out;
}

describe("JUnit reader", () => {
  it("reads Surefire: statuses, flaky reruns, case marks, stack traces, system-out", async () => {
    const [flaky, failed, broken, skipped] = await read("surefire.xml");
    expect(flaky).toMatchObject({
      title: "paysWithCard",
      status: "passed",
      flaky: true,
      attempts: 2,
      durationMs: 412,
    });
    expect(flaky?.suitePath).toEqual(["com.shop.CheckoutTest"]);
    expect(failed).toMatchObject({
      title: "refundsOrder",
      status: "failed",
      caseIds: [17],
      message: "refund total mismatch",
    });
    expect(failed?.stacktrace).toContain("CheckoutTest.java:58");
    expect(failed?.attachments).toEqual([
      { name: "system-out.txt", mime: "text/plain", content: "refund requested for order 991\n" },
    ]);
    expect(broken).toMatchObject({ status: "invalid", message: "NullPointerException" });
    expect(skipped).toMatchObject({
      status: "skipped",
      message: "disabled until carrier API is back",
      durationMs: 0,
    });
    expect(failed?.source.line).toBe(13);
  });

  it("reads pytest: qase_id property, file, timestamps of the suite are not test times", async () => {
    const results = await read("pytest.xml");
    expect(results.map((r) => r.status)).toEqual(["passed", "failed", "skipped"]);
    expect(results[0]).toMatchObject({ caseIds: [5], suitePath: ["pytest", "tests.test_login"] });
    expect(results[1]?.caseIds).toEqual([]);
    expect(results[0]?.fields).toEqual({});
    expect(results[0]?.signature).toBe("tests/test_login.py::pytest::tests.test_login::test_login_ok");
  });

  it("reads jest-junit: TestKase [id] and Qase ID marks are taken out of titles", async () => {
    const results = await read("jest.xml");
    expect(results.map((r) => [r.title, r.caseIds])).toEqual([
      ["cart adds an item", []],
      ["cart removes an item", [48271]],
      ["cart totals", [9]],
    ]);
    expect(results[2]?.stacktrace).toContain("Received: 29.99");
  });

  it("reads gotestsum and PHPUnit's nested suites", async () => {
    const go = await read("gotestsum.xml");
    expect(go.map((r) => [r.title, r.status])).toEqual([
      ["TestReserve", "passed"],
      ["TestReserve/out_of_stock", "failed"],
      ["TestRelease", "passed"],
    ]);
    expect(go[1]?.stacktrace).toContain("want ErrOutOfStock");
    const php = await read("phpunit.xml");
    expect(php).toHaveLength(2);
    expect(php[0]?.suitePath).toEqual([
      "Unit",
      "App\\Tests\\PriceTest",
      "App\\Tests\\PriceTest::testRounds",
      "App.Tests.PriceTest",
    ]);
    expect(php[0]?.signature).not.toBe(php[1]?.signature);
  });

  it("reads a report written by vitest's own junit reporter", async () => {
    const results = await read("vitest.xml");
    expect(results.map((r) => r.status)).toEqual(["passed", "failed", "skipped", "passed"]);
    expect(results[0]?.caseIds).toEqual([3]);
    expect(results[3]?.attachments[0]?.content).toContain("refund 991");
  });

  it("gives the same signature for the same test in two reports (shards)", async () => {
    const a = await read("surefire.xml");
    const b = await read("surefire.xml");
    expect(a.map((r) => r.signature)).toEqual(b.map((r) => r.signature));
    expect(new Set(a.map((r) => r.signature)).size).toBe(a.length);
  });

  it.each([
    ["malformed.xml", /malformed XML/],
    ["bad-time.xml", /time="fast" is not a number/],
    ["not-junit.xml", /not a JUnit report: the root element is <html>/],
  ])("rejects %s with file, line and reason", async (name, reason) => {
    const err = await read(name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).file).toBe(path.join(dir, name));
    expect((err as ReportError).line).toBeGreaterThan(0);
    expect((err as ReportError).message).toMatch(reason);
  });

  it("streams a large report in bounded memory", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "junit-")), "big.xml");
    const out = fs.createWriteStream(file);
    out.write('<testsuites><testsuite name="big">');
    const count = 150_000;
    for (let i = 0; i < count; i++) {
      const out1 = `<system-out>${"log line of the test\n".repeat(15)}</system-out>`;
      const body = i % 10 === 0 ? `<failure message="m">${"trace line\n".repeat(20)}</failure>${out1}` : out1;
      if (!out.write(`<testcase classname="c${i % 100}" name="test ${i}" time="0.001">${body}</testcase>`)) {
        await new Promise<void>((r) => out.once("drain", () => r()));
      }
    }
    out.end("</testsuite></testsuites>");
    await new Promise<void>((r) => out.on("finish", () => r()));
    const size = fs.statSync(file).size;
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let seen = 0;
    let peak = 0;
    for await (const r of readJunit(file)) {
      if (r.status === "failed" || r.status === "passed") seen++;
      if (seen % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(seen).toBe(count);
    expect(size).toBeGreaterThan(30_000_000);
    // Holding the report would need far more than this; streaming keeps a few chunks and one batch.
    expect(peak).toBeLessThan(size / 2);
    fs.rmSync(path.dirname(file), { recursive: true });
  }, 120_000);
});
