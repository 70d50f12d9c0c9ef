import { type Selectable, sql } from "kysely";
import type { Db, ReviewReviewersTable, ReviewsTable } from "../../db/database.js";
import { containsPattern } from "../../db/like-pattern.js";
import { allocateIds } from "../projects/sequences.repository.js";

export type ReviewRow = Selectable<ReviewsTable>;
export type ReviewerRow = Selectable<ReviewReviewersTable>;
type ReviewPatch = Partial<Omit<ReviewRow, "project_id" | "id">>;

export interface ReviewFilter {
  status?: string | undefined;
  type?: string | undefined;
  caseId?: number | undefined;
  authorId?: number | undefined;
  reviewerId?: number | undefined;
  search?: string | undefined;
}

/** Review ids come from the project's sequence table like every numbered entity. */
export function allocateReviewIds(db: Db, projectId: number, count: number): Promise<number> {
  return allocateIds(db, projectId, "review", count);
}

export function findReview(db: Db, projectId: number, id: number): Promise<ReviewRow | undefined> {
  return db
    .selectFrom("reviews")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function listReviews(db: Db, projectId: number, f: ReviewFilter, limit: number, offset: number) {
  const all = db.selectFrom("reviews").where("project_id", "=", projectId).where("deleted_at", "is", null);
  let q = all;
  if (f.status !== undefined) q = q.where("status", "=", f.status);
  if (f.type !== undefined) q = q.where("type", "=", f.type);
  if (f.caseId !== undefined) q = q.where("case_id", "=", f.caseId);
  if (f.authorId !== undefined) q = q.where("author_id", "=", f.authorId);
  if (f.reviewerId !== undefined) {
    const reviewerId = f.reviewerId;
    q = q.where("id", "in", (eb) =>
      eb
        .selectFrom("review_reviewers")
        .select("review_id")
        .where("project_id", "=", projectId)
        .where("user_id", "=", reviewerId),
    );
  }
  if (f.search) q = q.where(sql<boolean>`lower(title) like ${containsPattern(f.search)} escape '\\'`);
  const [t, n, rows] = await Promise.all([
    all.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.selectAll().orderBy("id").limit(limit).offset(offset).execute(),
  ]);
  return { rows, total: Number(t.n), filtered: Number(n.n) };
}

export async function insertReviews(db: Db, rows: ReviewRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto("reviews").values(rows).execute();
}

export async function updateReview(db: Db, projectId: number, id: number, patch: ReviewPatch): Promise<void> {
  await db
    .updateTable("reviews")
    .set(patch)
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .execute();
}

/**
 * Moves a review out of one status into another only if it is still in it; false when someone else
 * changed it first (the caller reports the status it finds then).
 */
export async function transitionReview(
  db: Db,
  projectId: number,
  id: number,
  from: string,
  patch: ReviewPatch,
): Promise<boolean> {
  const r = await db
    .updateTable("reviews")
    .set(patch)
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .where("status", "=", from)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The reviewers of the given reviews, in assignment order. */
export async function reviewersOf(db: Db, projectId: number, reviewIds: number[]): Promise<ReviewerRow[]> {
  if (reviewIds.length === 0) return [];
  return db
    .selectFrom("review_reviewers")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("review_id", "in", reviewIds)
    .orderBy("review_id")
    .orderBy("position")
    .execute();
}

/** Replaces a review's reviewer list. */
export async function setReviewers(db: Db, projectId: number, reviewId: number, rows: ReviewerRow[]) {
  await db
    .deleteFrom("review_reviewers")
    .where("project_id", "=", projectId)
    .where("review_id", "=", reviewId)
    .execute();
  if (rows.length > 0) await db.insertInto("review_reviewers").values(rows).execute();
}

export async function insertReviewers(db: Db, rows: ReviewerRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto("review_reviewers").values(rows).execute();
}

export async function setReviewerStatus(
  db: Db,
  projectId: number,
  reviewId: number,
  userId: number,
  status: string,
): Promise<boolean> {
  const r = await db
    .updateTable("review_reviewers")
    .set({ status })
    .where("project_id", "=", projectId)
    .where("review_id", "=", reviewId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A changed proposal needs fresh approvals. */
export async function resetApprovals(db: Db, projectId: number, reviewId: number): Promise<void> {
  await db
    .updateTable("review_reviewers")
    .set({ status: "unapproved" })
    .where("project_id", "=", projectId)
    .where("review_id", "=", reviewId)
    .execute();
}
