import { createHash } from "node:crypto";
import type { Static } from "@sinclair/typebox";
import type { ErrorField } from "../../http/errors.js";
import { parseTime } from "../../http/parse-time.js";
import { type AttachmentRefs, stepAttachmentRefs } from "../attachments/attachment-check.js";
import { parseValueMap } from "../custom-fields/custom-field-values.js";
import { type CaseEnum, enumError, enumId } from "../system-fields/system-fields.catalog.js";
import type { ParamSingle, StoredParameter, StoredStep } from "./cases.present.js";
import type { CaseCreateBody, CaseUpdateBody } from "./cases.schemas.js";

export type CaseCreateInput = Static<typeof CaseCreateBody>;
export type CaseUpdateInput = Static<typeof CaseUpdateBody>;
type WriteInput = CaseUpdateInput & Partial<Pick<CaseCreateInput, "author_id" | "created_at" | "updated_at">>;

/** Column values a write sets (JSON columns already serialised); tags still as titles. */
export interface CaseChanges {
  title?: string;
  description?: string | null;
  preconditions?: string | null;
  postconditions?: string | null;
  severity?: number;
  priority?: number;
  type?: number;
  layer?: number;
  behavior?: number;
  automation?: number;
  status?: number;
  is_flaky?: number;
  suite_id?: number | null;
  milestone_id?: number | null;
  steps_type?: string | null;
  steps?: string;
  parameters?: string;
  custom_fields?: string;
  attachments?: string;
  tagTitles?: string[];
  author_id?: number | null;
  created_at?: number;
  updated_at?: number;
}

/** A step as written: classic `action`, gherkin `value`, or a shared-step reference `shared`. */
interface StepIn {
  action?: string | null | undefined;
  value?: string | null | undefined;
  shared?: string | null | undefined;
  expected_result?: string | null | undefined;
  data?: string | null | undefined;
  attachments?: string[] | null | undefined;
  steps?: unknown[] | null | undefined;
}

const ENUM_KEYS: Exclude<CaseEnum, "automation">[] = [
  "severity",
  "priority",
  "type",
  "layer",
  "behavior",
  "status",
];

function flag(v: boolean | 0 | 1 | undefined): boolean | undefined {
  return v === undefined ? undefined : v === true || v === 1;
}

function stepHash(path: string, s: StoredStep): string {
  return createHash("sha1")
    .update(JSON.stringify([path, s.action, s.expected_result, s.data, s.shared_step_hash]))
    .digest("hex");
}

function normaliseSteps(
  steps: StepIn[],
  gherkin: boolean,
  path: string,
  errors: ErrorField[],
  shared: Set<string>,
): StoredStep[] {
  return steps.map((s, i) => {
    const field = `${path}.${i}`;
    const action = (gherkin ? (s.value ?? s.action) : (s.action ?? s.value)) ?? "";
    const ref = s.shared ?? null;
    if (ref !== null) shared.add(ref);
    if (action.trim() === "" && ref === null) {
      errors.push({
        field: `${field}.${gherkin ? "value" : "action"}`,
        error: "a step needs an action or a shared step",
      });
    }
    const step: StoredStep = {
      hash: "",
      shared_step_hash: ref,
      shared_step_nested_hash: null,
      position: i + 1,
      action,
      expected_result: s.expected_result ?? null,
      data: s.data ?? null,
      attachments: s.attachments ?? [],
      steps: normaliseSteps((s.steps ?? []) as StepIn[], gherkin, `${field}.steps`, errors, shared),
    };
    step.hash = stepHash(field, step);
    return step;
  });
}

function normaliseParameters(input: WriteInput, errors: ErrorField[]): StoredParameter[] | undefined {
  if (input.parameters !== undefined) {
    const out: StoredParameter[] = [];
    const seen = new Set<string>();
    const single = (p: ParamSingle, field: string) => {
      if (seen.has(p.title)) errors.push({ field, error: `parameter "${p.title}" is defined twice` });
      seen.add(p.title);
      return { title: p.title, values: p.values };
    };
    (input.parameters ?? []).forEach((p, i) => {
      const field = `parameters.${i}`;
      if ("shared_id" in p) out.push({ type: "shared", shared_id: p.shared_id });
      else if ("items" in p)
        out.push({ type: "group", shared_id: null, items: p.items.map((x) => single(x, `${field}.items`)) });
      else out.push({ type: "single", shared_id: null, item: single(p, `${field}.title`) });
    });
    return out;
  }
  if (input.params !== undefined) {
    return Object.entries(input.params ?? {}).map(([title, values]) => ({
      type: "single" as const,
      shared_id: null,
      item: { title, values },
    }));
  }
  return undefined;
}

