import type { SaxesTagPlain } from "saxes";
import { extractCaseIds, idsFromValue, isCaseIdProperty } from "./case-id.js";
import { signatureOf } from "./signature.js";
import { appendCapped } from "./text.js";
import { type ImportedResult, type ReadOptions, ReportError, type ResultStatus } from "./types.js";
import { streamXml } from "./xml-stream.js";

interface Outcome {
  kind: string;
  message: string | null;
  text: string;
}

interface CaseState {
  attrs: Record<string, string>;
  line: number;
  outcomes: Outcome[];
  properties: Record<string, string>;
  out: string;
  err: string;
}

const OUTCOMES = new Set([
  "failure",
  "error",
  "skipped",
  "flakyFailure",
  "flakyError",
  "rerunFailure",
  "rerunError",
]);

function seconds(file: string, line: number, raw: string | undefined): number | null {
  if (raw === undefined || raw === "") return null;
  const n = Number(raw.replaceAll(",", ""));
  if (!Number.isFinite(n) || n < 0)
    throw new ReportError(file, line, `time="${raw}" is not a number of seconds`);
  return Math.round(n * 1000);
}

/**
 * JUnit XML as written by Surefire/Gradle, pytest, jest-junit, gotestsum, PHPUnit and Ant: nested
 * <testsuite>s, <failure>/<error>/<skipped>, system-out/err, properties, Surefire's flaky reruns.
 */
export function readJunit(file: string, opts: ReadOptions = {}): AsyncGenerator<ImportedResult> {
  const suites: string[] = [];
  let rootSeen = false;
  let current: CaseState | null = null;
  let outcome: Outcome | null = null;
  let textTarget: "out" | "err" | "outcome" | null = null;
  const ready: ImportedResult[] = [];

  const append = (s: string) => {
    if (!current || textTarget === null) return;
    // Capped per element: a runaway system-out or failure text must not exhaust memory.
    if (textTarget === "outcome" && outcome) outcome.text = appendCapped(outcome.text, s);
    else if (textTarget === "out" || textTarget === "err")
      current[textTarget] = appendCapped(current[textTarget], s);
  };

  const finish = (c: CaseState) => {
    const name = c.attrs.name;
    if (!name) throw new ReportError(file, c.line, "<testcase> has no name attribute");
    const durationMs = seconds(file, c.line, c.attrs.time);
    const marks = extractCaseIds(name, opts.projectCode);
    const ids = [
      ...marks.ids,
      ...Object.entries(c.properties).flatMap(([k, v]) => (isCaseIdProperty(k) ? idsFromValue(v) : [])),
    ];
    const suitePath = suites.filter((s, i) => s !== "" && s !== suites[i - 1]);
    const className = c.attrs.classname ?? "";
    if (className && className !== suitePath[suitePath.length - 1]) suitePath.push(className);
    const kinds = new Set(c.outcomes.map((o) => o.kind));
    let status: ResultStatus = "passed";
    if (kinds.has("failure")) status = "failed";
    else if (kinds.has("error")) status = "invalid";
    else if (kinds.has("skipped")) status = "skipped";
    const reruns = c.outcomes.filter((o) => o.kind.startsWith("flaky") || o.kind.startsWith("rerun")).length;
    const decisive =
      c.outcomes.find((o) => o.kind === "failure" || o.kind === "error" || o.kind === "skipped") ??
      c.outcomes.find((o) => o.kind.startsWith("flaky"));
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.properties)) if (!isCaseIdProperty(k)) fields[k] = v;
    const attachments = [
      ...(c.out.trim() ? [{ name: "system-out.txt", mime: "text/plain", content: c.out }] : []),
      ...(c.err.trim() ? [{ name: "system-err.txt", mime: "text/plain", content: c.err }] : []),
    ];
    ready.push({
      title: marks.title,
      suitePath,
      status,
      caseIds: [...new Set(ids)],
      signature: signatureOf({ file: c.attrs.file, suitePath, title: marks.title }),
      durationMs,
      startTime: c.attrs.timestamp ? Date.parse(c.attrs.timestamp) || null : null,
      message: decisive?.message ?? null,
      stacktrace: decisive?.text.trim() ? decisive.text.trim() : null,
      flaky: status === "passed" && reruns > 0,
      attempts: 1 + reruns,
      params: {},
      fields,
      steps: [],
      attachments,
      source: { file, line: c.line },
    });
  };

  return streamXml<ImportedResult>(file, {
    ready,
    open(tag, line) {
      const attrs = tag.attributes as Record<string, string>;
      if (!rootSeen) {
        rootSeen = true;
        if (tag.name !== "testsuites" && tag.name !== "testsuite") {
          throw new ReportError(
            file,
            line,
            `not a JUnit report: the root element is <${tag.name}>, expected <testsuites> or <testsuite>`,
          );
        }
      }
      if (tag.name === "testsuite") suites.push(attrs.name ?? "");
      else if (tag.name === "testcase") {
        if (current) throw new ReportError(file, line, "<testcase> inside another <testcase>");
        current = { attrs, line, outcomes: [], properties: {}, out: "", err: "" };
      } else if (current && OUTCOMES.has(tag.name)) {
        outcome = { kind: tag.name, message: attrs.message ?? null, text: "" };
        current.outcomes.push(outcome);
        textTarget = "outcome";
      } else if (current && tag.name === "property" && attrs.name) {
        current.properties[attrs.name] = attrs.value ?? "";
      } else if (current && (tag.name === "system-out" || tag.name === "system-err")) {
        textTarget = tag.name === "system-out" ? "out" : "err";
      }
    },
    text: append,
    close(name) {
      if (name === "testsuite") suites.pop();
      else if (name === "testcase" && current) {
        finish(current);
        current = null;
      } else if (OUTCOMES.has(name) || name === "system-out" || name === "system-err") {
        textTarget = null;
        outcome = null;
      }
    },
  } satisfies {
    ready: ImportedResult[];
    open(t: SaxesTagPlain, l: number): void;
    text(s: string): void;
    close(n: string): void;
  });
}
