import type { Db } from "../../db/database.js";
import type { ErrorField } from "../../http/errors.js";
import { liveSharedStepHashes } from "../shared-steps/shared-steps.repository.js";
import { resolveCustomFieldValues, type ValueMap } from "./custom-field-values.js";

/** What a case write refers to besides suites and milestones: custom field values and shared step hashes. */
export interface CaseWriteRefs {
  prefix: string;
  /** The write's custom_field map (JSON text, keys already checked), when the write sets it. */
  customFields?: string | undefined;
  /** Creates hold every required field; updates change only the fields they name. */
  full: boolean;
  /** The case's stored values (JSON text), for updates. */
  storedFields?: string | undefined;
  sharedSteps?: ReadonlySet<string> | undefined;
}

/**
 * 422 fields for custom field values a case may not hold (see resolveCustomFieldValues) and shared
 * steps that do not exist (live) in the project, with the custom field values each write stores.
 */
export async function caseReferenceErrors(db: Db, projectId: number, writes: CaseWriteRefs[]) {
  const [fields, steps] = await Promise.all([
    resolveCustomFieldValues(
      db,
      projectId,
      "case",
      writes.map((w) => ({
        prefix: w.prefix,
        given: w.customFields === undefined ? undefined : (JSON.parse(w.customFields) as ValueMap),
        full: w.full,
        stored: w.storedFields,
      })),
    ),
    liveSharedStepHashes(
      db,
      projectId,
      writes.flatMap((w) => [...(w.sharedSteps ?? [])]),
    ),
  ]);
  const errors: ErrorField[] = [...fields.errors];
  for (const w of writes) {
    for (const hash of w.sharedSteps ?? []) {
      if (!steps.has(hash))
        errors.push({
          field: `${w.prefix}steps`,
          error: `shared step ${hash} does not exist in this project`,
        });
    }
  }
  return { errors, customFields: fields.values };
}
