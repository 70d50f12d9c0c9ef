import { extractCaseIds, idsFromValue } from "./case-id.js";
import { arr, isObject, type Json, num, str, streamJson } from "./json-stream.js";
import { signatureOf } from "./signature.js";
import { stripAnsi } from "./text.js";
import {
  type ImportedAttachment,
  type ImportedResult,
  type ImportedStep,
  type ReadOptions,
  ReportError,
  type ResultStatus,
} from "./types.js";

type Obj = { [key: string]: Json | undefined };

function stepsOf(raw: Json | undefined): ImportedStep[] {
  return arr(raw).flatMap((s) =>
    isObject(s)
      ? [
          {
            title: str(s.title) ?? "step",
            status: (isObject(s.error) ? "failed" : "passed") as ResultStatus,
            durationMs: num(s.duration),
            steps: stepsOf(s.steps),
            attachments: [],
          },
        ]
      : [],
  );
}

function attachmentsOf(raw: Json | undefined): ImportedAttachment[] {
  return arr(raw).flatMap((a): ImportedAttachment[] => {
    if (!isObject(a)) return [];
    const name = str(a.name) ?? "attachment";
    const mime = str(a.contentType) ?? "application/octet-stream";
    const path = str(a.path);
    if (path) return [{ name, mime, path }];
    const body = str(a.body);
    return body ? [{ name, mime, content: Buffer.from(body, "base64").toString("utf8") }] : [];
  });
}

function statusOf(test: Obj, last: Obj | undefined): { status: ResultStatus; flaky: boolean } {
  const outcome = str(test.status);
  if (outcome === "flaky") return { status: "passed", flaky: true };
  if (outcome === "skipped") return { status: "skipped", flaky: false };
  if (outcome === "expected")
    return { status: str(test.expectedStatus) === "skipped" ? "skipped" : "passed", flaky: false };
  const s = str(last?.status);
  return { status: s === "interrupted" ? "invalid" : "failed", flaky: false };
}

function* walk(file: string, suite: Obj, path: string[], opts: ReadOptions): Generator<ImportedResult> {
  const title = str(suite.title);
  const here = title ? [...path, title] : path;
  for (const spec of arr(suite.specs)) {
    if (!isObject(spec)) continue;
    const specTitle = str(spec.title);
    if (!specTitle) throw new ReportError(file, null, `a spec in suite "${here.join(" > ")}" has no title`);
    for (const test of arr(spec.tests)) {
      if (!isObject(test)) continue;
      const results = arr(test.results).filter(isObject);
      const last = results[results.length - 1];
      const { status, flaky } = statusOf(test, last);
      const marks = extractCaseIds(specTitle, opts.projectCode);
      const ids = [...marks.ids];
      for (const a of arr(test.annotations)) {
        if (isObject(a) && /^(qase[ _-]?id|testops[ _-]?id|case[ _-]?id)$/i.test(str(a.type) ?? "")) {
          ids.push(...idsFromValue(str(a.description) ?? ""));
        }
      }
      const project = str(test.projectName);
      const params: Record<string, string> = project ? { project } : {};
      const failing = [...results].reverse().find((r) => isObject(r.error));
      const error = failing && isObject(failing.error) ? failing.error : undefined;
      const start = str(results[0]?.startTime);
      const fields: Record<string, string> = {};
      const tags = arr(spec.tags).map(str).filter(Boolean);
      if (tags.length > 0) fields.tags = tags.join(",");
      yield {
        title: marks.title,
        suitePath: here,
        status,
        caseIds: [...new Set(ids)],
        signature: signatureOf({
          file: str(spec.file),
          suitePath: here.slice(1),
          title: marks.title,
          params,
        }),
        durationMs: results.reduce((sum, r) => sum + (num(r.duration) ?? 0), 0),
        startTime: start ? Date.parse(start) || null : null,
        message: stripAnsi(error ? str(error.message) : null),
        stacktrace: stripAnsi(error ? str(error.stack) : null),
        flaky,
        attempts: Math.max(1, results.length),
        params,
        fields,
        steps: stepsOf(last?.steps),
        attachments: attachmentsOf(last?.attachments),
        source: { file, line: null },
      };
    }
  }
  for (const child of arr(suite.suites)) if (isObject(child)) yield* walk(file, child, here, opts);
}

/** Playwright's JSON reporter output: one top-level suite (a spec file) at a time. */
export async function* readPlaywright(file: string, opts: ReadOptions = {}): AsyncGenerator<ImportedResult> {
  let sawConfig = false;
  for await (const { value, path } of streamJson(file, ["$.suites.*", "$.config.version"])) {
    if (path.endsWith("version")) {
      sawConfig = true;
      continue;
    }
    if (!isObject(value)) throw new ReportError(file, null, "suites[] must hold objects");
    yield* walk(file, value, [], opts);
  }
  if (!sawConfig)
    throw new ReportError(file, null, "not a Playwright JSON report: config.version is missing");
}
