import { extractCaseIds } from "./case-id.js";
import { arr, isObject, type Json, num, str, streamJson } from "./json-stream.js";
import { signatureOf } from "./signature.js";
import { epochMs, stripAnsi } from "./text.js";
import {
  type ImportedAttachment,
  type ImportedResult,
  type ImportedStep,
  type ReadOptions,
  ReportError,
  type ResultStatus,
} from "./types.js";

const STATUS: Record<string, ResultStatus> = {
  passed: "passed",
  failed: "failed",
  skipped: "skipped",
  pending: "skipped",
  other: "invalid",
};

function status(file: string, raw: Json | undefined, index: number): ResultStatus {
  const s = str(raw);
  const mapped = s ? STATUS[s] : undefined;
  if (!mapped)
    throw new ReportError(file, null, `results.tests[${index}].status "${s}" is not a CTRF status`);
  return mapped;
}

function suitePathOf(raw: Json | undefined): string[] {
  if (Array.isArray(raw)) return raw.map((s) => str(s)).filter((s): s is string => !!s);
  const s = str(raw);
  return s ? s.split(/\s+>\s+/).filter(Boolean) : [];
}

/** CTRF (Common Test Report Format) JSON: results.tests[] streamed one test at a time. */
export async function* readCtrf(file: string, opts: ReadOptions = {}): AsyncGenerator<ImportedResult> {
  let index = 0;
  // results.summary is required by the CTRF schema and small: it proves the format even with no tests.
  let sawSummary = false;
  for await (const { value, path } of streamJson(file, ["$.results.tests.*", "$.results.summary"])) {
    if (path === "results.summary") {
      sawSummary = true;
      continue;
    }
    if (!isObject(value)) throw new ReportError(file, null, `results.tests[${index}] is not an object`);
    const name = str(value.name);
    if (!name) throw new ReportError(file, null, `results.tests[${index}] has no name`);
    const duration = num(value.duration);
    const marks = extractCaseIds(name, opts.projectCode);
    const suitePath = suitePathOf(value.suite);
    const params: Record<string, string> = {};
    if (isObject(value.parameters))
      for (const [k, v] of Object.entries(value.parameters)) params[k] = String(str(v) ?? JSON.stringify(v));
    const steps: ImportedStep[] = arr(value.steps).flatMap((s) =>
      isObject(s) && str(s.name)
        ? [
            {
              title: str(s.name) ?? "",
              status: STATUS[str(s.status) ?? ""] ?? "invalid",
              durationMs: null,
              steps: [],
              attachments: [],
            },
          ]
        : [],
    );
    const out = [...arr(value.stdout), ...arr(value.stderr)].map((l) => str(l) ?? "").join("\n");
    const attachments: ImportedAttachment[] = arr(value.attachments).flatMap((a) =>
      isObject(a) && str(a.path)
        ? [
            {
              name: str(a.name) ?? "attachment",
              mime: str(a.contentType) ?? "application/octet-stream",
              path: str(a.path) ?? "",
            },
          ]
        : [],
    );
    if (out.trim()) attachments.push({ name: "output.txt", mime: "text/plain", content: out });
    const fields: Record<string, string> = {};
    const tags = arr(value.tags).map(str).filter(Boolean);
    if (tags.length > 0) fields.tags = tags.join(",");
    const retries = num(value.retries) ?? 0;
    const st = status(file, value.status, index);
    yield {
      title: marks.title,
      suitePath,
      status: st,
      caseIds: marks.ids,
      signature: signatureOf({ file: str(value.filePath), suitePath, title: marks.title, params }),
      durationMs: duration === null ? null : Math.round(duration),
      startTime: epochMs(num(value.start)),
      message: stripAnsi(str(value.message)),
      stacktrace: stripAnsi(str(value.trace)),
      flaky: value.flaky === true || (st === "passed" && retries > 0),
      attempts: 1 + retries,
      params,
      fields,
      steps,
      attachments,
      source: { file, line: null },
    };
    index++;
  }
  if (!sawSummary) throw new ReportError(file, null, "not a CTRF report: results.summary is missing");
}
