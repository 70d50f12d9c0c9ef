import type { Static } from "@sinclair/typebox";
import type { ErrorField } from "../../http/errors.js";
import {
  MAX_ERROR_CONTEXT,
  MAX_ERROR_CONTEXT_PER_BATCH,
  MAX_RESULTS_PER_BATCH,
  type V1ResultCreate,
  type V2ResultCreate,
} from "./results.schemas.js";

/** A result step as stored: status slug, texts, times in ms, attachment hashes, nested steps. */
export interface StoredResultStep {
  position: number;
  status: string;
  action: string | null;
  expected_result: string | null;
  data: string | null;
  comment: string | null;
  start_time: number | null;
  end_time: number | null;
  duration_ms: number | null;
  attachments: string[];
  steps: StoredResultStep[];
}

/** What the case matcher needs to find or create the case of a result that names none. */
export interface CaseSpec {
  title: string;
  suitePath: string[];
  signature: string | null;
  /** Case fields a reporter sent (slugs or titles): description, severity, layer, ... */
  fields: Record<string, string>;
}

/** One result, whichever API it came through, before it is matched to a case and stored. */
export interface IncomingResult {
  /** Where it was in the request, for error fields ("results.3.testops_id"). */
  field: string;
  idemKey: string | null;
  caseIds: number[] | null;
  spec: CaseSpec | null;
  status: string;
  title: string | null;
  signature: string | null;
  suitePath: string[];
  startTime: number | null;
  endTime: number | null;
  durationMs: number | null;
  stacktrace: string | null;
  errorContext: string | null;
  thread: string | null;
  comment: string | null;
  stepsType: string | null;
  steps: StoredResultStep[];
  attachments: string[];
  params: Record<string, string>;
  paramGroups: string[][];
  fields: Record<string, string>;
  isApi: boolean;
  muted: boolean;
  isFlaky: boolean;
  defect: boolean;
  authorId: number | null;
}

export const STEP_STATUS_IDS: Record<string, number> = {
  passed: 1,
  failed: 2,
  blocked: 3,
  skipped: 5,
  in_progress: 7,
  invalid: 8,
};

/** The statuses that make a line, and a completed run holding one, "failed" rather than "passed". */
export const FAILING_STATUSES: readonly string[] = ["failed", "invalid", "blocked"];
const FAILING = new Set(FAILING_STATUSES);
export function isFailing(status: string): boolean {
  return FAILING.has(status);
}

export function normaliseStatus(s: string): string {
  const t = s
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  // Reporters write "disabled" for skipped tests and some tools "error" for broken ones.
  if (t === "disabled" || t === "pending") return "skipped";
  if (t === "error" || t === "broken") return "invalid";
  return t;
}

function secondsToMs(v: number | null | undefined): number | null {
  return v === undefined || v === null ? null : Math.round(v * 1000);
}

function truthy(v: string | null | undefined): boolean {
  return v !== undefined && v !== null && ["true", "1", "yes"].includes(v.trim().toLowerCase());
}

type V1Step = {
  status: string;
  position?: number;
  comment?: string | null;
  attachments?: string[] | null;
  action?: string | null;
  expected_result?: string | null;
  data?: string | null;
  steps?: V1Step[] | null;
};

function v1Steps(steps: V1Step[] | null | undefined): StoredResultStep[] {
  return (steps ?? []).map((s, i) => ({
    position: s.position ?? i + 1,
    status: normaliseStatus(s.status),
    action: s.action ?? null,
    expected_result: s.expected_result ?? null,
    data: s.data ?? null,
    comment: s.comment ?? null,
    start_time: null,
    end_time: null,
    duration_ms: null,
    attachments: s.attachments ?? [],
    steps: v1Steps(s.steps),
  }));
}

type V2Step = {
  data?: {
    action?: string;
    expected_result?: string | null;
    input_data?: string | null;
    attachments?: string[] | null;
  } | null;
  execution?: {
    status: string;
    start_time?: number | null;
    end_time?: number | null;
    duration?: number | null;
    comment?: string | null;
    attachments?: string[] | null;
  } | null;
  steps?: V2Step[] | null;
};

function v2Steps(steps: V2Step[] | null | undefined): StoredResultStep[] {
  return (steps ?? []).map((s, i) => ({
    position: i + 1,
    status: normaliseStatus(s.execution?.status ?? "passed"),
    action: s.data?.action ?? null,
    expected_result: s.data?.expected_result ?? null,
    data: s.data?.input_data ?? null,
    comment: s.execution?.comment ?? null,
    start_time: secondsToMs(s.execution?.start_time),
    end_time: secondsToMs(s.execution?.end_time),
    duration_ms: s.execution?.duration ?? null,
    attachments: [...(s.data?.attachments ?? []), ...(s.execution?.attachments ?? [])],
    steps: v2Steps(s.steps),
  }));
}

/** 413 for the whole batch, as Qase answers: more than 2000 results. */
export function batchTooLarge(count: number): string | null {
  return count > MAX_RESULTS_PER_BATCH
    ? `A batch holds at most ${MAX_RESULTS_PER_BATCH} results; this one has ${count}`
    : null;
}

