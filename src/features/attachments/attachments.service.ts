import { randomBytes } from "node:crypto";
import type { AppContext } from "../../context.js";
import { now } from "../../db/time.js";
import { ApiError, fail } from "../../http/errors.js";
import type { Principal } from "../../http/principal.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { isProjectMember } from "../projects/projects.repository.js";
import { visibilityOf } from "../projects/projects.service.js";
import {
  type AttachmentWithProject,
  countReferences,
  countVisibleAttachments,
  deleteBlob,
  existingBlobs,
  findAttachment,
  insertAttachments,
  insertBlobs,
  listVisibleAttachments,
  lockAttachmentStore,
  markAttachmentDeleted,
  type NewAttachment,
  storedBytes,
} from "./attachments.repository.js";
import { storageOf } from "./attachments.storage.js";
import type { StagedFile } from "./attachments.upload.js";

export { storageOf };

/** Public ids: 40 hex characters like Qase's, random so that they cannot be guessed from content. */
function newHash(): string {
  return randomBytes(20).toString("hex");
}

function mb(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/**
 * Records the staged files of one request in the project and moves their contents into place, all or
 * nothing: the quota is checked on the bytes new to the disk (known content is stored once), and if
 * anything fails every temp file and every file placed by this request is removed again.
 */
export async function storeUploads(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  files: StagedFile[],
): Promise<(NewAttachment & { project_code: string })[]> {
  const storage = storageOf(ctx);
  const placed: string[] = [];
  try {
    const rows = await ctx.db.transaction().execute(async (tx) => {
      await lockAttachmentStore(tx, ctx.dialect);
      const known = await existingBlobs(tx, [...new Set(files.map((f) => f.sha256))]);
      const fresh = new Map<string, StagedFile>();
      for (const f of files) if (!known.has(f.sha256) && !fresh.has(f.sha256)) fresh.set(f.sha256, f);
      const adding = [...fresh.values()].reduce((n, f) => n + f.size, 0);
      const used = await storedBytes(tx);
      const quota = ctx.config.attachments.quotaBytes;
      if (used + adding > quota) {
        throw new ApiError(
          "insufficient_storage",
          `Storage quota exceeded: ${mb(used)} of ${mb(quota)} used, this upload needs ${mb(adding)} more`,
        );
      }
      const at = now();
      await insertBlobs(tx, [...fresh.values()], at);
      const rows: NewAttachment[] = files.map((f) => ({
        hash: newHash(),
        project_id: project.id,
        sha256: f.sha256,
        filename: f.filename,
        mime: f.mime,
        extension: f.extension,
        size: f.size,
        uploaded_by: p.user.id,
        created_at: at,
      }));
      await insertAttachments(tx, rows);
      // Placed before commit, so a committed record always has its file; undone below if commit fails.
      for (const f of fresh.values()) {
        await storage.place(f.tmpPath, f.sha256);
        placed.push(f.sha256);
      }
      return rows;
    });
    return rows.map((r) => ({ ...r, project_code: project.code }));
  } catch (err) {
    await Promise.all(placed.map((sha) => storage.discard(storage.blobPath(sha))));
    throw err;
  } finally {
    // Temp files of content that was already on disk (or of a failed request) are not needed.
    await Promise.all(files.map((f) => storage.discard(f.tmpPath)));
  }
}

/** Whether the caller may see a project (the rule of the project list and of project routes). */
async function maySee(
  ctx: AppContext,
  p: Principal,
  a: { project_id: number; project_code: string; project_access: string; project_deleted_at: number | null },
): Promise<boolean> {
  if (a.project_deleted_at !== null) return false;
  const v = visibilityOf(p);
  if (v.codes !== null && !v.codes.includes(a.project_code)) return false;
  return v.seesAll || a.project_access === "all" || isProjectMember(ctx.db, a.project_id, p.user.id);
}

/**
 * The attachment a caller asks for by hash: 404 when it never existed or lies in a project the caller
 * cannot see (so hashes of other projects reveal nothing), 410 when it has been deleted.
 */
export async function getAttachment(
  ctx: AppContext,
  p: Principal,
  hash: string,
): Promise<AttachmentWithProject> {
  const a = await findAttachment(ctx.db, hash.toLowerCase());
  if (!a || !(await maySee(ctx, p, a))) throw fail.notFound(`Attachment "${hash}"`);
  if (a.deleted_at !== null) throw fail.gone(`Attachment "${hash}"`);
  return a;
}

export async function listAttachments(ctx: AppContext, p: Principal, limit: number, offset: number) {
  const v = visibilityOf(p);
  const [rows, total] = await Promise.all([
    listVisibleAttachments(ctx.db, v, limit, offset),
    countVisibleAttachments(ctx.db, v),
  ]);
  return { rows, total };
}

/**
 * Deletes the record; the file goes too when no live record references its content any more. The
 * file is moved aside inside the transaction (uploads of the same content wait on the same lock) and
 * unlinked after commit, or moved back if the transaction fails.
 */
export async function deleteAttachment(ctx: AppContext, p: Principal, hash: string): Promise<void> {
  const target = await getAttachment(ctx, p, hash);
  const storage = storageOf(ctx);
  let aside: string | null = null;
  try {
    await ctx.db.transaction().execute(async (tx) => {
      await lockAttachmentStore(tx, ctx.dialect);
      const a = await findAttachment(tx, target.hash);
      if (!a || a.deleted_at !== null) throw fail.gone(`Attachment "${hash}"`);
      await markAttachmentDeleted(tx, a.id, now());
      if ((await countReferences(tx, a.sha256)) === 0) {
        await deleteBlob(tx, a.sha256);
        aside = await storage.trash(a.sha256);
      }
    });
  } catch (err) {
    if (aside !== null) await storage.restore(aside, target.sha256);
    throw err;
  }
  if (aside !== null) await storage.discard(aside);
}
