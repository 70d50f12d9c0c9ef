import { type Selectable, sql } from "kysely";
import type { AttachmentsTable, Db, Dialect } from "../../db/database.js";
import { overKeys } from "../../db/pg-bulk.js";
import { type ProjectVisibility, projectVisibleTo } from "../projects/projects.repository.js";

export type AttachmentRow = Selectable<AttachmentsTable>;
/** A record with the code of its project, which every read model shows. */
export type AttachmentWithProject = AttachmentRow & { project_code: string };

/**
 * Serialises the writers that change what is on disk (uploads, deletes), so that the quota check and
 * the "is this content still referenced" check see a settled state. SQLite transactions already run
 * one at a time on the store's single connection; PostgreSQL takes a transaction-scoped advisory lock.
 */
export async function lockAttachmentStore(db: Db, dialect: Dialect): Promise<void> {
  if (dialect === "postgres") await sql`select pg_advisory_xact_lock(7302381600)`.execute(db);
}

export async function storedBytes(db: Db): Promise<number> {
  const r = await db
    .selectFrom("attachment_blobs")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("size"), sql<number>`0`).as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function existingBlobs(db: Db, digests: string[]): Promise<Set<string>> {
  if (digests.length === 0) return new Set();
  const rows = await db
    .selectFrom("attachment_blobs")
    .select("sha256")
    .where("sha256", "in", digests)
    .execute();
  return new Set(rows.map((r) => r.sha256));
}

export async function insertBlobs(
  db: Db,
  blobs: { sha256: string; size: number }[],
  at: number,
): Promise<void> {
  if (blobs.length === 0) return;
  await db
    .insertInto("attachment_blobs")
    .values(blobs.map((b) => ({ sha256: b.sha256, size: b.size, created_at: at })))
    .execute();
}

export async function deleteBlob(db: Db, sha256: string): Promise<void> {
  await db.deleteFrom("attachment_blobs").where("sha256", "=", sha256).execute();
}

export interface NewAttachment {
  hash: string;
  project_id: number;
  sha256: string;
  filename: string;
  mime: string;
  extension: string;
  size: number;
  uploaded_by: number | null;
  created_at: number;
}

export async function insertAttachments(db: Db, rows: NewAttachment[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto("attachments").values(rows).execute();
}

/** The record by its public hash, deleted or not, with its project's code and state. */
export async function findAttachment(
  db: Db,
  hash: string,
): Promise<
  (AttachmentWithProject & { project_access: string; project_deleted_at: number | null }) | undefined
> {
  return db
    .selectFrom("attachments")
    .innerJoin("projects", "projects.id", "attachments.project_id")
    .selectAll("attachments")
    .select([
      "projects.code as project_code",
      "projects.access as project_access",
      "projects.deleted_at as project_deleted_at",
    ])
    .where("attachments.hash", "=", hash)
    .executeTakeFirst();
}

export async function markAttachmentDeleted(db: Db, id: number, at: number): Promise<void> {
  await db.updateTable("attachments").set({ deleted_at: at }).where("id", "=", id).execute();
}

/** Live records that still point at a content. */
export async function countReferences(db: Db, sha256: string): Promise<number> {
  const r = await db
    .selectFrom("attachments")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("sha256", "=", sha256)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Live attachments of live projects the caller may see (same rule as the project list). */
function visibleAttachments(db: Db, v: ProjectVisibility) {
  return db
    .selectFrom("attachments")
    .innerJoin("projects", "projects.id", "attachments.project_id")
    .where("attachments.deleted_at", "is", null)
    .where(projectVisibleTo(v));
}

export function listVisibleAttachments(
  db: Db,
  v: ProjectVisibility,
  limit: number,
  offset: number,
): Promise<AttachmentWithProject[]> {
  return visibleAttachments(db, v)
    .selectAll("attachments")
    .select("projects.code as project_code")
    .orderBy("attachments.id")
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countVisibleAttachments(db: Db, v: ProjectVisibility): Promise<number> {
  const r = await visibleAttachments(db, v)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The live attachments of a project among the given hashes (callers batch the list). */
export function liveAttachmentsByHash(db: Db, projectId: number, hashes: string[]) {
  return db
    .selectFrom("attachments")
    .select(["hash", "filename", "mime", "size"])
    .where("project_id", "=", projectId)
    .where("hash", "in", hashes)
    .where("deleted_at", "is", null)
    .execute();
}

/** Which of the hashes are live attachments of the project (what writes may refer to). */
export async function liveAttachmentHashes(
  db: Db,
  projectId: number,
  hashes: string[],
): Promise<Set<string>> {
  const rows = await overKeys(db, hashes, (op, c) =>
    db
      .selectFrom("attachments")
      .select("hash")
      .where("project_id", "=", projectId)
      .where("hash", op, c)
      .where("deleted_at", "is", null)
      .execute(),
  );
  return new Set(rows.map((r) => r.hash));
}

/** The contents a project's attachment records (deleted ones too) point at. */
export async function projectDigests(db: Db, projectId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("attachments")
    .select("sha256")
    .distinct()
    .where("project_id", "=", projectId)
    .execute();
  return rows.map((r) => r.sha256);
}
