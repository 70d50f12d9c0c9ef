import { expandTargets } from "../../importers/index.js";
import { CliError, EXIT } from "./exit.js";
import { ApiClient } from "./http.js";
import type { ReportOptions } from "./options.js";
import { type Progress, plainProgress, terminalProgress } from "./progress.js";
import { completeRun, createRun, getRun, runUrl } from "./runs.js";
import { type ScanSummary, scanReports } from "./scan.js";
import { sendResults } from "./send.js";
import { reportFailure } from "./source.js";

export interface ReportOutcome {
  dryRun: boolean;
  files: ScanSummary["files"];
  results: number;
  statuses: ScanSummary["statuses"];
  ignored: number;
  flaky: number;
  withCaseIds: number;
  sent: number;
  attachments: number;
  run: { id: number; url: string; created: boolean; completed: boolean } | null;
}

function summaryOf(scan: ScanSummary): Omit<ReportOutcome, "sent" | "attachments" | "run" | "dryRun"> {
  return {
    files: scan.files,
    results: scan.toSend,
    statuses: scan.statuses,
    ignored: scan.ignored,
    flaky: scan.flaky,
    withCaseIds: scan.withCaseIds,
  };
}

/** Resolves the run to report into: the one named, the build's (created by the first shard), or a new one. */
async function resolveRun(
  client: ApiClient,
  opts: ReportOptions,
  scan: ScanSummary,
): Promise<{ id: number; created: boolean }> {
  const code = opts.connection.project;
  if (opts.runId !== undefined) {
    const run = await getRun(client, code, opts.runId);
    return { id: run.id, created: false };
  }
  const id = await createRun(client, code, {
    title: opts.run.title ?? `Automated run ${new Date().toISOString().slice(0, 19).replace("T", " ")}`,
    description: opts.run.description,
    environmentSlug: opts.run.environmentSlug,
    milestoneId: opts.run.milestoneId,
    planId: opts.run.planId,
    tags: opts.run.tags,
    buildId: opts.run.buildId,
    // A little before the first test, as the Qase tools do, so the run's span covers its results.
    startTime: scan.earliestStart !== null ? scan.earliestStart - 10_000 : undefined,
  });
  return { id, created: opts.run.buildId === undefined };
}

/**
 * `verdict report`: expand the paths, validate everything (pass 1), then unless --dry-run resolve the
 * run, send the results in batches (pass 2) and complete the run when this command owns it.
 */
export async function runReport(
  opts: ReportOptions,
  io: { log: (line: string) => void; isTTY: boolean },
): Promise<ReportOutcome> {
  let targets: string[];
  try {
    targets = await expandTargets(opts.paths, opts.format);
  } catch (err) {
    throw reportFailure(err);
  }
  if (targets.length === 0) throw new CliError(EXIT.report, `no report matches ${opts.paths.join(" ")}`);
  const code = opts.connection.project;
  const scan = await scanReports(targets, opts.format, {
    projectCode: code || undefined,
    skippedAs: opts.skippedAs,
  });
  const base = summaryOf(scan);
  if (opts.dryRun) return { ...base, dryRun: true, sent: 0, attachments: 0, run: null };

  let progress: Progress | null = null;
  const client = new ApiClient({
    server: opts.connection.server,
    token: opts.connection.token,
    retry: opts.connection.retry,
    timeoutMs: opts.connection.timeoutMs,
    onRetry: (r) =>
      (progress?.note ?? io.log)(
        `retrying ${r.method} ${r.path} in ${(r.delayMs / 1000).toFixed(1)}s (attempt ${r.attempt}): ${r.reason}`,
      ),
  });
  const run = await resolveRun(client, opts, scan);
  const url = runUrl(opts.connection.server, code, run.id);
  io.log(`${run.created ? "created" : "reporting into"} run ${run.id}: ${url}`);

  progress = io.isTTY && !opts.json ? terminalProgress() : plainProgress(io.log);
  progress.start(scan.toSend);
  let sent: { sent: number; attachments: number };
  try {
    sent = await sendResults(
      client,
      {
        code,
        runId: run.id,
        targets,
        format: opts.format,
        digests: scan.digests,
        skippedAs: opts.skippedAs,
        rootSuite: opts.rootSuite,
        batchSize: opts.batchSize,
        concurrency: opts.concurrency,
        attachments: opts.attachments,
        attachmentsRoots: opts.attachmentsRoots,
      },
      progress,
    );
  } finally {
    progress.stop();
  }
  // Shards of a build never complete it: the others may still be sending (`verdict run complete`).
  const complete = opts.complete ?? run.created;
  if (complete) await completeRun(client, code, run.id);
  return {
    ...base,
    dryRun: false,
    sent: sent.sent,
    attachments: sent.attachments,
    run: { id: run.id, url, created: run.created, completed: complete },
  };
}

/** The human summary: totals by status and where to look. */
export function formatOutcome(o: ReportOutcome): string[] {
  const statuses = Object.entries(o.statuses)
    .map(([s, n]) => `${s} ${n}`)
    .join(", ");
  const lines = [
    o.dryRun
      ? `dry run: ${o.results} results in ${o.files.length} report file(s), nothing sent`
      : `sent ${o.sent} results from ${o.files.length} report file(s)`,
    `  ${statuses || "no results"}${o.ignored > 0 ? ` (${o.ignored} skipped ignored)` : ""}${o.flaky > 0 ? `, ${o.flaky} flaky` : ""}`,
    `  ${o.withCaseIds} linked to a case id${o.dryRun ? "" : `, ${o.attachments} attachment(s) uploaded`}`,
  ];
  for (const f of o.files) lines.push(`  ${f.path} (${f.format}): ${f.results} results`);
  if (o.run) lines.push(`run ${o.run.id}${o.run.completed ? " (completed)" : ""}: ${o.run.url}`);
  return lines;
}
