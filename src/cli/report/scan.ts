import type { ReportFormat, ResultStatus } from "../../importers/types.js";
import { attachmentsOf } from "./attachments.js";
import { reportDigest } from "./ids.js";
import { type SkippedAs, statusFor } from "./payload.js";
import { reportFailure, walkReports } from "./source.js";

export interface ScanSummary {
  files: { path: string; format: ReportFormat; results: number }[];
  /** Results read from the reports. */
  results: number;
  /** Results that will be sent (skipped ones may be ignored), by the status sent. */
  toSend: number;
  statuses: Partial<Record<ResultStatus, number>>;
  ignored: number;
  flaky: number;
  withCaseIds: number;
  attachments: number;
  /** Epoch ms of the earliest result, when the reports say. */
  earliestStart: number | null;
  /** Content digest per target, part of every result's id. */
  digests: Map<string, string>;
}

/**
 * The first pass: reads every report to the end without keeping results, so a malformed one is
 * rejected (exit 3, with file and line) before anything is sent, and the totals are known up front.
 */
export async function scanReports(
  targets: string[],
  format: ReportFormat | "auto",
  opts: { projectCode: string | undefined; skippedAs: SkippedAs },
): Promise<ScanSummary> {
  const summary: ScanSummary = {
    files: [],
    results: 0,
    toSend: 0,
    statuses: {},
    ignored: 0,
    flaky: 0,
    withCaseIds: 0,
    attachments: 0,
    earliestStart: null,
    digests: new Map(),
  };
  try {
    const digests = Promise.all(targets.map(async (t) => [t, await reportDigest(t)] as const));
    // Avoid an unhandled rejection while the parse runs; it is awaited (and thrown) below.
    digests.catch(() => undefined);
    let file: { path: string; format: ReportFormat; results: number } | undefined;
    for await (const { target, format: f, result } of walkReports(targets, format, opts.projectCode)) {
      if (file === undefined || file.path !== target) {
        file = { path: target, format: f, results: 0 };
        summary.files.push(file);
      }
      file.results++;
      summary.results++;
      const status = statusFor(result.status, opts.skippedAs);
      if (status === null) {
        summary.ignored++;
        continue;
      }
      summary.toSend++;
      summary.statuses[status] = (summary.statuses[status] ?? 0) + 1;
      if (result.flaky) summary.flaky++;
      if (result.caseIds.length > 0) summary.withCaseIds++;
      summary.attachments += attachmentsOf([result]).length;
      if (result.startTime !== null)
        summary.earliestStart = Math.min(summary.earliestStart ?? result.startTime, result.startTime);
    }
    for (const [t, d] of await digests) summary.digests.set(t, d);
  } catch (err) {
    throw reportFailure(err);
  }
  return summary;
}
