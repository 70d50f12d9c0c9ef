import { extractCaseIds, idsFromValue } from "./case-id.js";
import { arr, head, isObject, type Json, num, str, streamJson } from "./json-stream.js";
import { signatureOf } from "./signature.js";
import { stripAnsi } from "./text.js";
import type { ImportedAttachment, ImportedResult, ImportedStep, ReadOptions, ResultStatus } from "./types.js";
import { ReportError } from "./types.js";

type Obj = { [key: string]: Json | undefined };

const STEP_STATUS: Record<string, ImportedStep["status"]> = {
  passed: "passed",
  failed: "failed",
  skipped: "skipped",
  pending: "blocked",
  undefined: "invalid",
  ambiguous: "invalid",
};

function embeddings(raw: Json | undefined): ImportedAttachment[] {
  return arr(raw).flatMap((e, i): ImportedAttachment[] => {
    if (!isObject(e)) return [];
    const mime =
      str(e.mime_type) ?? str(isObject(e.media) ? e.media.type : null) ?? "application/octet-stream";
    const data = str(e.data) ?? "";
    const text = mime.startsWith("text/") ? Buffer.from(data, "base64").toString("utf8") : data;
    return [{ name: `embedding-${i + 1}${mime === "text/plain" ? ".txt" : ""}`, mime, content: text }];
  });
}

function stepOf(s: Obj): ImportedStep & { error: string | null } {
  const result = isObject(s.result) ? s.result : {};
  const ns = num(result.duration);
  return {
    title: `${(str(s.keyword) ?? "").trim()} ${str(s.name) ?? ""}`.trim(),
    status: STEP_STATUS[str(result.status) ?? ""] ?? "invalid",
    durationMs: ns === null ? null : Math.round(ns / 1e6),
    steps: [],
    attachments: embeddings(s.embeddings),
    error: stripAnsi(str(result.error_message)),
  };
}

/** The scenario's status from its steps and hooks: any failure fails it; undefined steps make it invalid. */
function verdict(steps: ImportedStep[]): ResultStatus {
  const seen = new Set(steps.map((s) => s.status));
  if (seen.has("failed")) return "failed";
  if (seen.has("invalid")) return "invalid";
  if (seen.has("blocked")) return "blocked";
  if (steps.length > 0 && [...seen].every((s) => s === "skipped")) return "skipped";
  return "passed";
}

function idCounts(elements: Json[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of elements)
    if (isObject(e)) counts.set(str(e.id) ?? "", (counts.get(str(e.id) ?? "") ?? 0) + 1);
  return counts;
}

/** Case ids in tags: @QaseID=12, @qase_id(12,13), @testops_id:4, or @CODE-12 for the project's code. */
function idsFromTag(tag: string, projectCode: string | undefined): number[] {
  const named = /^(?:qase|testops)[_-]?ids?[=:(]\s*([\d,\s]+)\)?$/i.exec(tag);
  if (named) return idsFromValue(named[1] ?? "");
  const coded = projectCode ? new RegExp(`^${projectCode}-(\\d+)$`, "i").exec(tag) : null;
  return coded ? [Number(coded[1])] : [];
}

/** Cucumber's JSON formatter (cucumber-js, Cucumber-JVM, behave): one feature at a time. */
export async function* readCucumber(file: string, opts: ReadOptions = {}): AsyncGenerator<ImportedResult> {
  if (!(await head(file, 1024)).trimStart().startsWith("[")) {
    throw new ReportError(file, 1, "not a Cucumber JSON report: the document is not an array of features");
  }
  let index = 0;
  for await (const { value } of streamJson(file, ["$.*"])) {
    if (!isObject(value) || !Array.isArray(value.elements)) {
      throw new ReportError(
        file,
        null,
        `not a Cucumber JSON report: item ${index} is not a feature with elements`,
      );
    }
    const feature = str(value.name) ?? str(value.uri) ?? "Feature";
    const featureTags = arr(value.tags).map((t) => (isObject(t) ? (str(t.name) ?? "") : ""));
    const occurrences = new Map<string, number>();
    const shared = idCounts(value.elements);
    for (const el of value.elements) {
      if (!isObject(el) || str(el.type) === "background") continue;
      // Rows of a Scenario Outline share one id; their order among the rows tells them apart.
      const id = str(el.id) ?? str(el.name) ?? "";
      const row = (occurrences.get(id) ?? 0) + 1;
      occurrences.set(id, row);
      const params: Record<string, string> = (shared.get(id) ?? 0) > 1 ? { example: String(row) } : {};
      const name = str(el.name);
      if (name === null) throw new ReportError(file, null, `a scenario of feature "${feature}" has no name`);
      const all = [...arr(el.before), ...arr(el.steps), ...arr(el.after)].filter(isObject).map(stepOf);
      const visible = arr(el.steps).filter(isObject).map(stepOf);
      // Scenarios repeat their feature's tags in this format; keep each tag once.
      const tags = [
        ...new Set(
          [...featureTags, ...arr(el.tags).map((t) => (isObject(t) ? (str(t.name) ?? "") : ""))].filter(
            Boolean,
          ),
        ),
      ];
      const ids = tags.flatMap((t) => idsFromTag(t.replace(/^@/, ""), opts.projectCode));
      const marks = extractCaseIds(name, opts.projectCode);
      const failing = all.find((s) => s.error);
      const fields: Record<string, string> = {};
      if (tags.length > 0) fields.tags = tags.map((t) => t.replace(/^@/, "")).join(",");
      const steps = visible.map(({ error: _e, ...s }) => s);
      yield {
        title: marks.title,
        suitePath: [feature],
        status: verdict(all),
        caseIds: [...new Set([...marks.ids, ...ids])],
        signature: signatureOf({ file: str(value.uri), suitePath: [feature], title: id, params }),
        durationMs: all.reduce((sum, s) => sum + (s.durationMs ?? 0), 0),
        startTime: null,
        message: failing?.error?.split("\n")[0] ?? null,
        stacktrace: failing?.error ?? null,
        flaky: false,
        attempts: 1,
        params,
        fields,
        steps,
        attachments: visible.flatMap((s) => s.attachments),
        source: { file, line: null },
      };
    }
    index++;
  }
}
