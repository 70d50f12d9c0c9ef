import { extractCaseIds, idsFromValue, isCaseIdProperty } from "./case-id.js";
import { signatureOf } from "./signature.js";
import { appendCapped } from "./text.js";
import {
  type ImportedAttachment,
  type ImportedResult,
  type ReadOptions,
  ReportError,
  type ResultStatus,
} from "./types.js";
import { streamXml } from "./xml-stream.js";

/** A file path longer than this is no path a report means. */
const PATH_MAX = 4096;

const RESULT: Record<string, ResultStatus> = {
  Passed: "passed",
  Success: "passed",
  Warning: "passed",
  Failed: "failed",
  Failure: "failed",
  Error: "invalid",
  Cancelled: "invalid",
  Invalid: "invalid",
  NotRunnable: "invalid",
  Skipped: "skipped",
  Ignored: "skipped",
  Inconclusive: "blocked",
};

interface CaseState {
  attrs: Record<string, string>;
  line: number;
  message: string;
  stack: string;
  out: string;
  properties: Record<string, string>;
  files: ImportedAttachment[];
}

/** NUnit 3 (<test-run>) and NUnit 2 (<test-results>) result files, streamed one test case at a time. */
export function readNunit(file: string, opts: ReadOptions = {}): AsyncGenerator<ImportedResult> {
  const fixtures: string[] = [];
  let root: string | null = null;
  let current: CaseState | null = null;
  let target: "message" | "stack" | "out" | "filePath" | null = null;
  let filePath = "";
  const ready: ImportedResult[] = [];
  return streamXml<ImportedResult>(file, {
    ready,
    open(tag, line) {
      const a = tag.attributes as Record<string, string>;
      if (root === null) {
        root = tag.name;
        if (root !== "test-run" && root !== "test-results") {
          throw new ReportError(file, line, `not an NUnit report: the root element is <${tag.name}>`);
        }
      }
      if (tag.name === "test-suite")
        fixtures.push(a.type === "TestFixture" ? (a.fullname ?? a.name ?? "") : "");
      else if (tag.name === "test-case") {
        current = { attrs: a, line, message: "", stack: "", out: "", properties: {}, files: [] };
      } else if (current) {
        if (tag.name === "message") target = "message";
        else if (tag.name === "stack-trace") target = "stack";
        else if (tag.name === "output") target = "out";
        else if (tag.name === "filePath") {
          target = "filePath";
          filePath = "";
        } else if (tag.name === "property" && a.name) current.properties[a.name] = a.value ?? "";
      }
    },
    text(t) {
      if (!current || !target) return;
      if (target === "filePath") filePath = appendCapped(filePath, t, PATH_MAX);
      else current[target] = appendCapped(current[target], t);
    },
    close(name) {
      if (name === "test-suite") fixtures.pop();
      else if (name === "filePath" && current) {
        const p = filePath.trim();
        if (p)
          current.files.push({
            name: p.split(/[\\/]/).pop() ?? p,
            mime: "application/octet-stream",
            path: p,
          });
        target = null;
      } else if (name === "message" || name === "stack-trace" || name === "output") target = null;
      else if (name === "test-case" && current) {
        const c = current;
        current = null;
        const name = c.attrs.name;
        if (!name) throw new ReportError(file, c.line, "<test-case> has no name");
        const raw = c.attrs.result ?? "";
        let status = RESULT[raw];
        if (!status) throw new ReportError(file, c.line, `result="${raw}" is not an NUnit result`);
        if (status === "failed" && (c.attrs.label === "Error" || c.attrs.label === "Cancelled"))
          status = "invalid";
        // NUnit 2 names carry the class ("Ns.Class.Method"); NUnit 3 has classname separately.
        const className = c.attrs.classname ?? [...fixtures].reverse().find(Boolean) ?? "";
        const title = className && name.startsWith(`${className}.`) ? name.slice(className.length + 1) : name;
        const marks = extractCaseIds(title, opts.projectCode);
        const ids = [...marks.ids];
        const fields: Record<string, string> = {};
        for (const [k, v] of Object.entries(c.properties)) {
          if (isCaseIdProperty(k) || k.toLowerCase() === "qaseid") ids.push(...idsFromValue(v));
          else fields[k] = v;
        }
        const seconds = Number(c.attrs.duration ?? c.attrs.time ?? "");
        const suitePath = className ? [className] : [];
        const attachments: ImportedAttachment[] = [...c.files];
        if (c.out.trim()) attachments.push({ name: "output.txt", mime: "text/plain", content: c.out });
        ready.push({
          title: marks.title,
          suitePath,
          status,
          caseIds: [...new Set(ids)],
          signature: signatureOf({ suitePath, title: marks.title }),
          durationMs:
            Number.isFinite(seconds) && (c.attrs.duration ?? c.attrs.time)
              ? Math.round(seconds * 1000)
              : null,
          startTime: c.attrs["start-time"] ? Date.parse(c.attrs["start-time"]) || null : null,
          message: c.message.trim() || null,
          stacktrace: c.stack.trim() || null,
          flaky: false,
          attempts: 1,
          params: {},
          fields,
          steps: [],
          attachments,
          source: { file, line: c.line },
        });
      }
    },
  });
}
