import { extractCaseIds } from "./case-id.js";
import { signatureOf } from "./signature.js";
import { appendCapped } from "./text.js";
import { type ImportedResult, type ReadOptions, ReportError, type ResultStatus } from "./types.js";
import { streamXml } from "./xml-stream.js";

const OUTCOME: Record<string, ResultStatus> = {
  Passed: "passed",
  Failed: "failed",
  Error: "invalid",
  Timeout: "failed",
  Aborted: "invalid",
  NotExecuted: "skipped",
  Inconclusive: "blocked",
  Warning: "passed",
  PassedButRunAborted: "passed",
  NotRunnable: "invalid",
  Disconnected: "invalid",
  InProgress: "blocked",
  Pending: "skipped",
};

/** "00:00:01.2340000" -> 1234 ms */
function duration(file: string, line: number, raw: string | undefined): number | null {
  if (!raw) return null;
  const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(raw);
  if (!m) throw new ReportError(file, line, `duration="${raw}" is not hh:mm:ss`);
  const [, d, h, min, s] = m;
  return Math.round(((Number(d ?? 0) * 24 + Number(h)) * 3600 + Number(min) * 60 + Number(s)) * 1000);
}

interface Pending {
  attrs: Record<string, string>;
  line: number;
  message: string;
  stack: string;
  out: string;
}

/**
 * Visual Studio / `dotnet test --logger trx` results. Class names live in <TestDefinitions>, which
 * usually follows <Results>, so a first pass collects testId -> class (one short string per test),
 * then a second pass streams the results.
 */
export async function* readTrx(file: string, opts: ReadOptions = {}): AsyncGenerator<ImportedResult> {
  const classes = new Map<string, { className: string; storage: string }>();
  let root: string | null = null;
  let unitTest: string | null = null;
  for await (const _ of streamXml<never>(file, {
    ready: [],
    open(tag, line) {
      const a = tag.attributes as Record<string, string>;
      root ??= tag.name;
      if (root !== "TestRun")
        throw new ReportError(file, line, `not a TRX report: the root element is <${tag.name}>`);
      if (tag.name === "UnitTest") unitTest = a.id ?? null;
      if (tag.name === "TestMethod" && unitTest)
        classes.set(unitTest, { className: a.className ?? "", storage: a.codeBase ?? "" });
    },
    text() {},
    close(name) {
      if (name === "UnitTest") unitTest = null;
    },
  }));

  let current: Pending | null = null;
  let target: "message" | "stack" | "out" | null = null;
  const ready: ImportedResult[] = [];
  yield* streamXml<ImportedResult>(file, {
    ready,
    open(tag, line) {
      const a = tag.attributes as Record<string, string>;
      if (tag.name === "UnitTestResult") current = { attrs: a, line, message: "", stack: "", out: "" };
      else if (current && tag.name === "Message") target = "message";
      else if (current && tag.name === "StackTrace") target = "stack";
      else if (current && tag.name === "StdOut") target = "out";
    },
    text(t) {
      if (current && target) current[target] = appendCapped(current[target], t);
    },
    close(name, line) {
      if (name === "Message" || name === "StackTrace" || name === "StdOut") target = null;
      if (name !== "UnitTestResult" || !current) return;
      const c: Pending = current;
      current = null;
      const testName = c.attrs.testName;
      if (!testName) throw new ReportError(file, c.line, "<UnitTestResult> has no testName");
      const outcome = c.attrs.outcome ?? "";
      const status = OUTCOME[outcome];
      if (!status) throw new ReportError(file, c.line, `outcome="${outcome}" is not a TRX outcome`);
      const def = classes.get(c.attrs.testId ?? "");
      const className = def?.className ?? "";
      // A method name repeats the class in "Namespace.Class.Method" form; keep the readable part.
      const title =
        className && testName.startsWith(`${className}.`) ? testName.slice(className.length + 1) : testName;
      const marks = extractCaseIds(title, opts.projectCode);
      const suitePath = className ? [className] : [];
      ready.push({
        title: marks.title,
        suitePath,
        status,
        caseIds: marks.ids,
        signature: signatureOf({ suitePath, title: marks.title }),
        durationMs: duration(file, line, c.attrs.duration),
        startTime: c.attrs.startTime ? Date.parse(c.attrs.startTime) || null : null,
        message: c.message.trim() || null,
        stacktrace: c.stack.trim() || null,
        flaky: false,
        attempts: 1,
        params: {},
        fields: {},
        steps: [],
        attachments: c.out.trim() ? [{ name: "stdout.txt", mime: "text/plain", content: c.out }] : [],
        source: { file, line: c.line },
      });
    },
  });
}
