import type { Static } from "@sinclair/typebox";
import type { Db } from "../../db/database.js";
import { iso } from "../../db/time.js";
import { describeAttachments } from "../attachments/attachment-refs.js";
import { STEP_STATUS_IDS, type StoredResultStep } from "./results.incoming.js";
import type { PresentedResultRow } from "./results.repository.js";
import type { ResultOut } from "./results.schemas.js";

type Out = Static<typeof ResultOut>;
type AttachmentOut = Out["attachments"][number];
type Lookup = Map<string, AttachmentOut>;

function collect(steps: StoredResultStep[], into: string[]) {
  for (const s of steps) {
    into.push(...s.attachments);
    collect(s.steps, into);
  }
}

function attachmentsOf(hashes: string[], lookup: Lookup): AttachmentOut[] {
  return hashes.flatMap((h) => {
    const a = lookup.get(h);
    return a ? [a] : [];
  });
}

// Step times are unix seconds in Qase's TestStepResult.
const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);

function presentSteps(steps: StoredResultStep[], lookup: Lookup): Out["steps"] {
  return steps.map((s) => ({
    status: STEP_STATUS_IDS[s.status] ?? 0,
    position: s.position,
    action: s.action,
    expected_result: s.expected_result,
    data: s.data,
    // TestStepResult's comment is a string, not nullable: Qase answers "" for a step without one.
    comment: s.comment ?? "",
    start_time: seconds(s.start_time),
    end_time: seconds(s.end_time),
    duration_ms: s.duration_ms,
    attachments: attachmentsOf(s.attachments, lookup),
    steps: presentSteps(s.steps, lookup) ?? [],
  }));
}

/** Qase Result read models for a page of rows; attachments resolved in one query. */
export async function presentResults(
  db: Db,
  projectId: number,
  rows: PresentedResultRow[],
  base: string,
): Promise<Out[]> {
  const parsed = rows.map((r) => ({
    row: r,
    steps: JSON.parse(r.steps) as StoredResultStep[],
    attachments: JSON.parse(r.attachments) as string[],
  }));
  const hashes: string[] = [];
  for (const p of parsed) {
    hashes.push(...p.attachments);
    collect(p.steps, hashes);
  }
  const lookup: Lookup = await describeAttachments(db, projectId, hashes, base);
  return parsed.map(({ row: r, steps, attachments }) => ({
    hash: r.hash,
    result_hash: r.hash,
    comment: r.comment,
    stacktrace: r.stacktrace,
    run_id: r.run_id,
    case_id: r.case_id,
    steps: presentSteps(steps, lookup),
    status: r.status,
    is_api_result: r.is_api === 1,
    time_spent_ms: r.duration_ms ?? 0,
    end_time: iso(r.end_time),
    attachments: attachmentsOf(attachments, lookup),
    title: r.title,
    signature: r.signature,
    start_time: iso(r.start_time),
    params: JSON.parse(r.params) as Record<string, string>,
    fields: JSON.parse(r.fields) as Record<string, string>,
    suite_path: JSON.parse(r.suite_path) as string[],
    attempt: r.attempt,
    is_flaky: r.is_flaky === 1,
    muted: r.muted === 1,
    thread: r.thread,
    author_id: r.author_id,
  }));
}
