import { type CaseDraft, caseDraft, draftBody, enumBody } from "../repository/caseDraft";
import { draftSteps } from "../repository/StepsEditor";
import type { CustomField, Step, SystemField } from "../repository/types";
import type { ProposedCase, ProposedStep, ReviewedCase } from "./types";

/** The case enums a proposal names directly; automation travels as is_manual / is_to_be_automated. */
export const PROPOSAL_ENUMS = ["severity", "priority", "type", "layer", "behavior", "status"] as const;

/**
 * The automation a proposal leads to, worked out as the server does: is_manual and is_to_be_automated
 * each fall back to what the case has (`current`; the default automation for a new case).
 */
export function proposedAutomation(p: ProposedCase, current: number): number | undefined {
  if (p.is_manual === undefined && p.is_to_be_automated === undefined) return undefined;
  const manual = p.is_manual ?? (p.is_to_be_automated === true ? true : current !== 2);
  const toBe = p.is_to_be_automated ?? (manual ? current === 1 : false);
  return !manual ? 2 : toBe ? 1 : 0;
}

/** Proposed steps in the case read shape, so that the steps editor and the steps diff can take them. */
export function asCaseSteps(steps: ProposedStep[]): Step[] {
  return steps.map((s, i) => ({
    hash: "",
    position: i + 1,
    action: s.action ?? s.value ?? "",
    expected_result: s.expected_result ?? null,
    data: s.data ?? null,
    shared_step_hash: s.shared ?? null,
    attachments: (s.attachments ?? []).map((hash) => ({ hash })),
    steps: asCaseSteps(s.steps ?? []),
  }));
}

/** The form's starting point: the case (or a new case's defaults), with a stored proposal laid over it. */
export function draftOf(
  c: ReviewedCase | undefined,
  fields: SystemField[],
  custom: CustomField[],
  proposal?: ProposedCase | null,
): CaseDraft {
  const d = caseDraft(c, fields, custom);
  const p = proposal ?? {};
  if (p.title !== undefined) d.title = p.title;
  if (p.suite_id !== undefined) d.suite = p.suite_id === null ? null : String(p.suite_id);
  for (const key of ["description", "preconditions", "postconditions"] as const) {
    const v = p[key];
    if (v !== undefined) d[key] = v ?? "";
  }
  for (const slug of PROPOSAL_ENUMS) {
    const v = p[slug];
    if (v !== undefined && v !== null) d.enums[slug] = String(v);
  }
  const automation = proposedAutomation(p, Number(d.enums.automation ?? 0));
  if (automation !== undefined) d.enums.automation = String(automation);
  if (p.is_flaky !== undefined && p.is_flaky !== null) d.flaky = p.is_flaky === 1;
  if (p.tags !== undefined) d.tags = p.tags ?? [];
  if (p.steps !== undefined) d.steps = draftSteps(asCaseSteps(p.steps));
  for (const cf of p.custom_fields ?? []) d.custom[String(cf.id)] = cf.value ?? "";
  return d;
}

type Body = Record<string, unknown>;

/** The proposal body fields of a draft, each as the reviews API takes it (Review.CaseData). */
function fieldsOf(d: CaseDraft): Body {
  const out: Body = { ...draftBody(d), ...enumBody(d, PROPOSAL_ENUMS), is_flaky: d.flaky ? 1 : 0 };
  if (d.enums.automation !== null) {
    const a = Number(d.enums.automation);
    out.is_manual = a !== 2;
    out.is_to_be_automated = a === 1;
  }
  return out;
}

/** Body keys a stored proposal already carries (their read names mapped to the write names). */
function proposedKeys(p: ProposedCase | null | undefined): Set<string> {
  const keys = new Set(Object.keys(p ?? {}));
  if (keys.has("is_manual") || keys.has("is_to_be_automated")) {
    keys.add("is_manual");
    keys.add("is_to_be_automated");
  }
  return keys;
}

/**
 * The proposed_case to send: every field that differs from the case (or a new case's defaults), plus
 * the fields a stored proposal already names, since an update merges into it field by field. A new
 * case's title is always sent. Custom fields go one by one, among the project's enabled ones.
 */
export function proposalBody(
  d: CaseDraft,
  base: CaseDraft,
  enabled: Set<string>,
  opts: { create: boolean; stored?: ProposedCase | null },
): Body {
  const now = fieldsOf(d);
  const was = fieldsOf(base);
  const kept = proposedKeys(opts.stored);
  const out: Body = {};
  for (const [key, value] of Object.entries(now)) {
    if (kept.has(key) || JSON.stringify(value) !== JSON.stringify(was[key])) out[key] = value;
  }
  if (opts.create) out.title = d.title;
  const keptCustom = new Set((opts.stored?.custom_fields ?? []).map((c) => String(c.id)));
  const custom: Record<string, string> = {};
  for (const [id, value] of Object.entries(d.custom)) {
    if (!enabled.has(id)) continue;
    if (keptCustom.has(id) || value !== (base.custom[id] ?? "")) custom[id] = value;
  }
  if (Object.keys(custom).length > 0) out.custom_field = custom;
  return out;
}
