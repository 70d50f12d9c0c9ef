import type { ImportedResult, ImportedStep, ResultStatus } from "../../importers/types.js";

export type SkippedAs = "skipped" | "blocked" | "ignore";

/** One result as the v2 bulk endpoint takes it (Qase's ResultCreate). */
export interface V2Step {
  data: { action: string };
  execution: { status: string; duration: number | null; attachments: string[] };
  steps: V2Step[];
}

export interface V2Result {
  id: string;
  title: string;
  signature: string;
  testops_id?: number | null;
  testops_ids?: number[];
  execution: {
    status: string;
    start_time: number | null;
    end_time: number | null;
    duration: number | null;
    stacktrace: string | null;
    thread: null;
  };
  fields: Record<string, string>;
  attachments: string[];
  steps: V2Step[];
  params: Record<string, string>;
  relations: { suite: { data: { title: string }[] } } | Record<string, never>;
  message: string | null;
}

// Qase's documented limits (the v2 schema), so a report never trips a 400 on size alone.
const TITLE_MAX = 255;
const TEXT_MAX = 1_000_000;
const SUITE_DEPTH_MAX = 50;
const STEP_DEPTH_MAX = 8;
const STEPS_TOP_MAX = 1000;
const STEPS_NESTED_MAX = 500;
const ATTACHMENTS_MAX = 100;
const IDS_MAX = 100;
const PARAMS_MAX = 100;
const FIELDS_MAX = 200;
// Verdict's own bounds on times (its v2 schema): a result past them would cost its whole batch a 422.
const DURATION_MAX_MS = 31_536_000_000; // a year
const TIME_MAX_SECONDS = 32_503_680_000; // the year 3000

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const text = (s: string | null) => (s === null ? null : cut(s, TEXT_MAX));
const clean = (s: string) => s.replace(/\s+/g, " ").trim();
/** A duration the server takes: negative ones are 0, unknowable ones (past a year, not finite) none. */
const ms = (n: number | null) =>
  n === null || !Number.isFinite(n) || n > DURATION_MAX_MS ? null : Math.max(0, Math.round(n));
/** A start time in seconds the server takes; a damaged or absurd timestamp is none rather than a refusal. */
const seconds = (epochMs: number | null) =>
  epochMs === null || !Number.isFinite(epochMs) || epochMs < 0 || epochMs / 1000 > TIME_MAX_SECONDS
    ? null
    : epochMs / 1000;

/** The status to send for a report status; null when the result is not sent at all. */
export function statusFor(status: ResultStatus, skippedAs: SkippedAs): ResultStatus | null {
  if (status !== "skipped") return status;
  return skippedAs === "ignore" ? null : skippedAs;
}

/** Hashes of uploaded attachments, keyed by the attachment object they belong to. */
export type AttachmentHashes = Map<object, string>;

function stepsOf(steps: ImportedStep[], depth: number, hashes: AttachmentHashes): V2Step[] {
  if (depth > STEP_DEPTH_MAX) return [];
  return steps.slice(0, depth === 1 ? STEPS_TOP_MAX : STEPS_NESTED_MAX).map((s) => ({
    data: { action: cut(clean(s.title) || "step", 65535) },
    execution: {
      // Steps have no "invalid" in Qase: an errored step failed.
      status: s.status === "invalid" ? "failed" : s.status,
      duration: ms(s.durationMs),
      attachments: hashesOf(s.attachments, hashes),
    },
    steps: stepsOf(s.steps, depth + 1, hashes),
  }));
}

function hashesOf(list: object[], hashes: AttachmentHashes): string[] {
  return list.flatMap((a) => hashes.get(a) ?? []).slice(0, ATTACHMENTS_MAX);
}

function firstEntries(o: Record<string, string>, max: number, valueMax: number): Record<string, string> {
  return Object.fromEntries(
    Object.entries(o)
      .slice(0, max)
      .map(([k, v]) => [cut(k, 255), cut(v, valueMax)]),
  );
}

/** Maps one imported result to the v2 ResultCreate the server stores. */
export function toV2(
  r: ImportedResult,
  opts: { id: string; status: ResultStatus; rootSuite: string | null; hashes: AttachmentHashes },
): V2Result {
  const suites = [...(opts.rootSuite ? [opts.rootSuite] : []), ...r.suitePath]
    .map((t) => cut(clean(t), TITLE_MAX))
    .filter(Boolean);
  // Deeper paths than the server keeps: the innermost suites matter most, the root suite first.
  const kept =
    suites.length > SUITE_DEPTH_MAX ? [suites[0] ?? "", ...suites.slice(-(SUITE_DEPTH_MAX - 1))] : suites;
  const ids = r.caseIds.filter((n) => Number.isSafeInteger(n) && n > 0).slice(0, IDS_MAX);
  const start = seconds(r.startTime);
  const duration = ms(r.durationMs);
  const end = start !== null && duration !== null ? start + duration / 1000 : null;
  const fields = firstEntries(r.fields, FIELDS_MAX - 1, 65535);
  if (r.flaky) fields.is_flaky = "true";
  return {
    id: opts.id,
    title: cut(clean(r.title) || "untitled", TITLE_MAX),
    signature: cut(r.signature, 10000),
    ...(ids.length > 1 ? { testops_ids: ids } : { testops_id: ids[0] ?? null }),
    execution: {
      status: opts.status,
      start_time: start,
      end_time: end !== null && end <= TIME_MAX_SECONDS ? end : null,
      duration,
      stacktrace: text(r.stacktrace),
      thread: null,
    },
    fields,
    attachments: hashesOf(r.attachments, opts.hashes),
    steps: stepsOf(r.steps, 1, opts.hashes),
    params: firstEntries(r.params, PARAMS_MAX, 10000),
    relations: kept.length > 0 ? { suite: { data: kept.map((title) => ({ title })) } } : {},
    message: text(r.message),
  };
}
