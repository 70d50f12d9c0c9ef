import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import {
  countReferences,
  deleteBlob,
  lockAttachmentStore,
  projectDigests,
} from "./attachments.repository.js";
import { storageOf } from "./attachments.storage.js";

/** A file moved aside inside a transaction, to unlink once it commits or put back if it fails. */
export interface AsideFile {
  path: string;
  sha256: string;
}

/**
 * Inside the caller's transaction: runs `purge` (which removes a project's attachment records with the
 * project), then removes the contents no live record references any more, as deleting an attachment
 * does, so a purged project's files neither stay on disk nor count against the quota. Files moved
 * aside are added to `aside` as they go (a failure halfway still knows them), for settleFiles.
 */
export async function purgeProjectFiles(
  ctx: AppContext,
  tx: Db,
  projectId: number,
  purge: () => Promise<void>,
  aside: AsideFile[],
): Promise<void> {
  await lockAttachmentStore(tx, ctx.dialect);
  const digests = await projectDigests(tx, projectId);
  await purge();
  const storage = storageOf(ctx);
  for (const sha256 of digests) {
    if ((await countReferences(tx, sha256)) > 0) continue;
    await deleteBlob(tx, sha256);
    const moved = await storage.trash(sha256);
    if (moved !== null) aside.push({ path: moved, sha256 });
  }
}

/** After the transaction: unlinks the files moved aside when it committed, puts them back when not. */
export async function settleFiles(ctx: AppContext, aside: AsideFile[], committed: boolean): Promise<void> {
  const storage = storageOf(ctx);
  for (const f of aside) {
    if (committed) await storage.discard(f.path);
    else await storage.restore(f.path, f.sha256);
  }
}
