import type { Db } from "../../db/database.js";
import type { ErrorField } from "../../http/errors.js";
import { liveAttachmentHashes } from "./attachments.repository.js";

/** The attachment hashes one field of a write names (a result's, a case's, one of its steps'). */
export interface AttachmentRefs {
  field: string;
  hashes: readonly string[];
}

interface StepWithAttachments {
  attachments: readonly string[];
  steps: readonly StepWithAttachments[];
}

/** The hashes of steps and their nested steps, each under its own field (`steps.0.steps.1.attachments`). */
export function stepAttachmentRefs(
  steps: readonly StepWithAttachments[],
  path: string,
  into: AttachmentRefs[] = [],
): AttachmentRefs[] {
  for (const [i, s] of steps.entries()) {
    if (s.attachments.length > 0) into.push({ field: `${path}.${i}.attachments`, hashes: s.attachments });
    if (s.steps.length > 0) stepAttachmentRefs(s.steps, `${path}.${i}.steps`, into);
  }
  return into;
}

/**
 * One 422 entry per field that names a hash which is not a live attachment of the project: never
 * uploaded, deleted, or another project's (a write must not reach files its project does not hold).
 * One query for all fields; none when no hash is named, as most writes name none.
 */
export async function attachmentRefErrors(
  db: Db,
  projectId: number,
  refs: readonly AttachmentRefs[],
): Promise<ErrorField[]> {
  const hashes = [...new Set(refs.flatMap((r) => r.hashes))];
  if (hashes.length === 0) return [];
  const live = await liveAttachmentHashes(db, projectId, hashes);
  const errors: ErrorField[] = [];
  for (const r of refs) {
    const unknown = [...new Set(r.hashes.filter((h) => !live.has(h)))];
    if (unknown.length > 0)
      errors.push({ field: r.field, error: `unknown attachment hashes: ${unknown.slice(0, 5).join(", ")}` });
  }
  return errors;
}