/**
 * Validates and normalises a case write body into column values. `currentAutomation` is the stored
 * automation when updating (isManual / isToBeAutomated alone then adjust it). Collects every problem
 * into `errors` (field names as the client wrote them), the shared-step hashes and the attachment hashes
 * (per field) referenced, which the caller checks against the project.
 */
export function normaliseCase(
  input: WriteInput,
  currentAutomation: number,
  errors: ErrorField[],
  prefix = "",
): { changes: CaseChanges; sharedSteps: Set<string>; attachments: AttachmentRefs[] } {
  const c: CaseChanges = {};
  const f = (name: string) => `${prefix}${name}`;
  if (input.title !== undefined) {
    const title = input.title.trim();
    if (title === "") errors.push({ field: f("title"), error: "must not be blank" });
    c.title = title;
  }
  if (input.description !== undefined) c.description = input.description;
  if (input.preconditions !== undefined) c.preconditions = input.preconditions;
  if (input.postconditions !== undefined) c.postconditions = input.postconditions;
  for (const key of ENUM_KEYS) {
    const v = input[key];
    if (v === undefined) continue;
    const id = enumId(key, v);
    if (id === undefined) errors.push(enumError(key, f(key)));
    else c[key] = id;
  }

  // automation (deprecated) and isManual / isToBeAutomated describe the same thing: 0 manual,
  // 1 to be automated (manual for now), 2 automated.
  const manual = flag(input.isManual);
  const toBe = flag(input.isToBeAutomated);
  let automation: number | undefined;
  if (input.automation !== undefined) {
    automation = enumId("automation", input.automation);
    if (automation === undefined) errors.push(enumError("automation", f("automation")));
  }
  if (manual !== undefined || toBe !== undefined) {
    const isManual = manual ?? (toBe === true ? true : currentAutomation !== 2);
    const isToBe = toBe ?? (isManual ? currentAutomation === 1 : false);
    if (!isManual && isToBe) {
      errors.push({ field: f("isToBeAutomated"), error: "an automated case cannot also be to be automated" });
    }
    const derived = !isManual ? 2 : isToBe ? 1 : 0;
    if (automation !== undefined && automation !== derived) {
      errors.push({ field: f("automation"), error: "contradicts isManual / isToBeAutomated" });
    }
    automation = derived;
  }
  if (automation !== undefined) c.automation = automation;

  if (input.is_flaky !== undefined) c.is_flaky = flag(input.is_flaky) ? 1 : 0;
  if (input.suite_id !== undefined) c.suite_id = input.suite_id;
  if (input.milestone_id !== undefined) c.milestone_id = input.milestone_id;
  if (input.steps_type !== undefined) c.steps_type = input.steps_type;

  const sharedSteps = new Set<string>();
  const attachments: AttachmentRefs[] = [];
  if (input.steps !== undefined) {
    const gherkin = (input.steps_type ?? null) === "gherkin";
    const stepErrors: ErrorField[] = [];
    const steps = normaliseSteps(
      (input.steps ?? []) as StepIn[],
      gherkin,
      f("steps"),
      stepErrors,
      sharedSteps,
    );
    errors.push(...stepErrors);
    stepAttachmentRefs(steps, f("steps"), attachments);
    c.steps = JSON.stringify(steps);
  }
  const parameters = normaliseParameters(input, errors);
  if (parameters !== undefined) c.parameters = JSON.stringify(parameters);
  const custom = parseValueMap(input.custom_field, f(""), errors);
  if (custom !== undefined) c.custom_fields = JSON.stringify(custom);
  if (input.attachments !== undefined) {
    const hashes = [...new Set(input.attachments ?? [])];
    attachments.push({ field: f("attachments"), hashes });
    c.attachments = JSON.stringify(hashes);
  }
  if (input.tags !== undefined) {
    const titles = (input.tags ?? []).map((t) => t.trim());
    if (titles.some((t) => t === "")) errors.push({ field: f("tags"), error: "tags must not be blank" });
    c.tagTitles = [...new Set(titles.filter((t) => t !== ""))];
  }
  if (input.author_id !== undefined) c.author_id = input.author_id;
  for (const key of ["created_at", "updated_at"] as const) {
    const v = input[key];
    if (v === undefined || v === null) continue;
    const ms = parseTime(v);
    if (ms === undefined)
      errors.push({ field: f(key), error: 'use "YYYY-MM-DD HH:MM:SS" (UTC) or ISO 8601' });
    else c[key] = ms;
  }
  return { changes: c, sharedSteps, attachments };
}
