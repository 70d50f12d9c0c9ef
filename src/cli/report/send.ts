import type { ReportFormat } from "../../importers/types.js";
import { resolveRoots, uploadAttachments } from "./attachments.js";
import { forEachConcurrently, inBatches } from "./batches.js";
import { type ApiClient, ApiFailure, cliErrorOf } from "./http.js";
import { resultId } from "./ids.js";
import { type AttachmentHashes, type SkippedAs, statusFor, toV2, type V2Result } from "./payload.js";
import type { Progress } from "./progress.js";
import { reportFailure, type SourcedResult, walkReports } from "./source.js";

export interface SendOptions {
  code: string;
  runId: number;
  targets: string[];
  format: ReportFormat | "auto";
  digests: Map<string, string>;
  skippedAs: SkippedAs;
  rootSuite: string | null;
  batchSize: number;
  concurrency: number;
  attachments: boolean;
  /** Directories besides each report's own that attachments may be read from (--attachments-root). */
  attachmentsRoots: string[];
}

/**
 * Sends one batch. A server that knows no case for a result's case id (a stale mark in a test name)
 * refuses the whole batch naming those results; they are sent once more without the ids, so they are
 * matched by signature instead of being lost, and the user is told which ids were unknown.
 */
async function postBatch(client: ApiClient, path: string, results: V2Result[], warn: (m: string) => void) {
  try {
    await client.request("POST", path, { json: { results } });
  } catch (err) {
    if (!(err instanceof ApiFailure) || (err.status !== 400 && err.status !== 422)) throw err;
    const unknown = err.fields.map((f) => ({ f, m: /^results\.(\d+)\.testops_ids?$/.exec(f.field) }));
    if (unknown.length === 0 || unknown.some((u) => !u.m)) throw err;
    for (const { f, m } of unknown) {
      const r = results[Number(m?.[1])];
      if (!r) throw err;
      warn(`${r.title}: ${f.error}; sent without it, matched by signature`);
      delete r.testops_ids;
      r.testops_id = null;
    }
    await client.request("POST", path, { json: { results } });
  }
}

interface Sendable extends SourcedResult {
  id: string;
}

async function* sendable(opts: SendOptions): AsyncGenerator<Sendable> {
  for await (const s of walkReports(opts.targets, opts.format, opts.code)) {
    if (statusFor(s.result.status, opts.skippedAs) === null) continue;
    const digest = opts.digests.get(s.target) ?? s.target;
    yield { ...s, id: resultId(`${opts.code.toUpperCase()}#${opts.runId}`, digest, s.ordinal, s.result) };
  }
}

/**
 * The second pass: reads the reports again and sends them in batches, `concurrency` at a time. Every
 * result carries its derived id, so a batch re-sent (by a retry or a re-run of the command) is stored
 * once. Returns how many results and attachments went out.
 */
export async function sendResults(
  client: ApiClient,
  opts: SendOptions,
  progress: Progress,
): Promise<{ sent: number; attachments: number }> {
  let sent = 0;
  let attachments = 0;
  const path = `/v2/${encodeURIComponent(opts.code)}/run/${opts.runId}/results`;
  const roots = await resolveRoots(opts.attachmentsRoots);
  try {
    await forEachConcurrently(inBatches(sendable(opts), opts.batchSize), opts.concurrency, async (batch) => {
      let hashes: AttachmentHashes = new Map();
      if (opts.attachments) {
        const up = await uploadAttachments(
          client,
          opts.code,
          batch.map((b) => b.result),
          roots,
          (m) => progress.note(`warning: ${m}`),
        );
        hashes = up.hashes;
        attachments += up.uploaded;
      }
      const results = batch.map((b) =>
        toV2(b.result, {
          id: b.id,
          status: statusFor(b.result.status, opts.skippedAs) ?? b.result.status,
          rootSuite: opts.rootSuite,
          hashes,
        }),
      );
      await postBatch(client, path, results, (m) => progress.note(`warning: ${m}`));
      sent += batch.length;
      progress.advance(batch.length);
    });
  } catch (err) {
    throw cliErrorOf(reportFailure(err), "send");
  }
  return { sent, attachments };
}
