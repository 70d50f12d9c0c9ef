import type { Db } from "../../db/database.js";
import type { ErrorField } from "../../http/errors.js";
import { liveSharedStepHashes } from "../shared-steps/shared-steps.repository.js";
import { caseFieldProblems } from "./custom-fields.service.js";

/** What a case write refers to besides suites and milestones: custom field ids and shared step hashes. */
export interface CaseWriteRefs {
  prefix: string;
  /** The write's custom_field map as stored (JSON text), when the write sets it. */
  customFields?: string | undefined;
  sharedSteps?: ReadonlySet<string> | undefined;
}

function fieldIds(json: string | undefined): number[] {
  if (json === undefined) return [];
  return Object.keys(JSON.parse(json) as Record<string, unknown>).map(Number);
}

/**
 * 422 fields for custom fields a case may not use (unknown, deleted, not a case field, not enabled for
 * the project) and shared steps that do not exist (live) in the project, each naming the id or hash.
 */
export async function caseReferenceErrors(db: Db, projectId: number, writes: CaseWriteRefs[]) {
  const [fields, steps] = await Promise.all([
    caseFieldProblems(
      db,
      projectId,
      writes.flatMap((w) => fieldIds(w.customFields)),
    ),
    liveSharedStepHashes(
      db,
      projectId,
      writes.flatMap((w) => [...(w.sharedSteps ?? [])]),
    ),
  ]);
  const errors: ErrorField[] = [];
  for (const w of writes) {
    for (const id of fieldIds(w.customFields)) {
      const problem = fields.get(id);
      if (problem) errors.push({ field: `${w.prefix}custom_field.${id}`, error: problem });
    }
    for (const hash of w.sharedSteps ?? []) {
      if (!steps.has(hash))
        errors.push({
          field: `${w.prefix}steps`,
          error: `shared step ${hash} does not exist in this project`,
        });
    }
  }
  return errors;
}