export function fromV1(
  input: Static<typeof V1ResultCreate>,
  field: string,
  errors: ErrorField[],
): IncomingResult {
  const caseIds = input.case_id ? [input.case_id] : null;
  let spec: CaseSpec | null = null;
  if (!caseIds) {
    const title = input.case?.title?.trim() ?? "";
    if (title === "")
      errors.push({
        field: `${field}case_id`,
        error: "give case_id, or case.title to find or create the case",
      });
    const suitePath = (input.case?.suite_title ?? "")
      .split("\t")
      .map((t) => t.trim())
      .filter((t) => t !== "");
    const fields: Record<string, string> = {};
    for (const key of [
      "description",
      "preconditions",
      "postconditions",
      "layer",
      "severity",
      "priority",
    ] as const) {
      const v = input.case?.[key];
      if (typeof v === "string") fields[key] = v;
    }
    spec = { title, suitePath, signature: null, fields };
  }
  const startMs =
    input.start_time === undefined || input.start_time === null ? null : input.start_time * 1000;
  const duration =
    input.time_ms ?? (input.time === undefined || input.time === null ? null : input.time * 1000);
  return {
    field,
    idemKey: null,
    caseIds,
    spec,
    status: normaliseStatus(input.status),
    title: spec?.title ?? null,
    signature: null,
    suitePath: spec?.suitePath ?? [],
    startTime: startMs,
    endTime: startMs !== null && duration !== null ? startMs + duration : null,
    durationMs: duration,
    stacktrace: input.stacktrace ?? null,
    errorContext: null,
    thread: null,
    comment: input.comment ?? null,
    stepsType: null,
    steps: v1Steps(input.steps as V1Step[] | null | undefined),
    attachments: input.attachments ?? [],
    params: input.param ?? {},
    paramGroups: input.param_groups ?? [],
    fields: {},
    isApi: true,
    muted: false,
    isFlaky: false,
    defect: input.defect === true,
    authorId: input.author_id ?? null,
  };
}

/** Validates a v2 batch as a whole (413 limits) and maps each result; problems go to `errors`. */
export function fromV2Batch(
  inputs: Static<typeof V2ResultCreate>[],
  prefix: string,
  errors: ErrorField[],
): { results: IncomingResult[]; tooLarge: string | null } {
  const tooMany = batchTooLarge(inputs.length);
  if (tooMany) return { results: [], tooLarge: tooMany };
  let context = 0;
  for (const r of inputs) context += r.execution.error_context?.length ?? 0;
  if (context > MAX_ERROR_CONTEXT_PER_BATCH) {
    return {
      results: [],
      tooLarge: `The error_context of a batch may total ${MAX_ERROR_CONTEXT_PER_BATCH} characters; this one has ${context}`,
    };
  }
  return { results: inputs.map((r, i) => fromV2(r, `${prefix}${i}.`, errors)), tooLarge: null };
}

export function fromV2(
  input: Static<typeof V2ResultCreate>,
  field: string,
  errors: ErrorField[],
): IncomingResult {
  let caseIds: number[] | null = null;
  if (input.testops_id !== undefined && input.testops_id !== null && input.testops_ids) {
    errors.push({ field: `${field}testops_ids`, error: "give testops_id or testops_ids, not both" });
  }
  if (input.testops_ids) {
    if (input.testops_ids.length === 0 || input.testops_ids.some((n) => n < 1))
      errors.push({
        field: `${field}testops_ids`,
        error: "Each testops_ids item must be a positive integer.",
      });
    caseIds = [...new Set(input.testops_ids)];
  } else if (input.testops_id !== undefined && input.testops_id !== null) {
    if (input.testops_id < 1)
      errors.push({ field: `${field}testops_id`, error: "must be a positive integer" });
    caseIds = [input.testops_id];
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.fields ?? {})) if (typeof v === "string") fields[k] = v;
  const suitePath = (input.relations?.suite?.data ?? []).map((s) => s.title.trim()).filter((t) => t !== "");
  const title = input.title.trim().slice(0, 255);
  const signature = input.signature?.trim() || null;
  const ex = input.execution;
  const startTime = secondsToMs(ex.start_time);
  const endTime = secondsToMs(ex.end_time);
  const durationMs = ex.duration ?? (startTime !== null && endTime !== null ? endTime - startTime : null);
  return {
    field,
    idemKey: input.id?.trim() || null,
    caseIds: caseIds && caseIds.length > 0 ? caseIds : null,
    spec: caseIds ? null : { title, suitePath, signature, fields },
    status: normaliseStatus(ex.status),
    title,
    signature,
    suitePath,
    startTime,
    endTime,
    durationMs,
    stacktrace: ex.stacktrace ?? null,
    errorContext: ex.error_context ? ex.error_context.slice(0, MAX_ERROR_CONTEXT) : null,
    thread: ex.thread ?? null,
    comment: input.message ?? null,
    stepsType: input.steps_type ?? null,
    steps: v2Steps(input.steps as V2Step[] | null | undefined),
    attachments: input.attachments ?? [],
    params: input.params ?? {},
    paramGroups: input.param_groups ?? [],
    fields,
    isApi: true,
    muted: truthy(fields.muted),
    isFlaky: truthy(fields.is_flaky),
    defect: input.defect === true,
    authorId: null,
  };
}
