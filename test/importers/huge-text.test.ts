import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readJunit } from "../../src/importers/junit.js";
import { MAX_TEXT } from "../../src/importers/text.js";
import { readTrx } from "../../src/importers/trx.js";
import type { ImportedResult } from "../../src/importers/types.js";
import { streamXml } from "../../src/importers/xml-stream.js";

// 3 MB is three times the kept limit: enough to tell a capped reader from one that buffers the text.
const HUGE = 3 * 1024 * 1024;
const line = "\tat com.example.Deep.frame(Deep.java:42) while doing something repetitive\n";
const hugeText = line.repeat(Math.ceil(HUGE / line.length));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-huge-text-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, xml: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, xml);
  return file;
}

const junit = (failure: string) =>
  `<testsuites><testsuite name="s"><testcase name="floods">${failure}</testcase>` +
  `<testcase name="after"/></testsuite></testsuites>`;

async function all(gen: AsyncGenerator<ImportedResult>): Promise<ImportedResult[]> {
  const out: ImportedResult[] = [];
  for await (const r of gen) out.push(r);
  return out;
}

describe("huge texts in XML reports", () => {
  it.each([
    ["character data", `<failure message="boom">${hugeText}</failure>`],
    ["CDATA", `<failure message="boom"><![CDATA[${hugeText}]]></failure>`],
  ])("the parser hands a 3 MB %s over in pieces, never whole", async (_, failure) => {
    const file = write(`pieces-${_.replace(/\W/g, "")}.xml`, junit(failure));
    const pieces: number[] = [];
    let inFailure = false;
    const gen = streamXml<never>(file, {
      ready: [],
      open: (tag) => {
        inFailure = tag.name === "failure";
      },
      text: (t) => {
        if (inFailure) pieces.push(t.length);
      },
      close: () => {
        inFailure = false;
      },
    });
    for await (const _item of gen);
    // Nothing lost, and no piece larger than a read chunk (64 KB) and what was left of the one before.
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(hugeText.length);
    expect(pieces.length).toBeGreaterThan(10);
    expect(Math.max(...pieces)).toBeLessThanOrEqual(2 * 64 * 1024);
  });

  it("JUnit keeps the first MAX_TEXT characters of a 3 MB failure and of a 3 MB system-out", async () => {
    const file = write(
      "junit.xml",
      junit(`<failure message="boom">${hugeText}</failure><system-out>${hugeText}</system-out>`),
    );
    const [floods, after] = await all(readJunit(file));
    expect(floods?.status).toBe("failed");
    expect(floods?.stacktrace).toBe(hugeText.slice(0, MAX_TEXT).trim());
    expect(floods?.attachments[0]?.content).toBe(hugeText.slice(0, MAX_TEXT));
    expect(after).toMatchObject({ title: "after", status: "passed" });
  });

  it("TRX keeps at most MAX_TEXT characters of a 3 MB stack trace", async () => {
    const file = write(
      "huge.trx",
      `<TestRun><Results><UnitTestResult testId="t1" testName="A.B.Floods" outcome="Failed">` +
        `<Output><ErrorInfo><Message>boom</Message><StackTrace>${hugeText}</StackTrace></ErrorInfo></Output>` +
        `</UnitTestResult></Results></TestRun>`,
    );
    const [r] = await all(readTrx(file));
    expect(r?.stacktrace).toBe(hugeText.slice(0, MAX_TEXT).trim());
  });
});
