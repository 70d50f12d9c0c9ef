import fs from "node:fs";
import path from "node:path";
import { extractCaseIds, idsFromValue } from "./case-id.js";
import { arr, isObject, type Json, num, str } from "./json-stream.js";
import { signatureOf } from "./signature.js";
import { stripAnsi } from "./text.js";
import type { ImportedAttachment, ImportedResult, ImportedStep, ReadOptions, ResultStatus } from "./types.js";
import { ReportError } from "./types.js";

type Obj = { [key: string]: Json | undefined };

const STATUS: Record<string, ResultStatus> = {
  passed: "passed",
  failed: "failed",
  broken: "invalid",
  skipped: "skipped",
};
/** One result file is one test: small, so it is parsed whole; the directory is walked lazily. */
const MAX_RESULT_FILE = 64 * 1024 * 1024;

function labels(r: Obj, name: string): string[] {
  return arr(r.labels)
    .filter(isObject)
    .filter((l) => str(l.name) === name)
    .map((l) => str(l.value) ?? "")
    .filter(Boolean);
}

function attachmentsOf(dir: string, raw: Json | undefined): ImportedAttachment[] {
  return arr(raw).flatMap((a): ImportedAttachment[] => {
    const source = isObject(a) ? str(a.source) : null;
    if (!isObject(a) || !source) return [];
    // Sources are file names inside the results directory; never follow a path out of it.
    const file = path.join(dir, path.basename(source));
    return [{ name: str(a.name) ?? source, mime: str(a.type) ?? "application/octet-stream", path: file }];
  });
}

function stepsOf(dir: string, raw: Json | undefined): ImportedStep[] {
  return arr(raw).flatMap((s): ImportedStep[] => {
    if (!isObject(s)) return [];
    const start = num(s.start);
    const stop = num(s.stop);
    return [
      {
        title: str(s.name) ?? "step",
        status: STATUS[str(s.status) ?? ""] ?? "blocked",
        durationMs: start !== null && stop !== null ? Math.max(0, stop - start) : null,
        steps: stepsOf(dir, s.steps),
        attachments: attachmentsOf(dir, s.attachments),
      },
    ];
  });
}

function suitePathOf(r: Obj): string[] {
  const explicit = [...labels(r, "parentSuite"), ...labels(r, "suite"), ...labels(r, "subSuite")];
  if (explicit.length > 0) return explicit;
  const pkg = labels(r, "package")[0];
  return pkg ? pkg.split(".").filter(Boolean) : [];
}

async function parse(file: string): Promise<Obj> {
  if ((await fs.promises.stat(file)).size > MAX_RESULT_FILE)
    throw new ReportError(file, null, "result file is too large");
  let r: Json;
  try {
    r = JSON.parse(await fs.promises.readFile(file, "utf8")) as Json;
  } catch (err) {
    throw new ReportError(file, null, `malformed JSON: ${(err as Error).message}`);
  }
  if (!isObject(r) || !str(r.name)) throw new ReportError(file, null, "not an Allure result: no name");
  return r;
}

/** An Allure results directory (allure-results/): every *-result.json, with steps, labels and tms links. */
export async function* readAllure(dir: string, opts: ReadOptions = {}): AsyncGenerator<ImportedResult> {
  const stat = await fs.promises.stat(dir).catch(() => null);
  if (!stat?.isDirectory())
    throw new ReportError(dir, null, "an Allure report is a directory of *-result.json files");
  const names = (await fs.promises.readdir(dir)).filter((n) => n.endsWith("-result.json")).sort();
  if (names.length === 0)
    throw new ReportError(dir, null, "no *-result.json files in this Allure results directory");
  // Retries are separate result files sharing a historyId: the latest is the result, the rest attempts.
  const latest = new Map<
    string,
    { file: string; stop: number; failed: boolean; attempts: number; failedBefore: boolean }
  >();
  for (const name of names) {
    const file = path.join(dir, name);
    const r = await parse(file);
    const key = str(r.historyId) ?? `${str(r.fullName) ?? str(r.name)}|${JSON.stringify(r.parameters ?? [])}`;
    const stop = num(r.stop) ?? 0;
    const failed = str(r.status) === "failed" || str(r.status) === "broken";
    const seen = latest.get(key);
    if (!seen) latest.set(key, { file, stop, failed, attempts: 1, failedBefore: false });
    else if (stop >= seen.stop) {
      latest.set(key, {
        file,
        stop,
        failed,
        attempts: seen.attempts + 1,
        failedBefore: seen.failedBefore || seen.failed,
      });
    } else {
      seen.attempts++;
      seen.failedBefore ||= failed;
    }
  }
  for (const { file, attempts, failedBefore } of [...latest.values()].sort((a, b) =>
    a.file.localeCompare(b.file),
  )) {
    const r = await parse(file);
    const status = STATUS[str(r.status) ?? ""];
    if (!status) throw new ReportError(file, null, `status "${str(r.status)}" is not an Allure status`);
    const marks = extractCaseIds(str(r.name) ?? "", opts.projectCode);
    const ids = [...marks.ids];
    for (const link of arr(r.links)) {
      if (isObject(link) && str(link.type) === "tms")
        ids.push(...idsFromValue((str(link.name) ?? "").split("-").pop() ?? ""));
    }
    for (const l of [...labels(r, "AS_ID"), ...labels(r, "qase_id"), ...labels(r, "testops_id")])
      ids.push(...idsFromValue(l));
    const params: Record<string, string> = {};
    for (const p of arr(r.parameters))
      if (isObject(p) && str(p.name)) params[str(p.name) ?? ""] = str(p.value) ?? "";
    const suitePath = suitePathOf(r);
    const details = isObject(r.statusDetails) ? r.statusDetails : {};
    const start = num(r.start);
    const stop = num(r.stop);
    const fields: Record<string, string> = {};
    const severity = labels(r, "severity")[0];
    if (severity) fields.severity = severity;
    const tags = labels(r, "tag");
    if (tags.length > 0) fields.tags = tags.join(",");
    const layer = labels(r, "layer")[0];
    if (layer) fields.layer = layer;
    yield {
      title: marks.title,
      suitePath,
      status,
      caseIds: [...new Set(ids)],
      // fullName (package.Class#method) is Allure's own stable id; historyId would also hash parameters.
      signature: signatureOf({
        suitePath: [],
        title: str(r.fullName) ?? [...suitePath, marks.title].join("."),
        params,
      }),
      durationMs: start !== null && stop !== null ? Math.max(0, stop - start) : null,
      startTime: start,
      message: stripAnsi(str(details.message)),
      stacktrace: stripAnsi(str(details.trace)),
      flaky: status === "passed" && (details.flaky === true || failedBefore),
      attempts,
      params,
      fields,
      steps: stepsOf(dir, r.steps),
      attachments: attachmentsOf(dir, r.attachments),
      source: { file, line: null },
    };
  }
}
