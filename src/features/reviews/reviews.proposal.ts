import type { Static } from "@sinclair/typebox";
import type { ErrorField } from "../../http/errors.js";
import { type CaseCreateInput, type CaseUpdateInput, normaliseCase } from "../cases/cases.input.js";
import { enumId } from "../system-fields/system-fields.catalog.js";
import type { ProposedCaseIn } from "./reviews.schemas.js";

/** The proposed case fields as the client sent them (Review.CaseData); stored with enums as ids. */
export type Proposal = Static<typeof ProposedCaseIn>;

const ENUMS = ["severity", "priority", "behavior", "type", "layer", "status"] as const;

/** Qase's review field names for the case write fields Verdict spells differently. */
const RENAMED: Record<string, string> = { isManual: "is_manual", isToBeAutomated: "is_to_be_automated" };

/**
 * The case write a proposal stands for. `is_muted` has no counterpart on Verdict cases: it stays on the
 * review and is not applied. A null enum means "no value proposed".
 */
export function toCaseWrite(p: Proposal): CaseUpdateInput {
  const out: CaseUpdateInput = {};
  if (p.title !== undefined) out.title = p.title;
  if (p.description !== undefined) out.description = p.description;
  if (p.preconditions !== undefined) out.preconditions = p.preconditions;
  if (p.postconditions !== undefined) out.postconditions = p.postconditions;
  for (const key of ENUMS) {
    const v = p[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  if (p.is_flaky !== undefined && p.is_flaky !== null) out.is_flaky = p.is_flaky;
  if (p.suite_id !== undefined) out.suite_id = p.suite_id;
  if (p.milestone_id !== undefined) out.milestone_id = p.milestone_id;
  if (p.is_manual !== undefined) out.isManual = p.is_manual;
  if (p.is_to_be_automated !== undefined) out.isToBeAutomated = p.is_to_be_automated;
  if (p.steps_type !== undefined) out.steps_type = p.steps_type;
  if (p.attachments !== undefined) out.attachments = p.attachments;
  if (p.steps !== undefined) out.steps = p.steps;
  if (p.tags !== undefined) out.tags = p.tags;
  if (p.parameters !== undefined) out.parameters = p.parameters;
  if (p.custom_field !== undefined) out.custom_field = p.custom_field;
  return out;
}

/** The case creation a merged create review performs; its author is the review's author. */
export function toCaseCreate(p: Proposal, authorId: number | null): CaseCreateInput {
  return { ...toCaseWrite(p), title: p.title ?? "", author_id: authorId };
}

/**
 * Checks a proposal the way the case service checks a write (enums, steps, parameters, custom field
 * ids); a create proposal needs a title. References (suite, milestone, custom fields, shared steps) are
 * checked again by the case service when the review is merged, since they may change meanwhile.
 */
export function proposalErrors(p: Proposal, create: boolean, currentAutomation: number, prefix: string) {
  const errors: ErrorField[] = [];
  if (create && (p.title ?? "").trim() === "") {
    errors.push({ field: `${prefix}title`, error: "a review of a new case needs a title" });
  }
  const found: ErrorField[] = [];
  normaliseCase(toCaseWrite(p), currentAutomation, found, prefix);
  for (const e of found) {
    if (create && e.field === `${prefix}title`) continue;
    const name = e.field.slice(prefix.length);
    errors.push({ ...e, field: `${prefix}${RENAMED[name] ?? name}` });
  }
  return errors;
}

/** Enum slugs become option ids so the proposal reads back as Qase's integers. Call after validation. */
export function storedProposal(p: Proposal): Proposal {
  const out: Proposal = { ...p };
  for (const key of ENUMS) {
    const v = p[key];
    if (v !== undefined && v !== null) out[key] = enumId(key, v) ?? null;
  }
  if (out.title !== undefined) out.title = out.title.trim();
  return out;
}
