import { draftSteps, type StepBody, type StepDraft, stepBodies, stepFieldNames } from "./StepsEditor";
import { CASE_ENUMS, type CaseEnum, type CustomField, type SystemField, type TestCase } from "./types";

/**
 * A case's own fields as the case editor and the review proposal form hold them while they are edited
 * (form state); the shared fields component (CaseFields) shows and changes them.
 */
export interface CaseDraft {
  title: string;
  suite: string | null;
  description: string;
  preconditions: string;
  postconditions: string;
  /** Enum slug -> option id as text (null for none). */
  enums: Record<CaseEnum, string | null>;
  flaky: boolean;
  tags: string[];
  steps: StepDraft[];
  /** Custom field id -> value ("" for none). */
  custom: Record<string, string>;
}

/**
 * The draft of a case's fields; with no case, a new case's: each enum and custom field at its default,
 * in `suite`.
 */
export function caseDraft(
  c: TestCase | undefined,
  fields: SystemField[],
  custom: CustomField[],
  suite: string | null = null,
): CaseDraft {
  const enums = {} as Record<CaseEnum, string | null>;
  for (const slug of CASE_ENUMS) {
    enums[slug] = c ? String(c[slug]) : (fields.find((f) => f.slug === slug)?.default_value ?? null);
  }
  return {
    title: c?.title ?? "",
    suite: c ? (c.suite_id === null ? null : String(c.suite_id)) : suite,
    description: c?.description ?? "",
    preconditions: c?.preconditions ?? "",
    postconditions: c?.postconditions ?? "",
    enums,
    flaky: c ? c.is_flaky === 1 : false,
    tags: c?.tags.map((t) => t.title) ?? [],
    steps: c ? draftSteps(c.steps) : [],
    custom: c
      ? Object.fromEntries(c.custom_fields.map((v) => [String(v.id), v.value ?? ""]))
      : Object.fromEntries(custom.map((f) => [String(f.id), f.default_value ?? ""])),
  };
}

/** The fields the case and reviews APIs both take as they are; flaky, enums and custom fields differ. */
export interface DraftBody {
  title: string;
  suite_id: number | null;
  description: string | null;
  preconditions: string | null;
  postconditions: string | null;
  tags: string[];
  steps: StepBody[];
}

export function draftBody(d: CaseDraft): DraftBody {
  return {
    title: d.title,
    suite_id: d.suite === null ? null : Number(d.suite),
    description: d.description || null,
    preconditions: d.preconditions || null,
    postconditions: d.postconditions || null,
    tags: d.tags,
    steps: stepBodies(d.steps),
  };
}

/** The chosen option ids of the named enums, as numbers; an enum with none is left out. */
export function enumBody(d: CaseDraft, slugs: readonly CaseEnum[]): Partial<Record<CaseEnum, number>> {
  const out: Partial<Record<CaseEnum, number>> = {};
  for (const slug of slugs) {
    const v = d.enums[slug];
    if (v !== null) out[slug] = Number(v);
  }
  return out;
}

/**
 * The API field names CaseFields shows errors at (as the case API names them), so that a form can list
 * the errors it did not place.
 */
export function caseFieldNames(steps: StepDraft[], customFields: CustomField[]): string[] {
  return [
    "title",
    "suite_id",
    "description",
    "preconditions",
    "postconditions",
    "is_flaky",
    "tags",
    ...CASE_ENUMS,
    ...stepFieldNames(steps),
    ...customFields.map((f) => `custom_field.${f.id}`),
  ];
}
