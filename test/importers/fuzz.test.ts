import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Static } from "@sinclair/typebox";
import { Ajv } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { toV2 } from "../../src/cli/report/payload.js";
import { fromV2Batch } from "../../src/features/results/results.incoming.js";
import { V2ResultCreate } from "../../src/features/results/results.schemas.js";
import type { ErrorField } from "../../src/http/errors.js";
import { readReports } from "../../src/importers/index.js";
import { type ImportedResult, ReportError, type ReportFormat } from "../../src/importers/types.js";
import { type Json, mutate, random } from "../helpers/fuzz.js";

// `verdict report` reads whatever a CI job left behind: reports cut short by a killed job, hand-edited,
// written by a tool version we never saw. Real reports of every format are damaged at random; reading one
// must end in results or in a ReportError naming the file (never a TypeError and a stack trace), and every
// result read must become a v2 result the server takes: one it refused would cost its whole batch.

const SEEDS = Number(process.env.FUZZ_N ?? 250);
const fixtures = path.resolve("test/fixtures/reports");
const REPORTS: [ReportFormat, string][] = [
  ["junit", "junit/surefire.xml"],
  ["junit", "junit/pytest.xml"],
  ["junit", "junit/jest.xml"],
  ["junit", "junit/vitest.xml"],
  ["junit", "junit/gotestsum.xml"],
  ["junit", "junit/phpunit.xml"],
  ["nunit", "nunit/nunit2.xml"],
  ["nunit", "nunit/nunit3.xml"],
  ["testng", "testng/testng-results.xml"],
  ["trx", "trx/dotnet.trx"],
  ["ctrf", "ctrf/playwright-ctrf.json"],
  ["cucumber", "cucumber/cucumber.json"],
  ["playwright", "playwright/playwright.json"],
];

/** What a damaged XML report may hold at any point. */
const XML_NOISE = [
  "<",
  ">",
  "&",
  "&amp;",
  "&#0;",
  "&#xD800;",
  "&unknown;",
  '"',
  "'",
  "]]>",
  "<![CDATA[",
  "<!--",
  "-->",
  "<testcase>",
  "</testsuite>",
  '<testcase name="" time="-1"/>',
  'time="NaN"',
  'time="1e400"',
  'timestamp="9999-99-99T99:99:99"',
  'timestamp="1900-01-01T00:00:00"',
  'timestamp="+275760-09-13T00:00:00Z"',
  'duration="-00:00:01"',
  'duration-ms="99999999999999999999"',
  'startTime="-1"',
  "\u0000",
  "😀",
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
  "x".repeat(70_000),
];
const ATTRIBUTE_VALUES = [
  "",
  "-1",
  "NaN",
  "1e400",
  "-1e400",
  "99999999999999999999",
  "1900-01-01",
  "\u0000",
  "😀",
];

/** One random change to a report's text: cut, span removed or doubled, noise inserted, a value replaced. */
function damageText(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * text.length);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const how = rnd();
  if (how < 0.15) return text.slice(0, at);
  if (how < 0.3) return text.slice(0, at) + text.slice(at + Math.floor(rnd() * 200));
  if (how < 0.45) return text.slice(0, at) + text.slice(at, at + Math.floor(rnd() * 400)) + text.slice(at);
  if (how < 0.7) return text.slice(0, at) + pick(XML_NOISE) + text.slice(at);
  const values = [...text.matchAll(/="([^"]*)"/g)];
  const v = values.length > 0 ? pick(values) : undefined;
  if (!v || v.index === undefined) return text;
  return `${text.slice(0, v.index)}="${pick(ATTRIBUTE_VALUES)}"${text.slice(v.index + v[0].length)}`;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const serverSchema = ajv.compile(V2ResultCreate);

/** What the server would say to the result: its schema first, then its own checks (as the route runs them). */
function refusal(r: ImportedResult): string | null {
  const body = toV2(r, { id: "r-1", status: r.status, rootSuite: "root", hashes: new Map() });
  const json = JSON.parse(JSON.stringify(body)) as unknown;
  if (!serverSchema(json)) return ajv.errorsText(serverSchema.errors);
  const errors: ErrorField[] = [];
  fromV2Batch([json as Static<typeof V2ResultCreate>], "results.", errors);
  return errors.length > 0 ? JSON.stringify(errors) : null;
}

describe("report readers take damaged reports", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-fuzz-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The report's text damaged once to three times; JSON reports mostly through their parsed value. */
  function damaged(original: string, json: boolean, rnd: () => number): { text: string; what: string } {
    if (json && rnd() < 0.7) {
      const doc = JSON.parse(original) as Json;
      const root = doc !== null && typeof doc === "object" && !Array.isArray(doc) ? doc : { doc };
      const changes = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => mutate(root, rnd));
      return { text: JSON.stringify(doc), what: changes.join(", ") };
    }
    let text = original;
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) text = damageText(text, rnd);
    return { text, what: `${n} text changes` };
  }

  /** Reads a report to its end: problems are pushed to wrong; true when it read, false on a ReportError. */
  async function readsCleanly(target: string, format: ReportFormat, what: string, wrong: string[]) {
    try {
      for await (const r of readReports([target], format, { projectCode: "SHOP" })) {
        const why = refusal(r);
        if (why) wrong.push(`${what}: "${r.title.slice(0, 80)}" would be refused: ${why.slice(0, 300)}`);
      }
      return true;
    } catch (err) {
      if (!(err instanceof ReportError))
        wrong.push(`${what}: ${err instanceof Error ? err.stack?.slice(0, 400) : String(err)}`);
      return false;
    }
  }

  it.each(REPORTS)("%s %s: results the server takes, or a ReportError", async (format, name) => {
    const original = fs.readFileSync(path.join(fixtures, name), "utf8");
    const wrong: string[] = [];
    let read = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { text, what } = damaged(original, name.endsWith(".json"), random(seed * 31337 + name.length));
      const file = path.join(dir, `${seed}-${path.basename(name)}`);
      fs.writeFileSync(file, text);
      if (await readsCleanly(file, format, `seed ${seed} (${what})`, wrong)) read++;
      fs.rmSync(file, { force: true });
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(read).toBeGreaterThan(0);
  });

  it("allure: a results directory with one damaged file reads, or names that file", async () => {
    const source = path.join(fixtures, "allure/allure-results");
    const files = fs.readdirSync(source).filter((f) => f.endsWith("-result.json"));
    const wrong: string[] = [];
    let read = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rnd = random(seed * 7727);
      const target = path.join(dir, `allure-${seed}`);
      fs.cpSync(source, target, { recursive: true });
      const victim = files[Math.floor(rnd() * files.length)] as string;
      const { text, what } = damaged(fs.readFileSync(path.join(source, victim), "utf8"), true, rnd);
      fs.writeFileSync(path.join(target, victim), text);
      if (await readsCleanly(target, "allure", `seed ${seed} ${victim} (${what})`, wrong)) read++;
      fs.rmSync(target, { recursive: true, force: true });
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(read).toBeGreaterThan(0);
  });
});
