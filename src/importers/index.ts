import fs from "node:fs";
import path from "node:path";
import { glob } from "tinyglobby";
import { readAllure } from "./allure.js";
import { readCtrf } from "./ctrf.js";
import { readCucumber } from "./cucumber.js";
import { head } from "./json-stream.js";
import { readJunit } from "./junit.js";
import { readNunit } from "./nunit.js";
import { readPlaywright } from "./playwright.js";
import { readTestng } from "./testng.js";
import { readTrx } from "./trx.js";
import { type ImportedResult, type ReadOptions, ReportError, type ReportFormat } from "./types.js";

export const FORMATS: readonly ReportFormat[] = [
  "junit",
  "allure",
  "ctrf",
  "cucumber",
  "playwright",
  "trx",
  "nunit",
  "testng",
];

const READERS: Record<ReportFormat, (file: string, opts: ReadOptions) => AsyncGenerator<ImportedResult>> = {
  junit: readJunit,
  allure: readAllure,
  ctrf: readCtrf,
  cucumber: readCucumber,
  playwright: readPlaywright,
  trx: readTrx,
  nunit: readNunit,
  testng: readTestng,
};

/** Recognises a report from its first bytes (or, for a directory, from Allure's file names). */
export async function detectFormat(target: string): Promise<ReportFormat> {
  const stat = await fs.promises.stat(target).catch(() => null);
  if (!stat) throw new ReportError(target, null, "no such file or directory");
  if (stat.isDirectory()) {
    const names = await fs.promises.readdir(target);
    if (names.some((n) => n.endsWith("-result.json"))) return "allure";
    throw new ReportError(target, null, "cannot tell the format of this directory; pass --format");
  }
  const start = (await head(target, 8192)).trimStart();
  if (start.startsWith("<")) {
    const root = /<([A-Za-z][\w:-]*)[\s>/]/.exec(
      start
        .replace(/<\?xml[^>]*\?>/, "")
        .replace(/<!--[\s\S]*?-->/g, "")
        .trimStart(),
    );
    switch (root?.[1]) {
      case "testsuites":
      case "testsuite":
        return "junit";
      case "TestRun":
        return "trx";
      case "test-run":
      case "test-results":
        return "nunit";
      case "testng-results":
        return "testng";
    }
    throw new ReportError(
      target,
      1,
      `cannot tell the format of an XML report whose root is <${root?.[1] ?? "?"}>; pass --format`,
    );
  }
  if (start.startsWith("[")) return "cucumber";
  if (start.startsWith("{")) {
    if (/"reportFormat"\s*:\s*"CTRF"/.test(start) || /^\{\s*"results"\s*:\s*\{\s*"tool"/.test(start))
      return "ctrf";
    if (/"config"\s*:/.test(start) && /"suites"\s*:|"configFile"|"rootDir"/.test(start)) return "playwright";
    if (/"results"\s*:\s*\{/.test(start)) return "ctrf";
  }
  throw new ReportError(target, 1, "cannot tell the format of this report; pass --format");
}

/**
 * Expands what the user named: a file, a directory of reports (not Allure's, which is one report),
 * or a glob such as "reports/**\/*.xml". Sorted, so two runs see files in the same order.
 */
export async function expandTargets(patterns: string[], format: ReportFormat | "auto"): Promise<string[]> {
  const out = new Set<string>();
  for (const pattern of patterns) {
    if (/[*?[]/.test(pattern)) {
      for (const f of await glob(pattern, { onlyFiles: false, expandDirectories: false }))
        out.add(path.resolve(f));
      continue;
    }
    const stat = await fs.promises.stat(pattern).catch(() => null);
    if (!stat) throw new ReportError(pattern, null, "no such file or directory");
    const isAllure =
      format === "allure" ||
      (format === "auto" &&
        stat.isDirectory() &&
        (await detectFormat(pattern).catch(() => null)) === "allure");
    if (stat.isDirectory() && !isAllure) {
      for (const name of (await fs.promises.readdir(pattern)).sort()) {
        const f = path.join(pattern, name);
        if ((await fs.promises.stat(f)).isFile() && /\.(xml|trx|json)$/i.test(name)) out.add(path.resolve(f));
      }
    } else out.add(path.resolve(pattern));
  }
  return [...out].sort();
}

/** Every result of every named report, streamed; the format is detected per file when "auto". */
export async function* readReports(
  targets: string[],
  format: ReportFormat | "auto",
  opts: ReadOptions = {},
): AsyncGenerator<ImportedResult> {
  for (const target of targets) {
    const f = format === "auto" ? await detectFormat(target) : format;
    yield* READERS[f](target, opts);
  }
}
