import { extractCaseIds } from "./case-id.js";
import { signatureOf } from "./signature.js";
import { appendCapped } from "./text.js";
import { type ImportedResult, type ReadOptions, ReportError, type ResultStatus } from "./types.js";
import { streamXml } from "./xml-stream.js";

/** What a result keeps of a parameter value (the payload's own limit). */
const PARAM_MAX = 10_000;

const STATUS: Record<string, ResultStatus> = { PASS: "passed", FAIL: "failed", SKIP: "skipped" };

interface MethodState {
  attrs: Record<string, string>;
  line: number;
  params: string[];
  message: string;
  stack: string;
  out: string;
}

/**
 * TestNG's testng-results.xml: suites > tests > classes > test-methods. Configuration methods
 * (@BeforeMethod...) are not tests. Attempts that a RetryAnalyzer re-ran are marked retried="true";
 * they count as attempts of the next result of the same method and parameters.
 */
export function readTestng(file: string, opts: ReadOptions = {}): AsyncGenerator<ImportedResult> {
  let root: string | null = null;
  let suite = "";
  let test = "";
  let klass = "";
  let current: MethodState | null = null;
  let target: "param" | "message" | "stack" | "out" | null = null;
  const retried = new Map<string, number>();
  const ready: ImportedResult[] = [];
  return streamXml<ImportedResult>(file, {
    ready,
    open(tag, line) {
      const a = tag.attributes as Record<string, string>;
      if (root === null) {
        root = tag.name;
        if (root !== "testng-results")
          throw new ReportError(file, line, `not a TestNG report: the root element is <${tag.name}>`);
      }
      if (tag.name === "suite") suite = a.name ?? "";
      else if (tag.name === "test") test = a.name ?? "";
      else if (tag.name === "class") klass = a.name ?? "";
      else if (tag.name === "test-method")
        current = { attrs: a, line, params: [], message: "", stack: "", out: "" };
      else if (current) {
        if (tag.name === "value") {
          target = "param";
          current.params.push("");
        } else if (tag.name === "message") target = "message";
        else if (tag.name === "full-stacktrace") target = "stack";
        else if (tag.name === "line") target = "out";
      }
    },
    text(t) {
      if (!current || !target) return;
      const last = current.params.length - 1;
      if (target === "param") current.params[last] = appendCapped(current.params[last] ?? "", t, PARAM_MAX);
      else current[target] = appendCapped(current[target], t);
    },
    close(name) {
      if (name === "value" || name === "message" || name === "full-stacktrace" || name === "line") {
        if (name === "line" && current) current.out += "\n";
        target = null;
        return;
      }
      if (name !== "test-method" || !current) return;
      const c = current;
      current = null;
      if (c.attrs["is-config"] === "true") return;
      const method = c.attrs.name;
      if (!method) throw new ReportError(file, c.line, "<test-method> has no name");
      const status = STATUS[c.attrs.status ?? ""];
      if (!status)
        throw new ReportError(file, c.line, `status="${c.attrs.status}" is not PASS, FAIL or SKIP`);
      const params: Record<string, string> = {};
      c.params.forEach((v, i) => {
        params[String(i)] = v.trim();
      });
      const key = `${klass}#${method}#${JSON.stringify(params)}`;
      if (c.attrs.retried === "true") {
        retried.set(key, (retried.get(key) ?? 0) + 1);
        return;
      }
      const reruns = retried.get(key) ?? 0;
      retried.delete(key);
      const marks = extractCaseIds(`${c.attrs.description ?? ""} ${method}`.trim(), opts.projectCode);
      const title = extractCaseIds(method, opts.projectCode).title;
      const ms = Number(c.attrs["duration-ms"] ?? "");
      ready.push({
        title,
        suitePath: [suite, test, klass].filter(Boolean),
        status,
        caseIds: marks.ids,
        signature: signatureOf({ suitePath: [klass], title, params }),
        durationMs: Number.isFinite(ms) && c.attrs["duration-ms"] ? ms : null,
        startTime: c.attrs["started-at"] ? Date.parse(c.attrs["started-at"]) || null : null,
        message: c.message.trim() || null,
        stacktrace: c.stack.trim() || null,
        flaky: status === "passed" && reruns > 0,
        attempts: 1 + reruns,
        params,
        fields: c.attrs.description ? { description: c.attrs.description } : {},
        steps: [],
        attachments: c.out.trim()
          ? [{ name: "reporter-output.txt", mime: "text/plain", content: c.out.trim() }]
          : [],
        source: { file, line: c.line },
      });
    },
  });
}
