import type { Db } from "../../db/database.js";
import { liveAttachmentsByHash } from "./attachments.repository.js";

export interface AttachmentDetails {
  hash: string;
  size: number;
  mime: string;
  filename: string;
  url: string;
}

export function downloadPath(hash: string): string {
  return `/v1/attachment/${hash}/download`;
}

/**
 * What read models show of attachments they refer to by hash (Qase's {size, mime, filename, url}), for
 * all hashes of a page in one query per 500; hashes of other projects or deleted files are left out.
 */
export async function describeAttachments(
  db: Db,
  projectId: number,
  hashes: string[],
  base: string,
): Promise<Map<string, AttachmentDetails>> {
  const out = new Map<string, AttachmentDetails>();
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await liveAttachmentsByHash(db, projectId, unique.slice(i, i + 500));
    for (const r of rows)
      out.set(r.hash, {
        hash: r.hash,
        size: r.size,
        mime: r.mime,
        filename: r.filename,
        url: `${base}${downloadPath(r.hash)}`,
      });
  }
  return out;
}

type Ref = { hash: string } & Partial<AttachmentDetails>;
interface WithAttachments {
  attachments: Ref[];
  steps?: unknown;
}

function visitAll(items: WithAttachments[], visit: (refs: Ref[]) => void) {
  for (const item of items) {
    visit(item.attachments);
    if (Array.isArray(item.steps)) visitAll(item.steps as WithAttachments[], visit);
  }
}

/**
 * Fills in size, mime, filename and url of the attachments of read models (cases, defects) and of their
 * nested steps, in place, so they read as Qase's Attachment.
 */
export async function withAttachmentDetails<T extends WithAttachments>(
  db: Db,
  projectId: number,
  base: string,
  items: T[],
): Promise<T[]> {
  const hashes: string[] = [];
  visitAll(items, (refs) => hashes.push(...refs.map((r) => r.hash)));
  if (hashes.length === 0) return items;
  const details = await describeAttachments(db, projectId, hashes, base);
  visitAll(items, (refs) => {
    for (const [i, r] of refs.entries()) refs[i] = details.get(r.hash) ?? r;
  });
  return items;
}
