import fs from "node:fs";
import path from "node:path";
import type { ImportedAttachment, ImportedResult, ImportedStep } from "../../importers/types.js";
import type { ApiClient } from "./http.js";
import type { AttachmentHashes } from "./payload.js";

// Qase's limits for POST /v1/attachment: per file, per request, files per request.
export const FILE_MAX_BYTES = 32 * 1024 * 1024;
const REQUEST_MAX_BYTES = 128 * 1024 * 1024;
const REQUEST_MAX_FILES = 20;

interface Pending {
  attachment: ImportedAttachment;
  size: number;
  /** Where the file was found, for attachments that are files. */
  file?: string | undefined;
}

function collect(steps: ImportedStep[], into: ImportedAttachment[]): void {
  for (const s of steps) {
    into.push(...s.attachments);
    collect(s.steps, into);
  }
}

export function attachmentsOf(results: ImportedResult[]): ImportedAttachment[] {
  return results.flatMap((r) => withReport([r]).map((x) => x.attachment));
}

function withReport(results: ImportedResult[]): { attachment: ImportedAttachment; report: string }[] {
  const out: { attachment: ImportedAttachment; report: string }[] = [];
  for (const r of results) {
    const list: ImportedAttachment[] = [...r.attachments];
    collect(r.steps, list);
    for (const attachment of list) out.push({ attachment, report: r.source.file });
  }
  return out;
}

/** Where a report may take files from: its own directory, and the --attachments-root directories. */
export interface AttachmentRoots {
  /** Real paths (fs.realpath) of the --attachments-root directories. */
  extra: string[];
  /** Each report's own directory, resolved once. */
  own: Map<string, Promise<string | null>>;
}

/** The real paths of the --attachments-root directories; a root that does not exist allows nothing. */
export async function resolveRoots(dirs: string[]): Promise<AttachmentRoots> {
  const real = await Promise.all(dirs.map((d) => fs.promises.realpath(d).catch(() => null)));
  return { extra: real.filter((r): r is string => r !== null), own: new Map() };
}

const within = (root: string, real: string) => {
  const rel = path.relative(root, real);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
};

/** The report's own directory: an Allure target is a directory of result files, the others one file. */
async function reportRoot(report: string): Promise<string | null> {
  const stat = await fs.promises.stat(report).catch(() => null);
  return fs.promises.realpath(stat?.isDirectory() ? report : path.dirname(report)).catch(() => null);
}

/**
 * Reports name files relative to where the tests ran (usually the working directory) or to the
 * report itself: the first that exists inside an allowed root wins. A report is written by the code
 * under test, so a file outside those roots (an absolute path, `../`, a symlink leading out; compared
 * by real path) is refused: otherwise a report could copy a CI runner's secrets to the server.
 */
async function locate(
  file: string,
  report: string,
  roots: AttachmentRoots,
): Promise<{ file: string; size: number } | string> {
  let pending = roots.own.get(report);
  if (!pending) {
    pending = reportRoot(report);
    roots.own.set(report, pending);
  }
  const own = await pending;
  const allowed = own === null ? roots.extra : [own, ...roots.extra];
  const candidates = path.isAbsolute(file) ? [file] : [file, path.join(path.dirname(report), file)];
  let outside = false;
  for (const candidate of candidates) {
    const real = await fs.promises.realpath(candidate).catch(() => null);
    const stat = real === null ? null : await fs.promises.stat(real).catch(() => null);
    if (real === null || !stat?.isFile()) continue;
    // The real path is what gets opened, so a link swapped after this check leads nowhere new.
    if (allowed.some((root) => within(root, real))) return { file: real, size: stat.size };
    outside = true;
  }
  return outside
    ? `${file} is outside the report's directory (allow its directory with --attachments-root DIR)`
    : `${file} does not exist`;
}

async function sizeOf(
  a: ImportedAttachment,
  report: string,
  roots: AttachmentRoots,
): Promise<{ size: number; file?: string } | string> {
  if (a.content !== undefined) return { size: Buffer.byteLength(a.content, "utf8") };
  if (!a.path) return "no content";
  return locate(a.path, report, roots);
}

async function blobOf(p: Pending): Promise<Blob> {
  if (p.attachment.content !== undefined)
    return new Blob([p.attachment.content], { type: p.attachment.mime });
  // A lazy file-backed blob: the file is streamed into the request, never held whole.
  return fs.openAsBlob(p.file ?? "", { type: p.attachment.mime });
}

/** Splits files into requests of at most 20 files and 128 MB, in order. */
export function groupForUpload<T extends { size: number }>(items: T[]): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (
      current.length > 0 &&
      (current.length >= REQUEST_MAX_FILES || bytes + item.size > REQUEST_MAX_BYTES)
    ) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Uploads the attachments of a batch of results (theirs and their steps') and returns each one's hash.
 * Empty, missing, over-large and out-of-bounds files are skipped with a warning: a result without its
 * log beats no result.
 */
export async function uploadAttachments(
  client: ApiClient,
  code: string,
  results: ImportedResult[],
  roots: AttachmentRoots,
  warn: (message: string) => void,
): Promise<{ hashes: AttachmentHashes; uploaded: number }> {
  const hashes: AttachmentHashes = new Map();
  const pending: Pending[] = [];
  for (const { attachment, report } of withReport(results)) {
    const found = await sizeOf(attachment, report, roots);
    if (typeof found === "string") warn(`attachment ${attachment.name} skipped: ${found}`);
    else if (found.size === 0) continue;
    else if (found.size > FILE_MAX_BYTES) warn(`attachment ${attachment.name} skipped: larger than 32 MB`);
    else pending.push({ attachment, size: found.size, file: found.file });
  }
  let uploaded = 0;
  for (const group of groupForUpload(pending)) {
    const blobs = await Promise.all(group.map((p) => blobOf(p)));
    const res = await client.request<{ result?: { hash: string }[] }>("POST", `/v1/attachment/${code}`, {
      form: () => {
        const form = new FormData();
        group.forEach((p, i) => {
          form.append("file[]", blobs[i] as Blob, p.attachment.name.replace(/[\\/]/g, "_") || "attachment");
        });
        return form;
      },
    });
    const list = res.result ?? [];
    // The answer lists the files in upload order; a list of another length cannot be matched safely.
    if (list.length !== group.length) {
      warn(`the server answered ${list.length} hashes for ${group.length} attachments; they are left out`);
      continue;
    }
    group.forEach((p, i) => {
      const hash = list[i]?.hash;
      if (hash) hashes.set(p.attachment, hash);
    });
    uploaded += group.length;
  }
  return { hashes, uploaded };
}
