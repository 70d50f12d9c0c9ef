import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { now } from "../../db/time.js";
import { inTransaction } from "../../db/transaction.js";
import { ApiError, type ErrorField, fail } from "../../http/errors.js";
import type { Principal } from "../../http/principal.js";
import { allUserIds } from "../authors/authors.repository.js";
import { authorUuid } from "../authors/authors.service.js";
import type { CaseRow } from "../cases/cases.present.js";
import { createCases, liveCase, updateCase } from "../cases/cases.service.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { ENUM_FIELDS } from "../system-fields/system-fields.catalog.js";
import { presentReview, presentReviewDetailed } from "./reviews.present.js";
import {
  type Proposal,
  proposalErrors,
  storedProposal,
  toCaseCreate,
  toCaseWrite,
} from "./reviews.proposal.js";
import {
  allocateReviewIds,
  findReview,
  insertReviewers,
  insertReviews,
  listReviews,
  type ReviewerRow,
  type ReviewFilter,
  type ReviewRow,
  resetApprovals,
  reviewersOf,
  setReviewerStatus,
  setReviewers,
  transitionReview,
  updateReview,
} from "./reviews.repository.js";

export interface ReviewInput {
  case_id?: number | null | undefined;
  reviewers?: string[] | undefined;
  proposed_case: Proposal;
}

const label = (project: ProjectRow, id: number) => `Review ${id} of project ${project.code}`;

/** 404 for a review that never existed, 410 for a deleted one. */
async function liveReview(db: Db, project: ProjectRow, id: number): Promise<ReviewRow> {
  const row = await findReview(db, project.id, id);
  if (!row) throw fail.notFound(label(project, id));
  if (row.deleted_at !== null) throw fail.gone(label(project, id));
  return row;
}

/** 422 unless the review is still open: merged and declined reviews are closed for good. */
function requireOpen(project: ProjectRow, row: ReviewRow, action: string) {
  if (row.status === "open") return;
  throw fail.invalid("status", `${label(project, row.id)} is already ${row.status}; cannot ${action} it`);
}

/** Author UUID -> user id; names are hashes, so compare against every user (workspaces are small). */
async function usersByUuid(db: Db): Promise<Map<string, number>> {
  return new Map((await allUserIds(db)).map((id) => [authorUuid(id), id]));
}

/** The user a filter UUID names; -1 (matches nothing) when no user has it. */
async function userOfUuid(db: Db, uuid: string | undefined): Promise<number | undefined> {
  if (uuid === undefined) return undefined;
  return (await usersByUuid(db)).get(uuid.toLowerCase()) ?? -1;
}

export async function listReviewsPage(
  ctx: AppContext,
  project: ProjectRow,
  q: Omit<ReviewFilter, "authorId" | "reviewerId"> & { authorUuid?: string; reviewerUuid?: string },
  limit: number,
  offset: number,
) {
  const filter: ReviewFilter = {
    status: q.status,
    type: q.type,
    caseId: q.caseId,
    search: q.search,
    authorId: await userOfUuid(ctx.db, q.authorUuid),
    reviewerId: await userOfUuid(ctx.db, q.reviewerUuid),
  };
  const { rows, total, filtered } = await listReviews(ctx.db, project.id, filter, limit, offset);
  const reviewers = await reviewersOf(
    ctx.db,
    project.id,
    rows.map((r) => r.id),
  );
  const entities = rows.map((r) =>
    presentReview(
      r,
      reviewers.filter((x) => x.review_id === r.id),
    ),
  );
  return { entities, total, filtered };
}

export async function getReview(ctx: AppContext, project: ProjectRow, id: number) {
  const row = await liveReview(ctx.db, project, id);
  return presentReviewDetailed(row, await reviewersOf(ctx.db, project.id, [id]));
}

/** Reviewer UUIDs to user ids (duplicates dropped), collecting unknown ones as errors. */
function resolveReviewers(uuids: string[], users: Map<string, number>, field: string, errors: ErrorField[]) {
  const ids: number[] = [];
  for (const [i, uuid] of uuids.entries()) {
    const id = users.get(uuid.toLowerCase());
    if (id === undefined) errors.push({ field: `${field}.${i}`, error: `no author has the UUID ${uuid}` });
    else if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

function reviewerRows(project: ProjectRow, reviewId: number, ids: number[], keep: ReviewerRow[] = []) {
  return ids.map((user_id, position) => ({
    project_id: project.id,
    review_id: reviewId,
    user_id,
    position,
    status: keep.find((r) => r.user_id === user_id)?.status ?? "unapproved",
  }));
}

/**
 * Creates reviews. Problems in the bodies (proposal fields, unknown reviewers) refuse the whole request
 * with 422; a reviewed case that is missing or deleted fails only its item (bulk) or the call (single,
 * 404/410). Returns one outcome per input, in order.
 */
export async function createReviews(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  inputs: ReviewInput[],
  bulk: boolean,
) {
  return ctx.db.transaction().execute(async (tx) => {
    const users = await usersByUuid(tx);
    const errors: ErrorField[] = [];
    const planned: {
      input: ReviewInput;
      target: CaseRow | null;
      reviewers: number[];
      error: string | null;
    }[] = [];
    for (const [i, input] of inputs.entries()) {
      const prefix = bulk ? `reviews.${i}.` : "";
      let target: CaseRow | null = null;
      let error: string | null = null;
      if (input.case_id != null) {
        try {
          target = await liveCase(tx, project, input.case_id);
        } catch (e) {
          if (!bulk || !(e instanceof ApiError)) throw e;
          error = e.message;
        }
      }
      const automation = target?.automation ?? ENUM_FIELDS.automation.defaultId;
      const create = input.case_id == null;
      errors.push(...proposalErrors(input.proposed_case, create, automation, `${prefix}proposed_case.`));
      const reviewers = resolveReviewers(input.reviewers ?? [], users, `${prefix}reviewers`, errors);
      planned.push({ input, target, reviewers, error });
    }
    if (errors.length > 0) throw fail.invalidMany(errors);

    const good = planned.filter((x) => x.error === null);
    let next = good.length > 0 ? await allocateReviewIds(tx, project.id, good.length) : 0;
    const at = now();
    const rows: ReviewRow[] = [];
    const reviewers: ReviewerRow[] = [];
    const items = planned.map(({ input, target, reviewers: ids, error }) => {
      const caseId = input.case_id ?? null;
      if (error !== null) return { review_id: null, case_id: caseId, error };
      const id = next++;
      const proposal = storedProposal(input.proposed_case);
      rows.push({
        project_id: project.id,
        id,
        title: proposal.title || target?.title || "",
        type: target ? "edit" : "create",
        status: "open",
        case_id: caseId,
        author_id: p.user.id,
        proposal: JSON.stringify(proposal),
        closed_by: null,
        closed_at: null,
        merged_version: null,
        created_at: at,
        updated_at: at,
        deleted_at: null,
      });
      reviewers.push(...reviewerRows(project, id, ids));
      return { review_id: id, case_id: caseId, error: null };
    });
    await insertReviews(tx, rows);
    await insertReviewers(tx, reviewers);
    return items;
  });
}

/**
 * PATCH: reviewers replace the list (kept reviewers keep their verdict); a proposal is merged into the
 * stored one field by field, and a changed proposal resets every verdict to unapproved.
 */
export async function editReview(
  ctx: AppContext,
  project: ProjectRow,
  id: number,
  body: { reviewers?: string[] | undefined; proposed_case?: Proposal | undefined },
) {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await liveReview(tx, project, id);
    requireOpen(project, row, "change");
    const errors: ErrorField[] = [];
    const current = JSON.parse(row.proposal) as Proposal;
    let proposal = current;
    let target: CaseRow | null = null;
    if (body.proposed_case !== undefined) {
      if (row.type === "edit" && row.case_id !== null) target = await liveCase(tx, project, row.case_id);
      proposal = { ...current, ...body.proposed_case };
      const automation = target?.automation ?? ENUM_FIELDS.automation.defaultId;
      errors.push(...proposalErrors(proposal, row.type === "create", automation, "proposed_case."));
    }
    let ids: number[] | undefined;
    if (body.reviewers !== undefined) {
      ids = resolveReviewers(body.reviewers, await usersByUuid(tx), "reviewers", errors);
    }
    if (errors.length > 0) throw fail.invalidMany(errors);

    if (ids !== undefined) {
      const before = await reviewersOf(tx, project.id, [id]);
      await setReviewers(tx, project.id, id, reviewerRows(project, id, ids, before));
    }
    const stored = storedProposal(proposal);
    const changed = JSON.stringify(stored) !== JSON.stringify(current);
    if (changed) await resetApprovals(tx, project.id, id);
    await updateReview(tx, project.id, id, {
      proposal: JSON.stringify(stored),
      title: stored.title || target?.title || row.title,
      updated_at: now(),
    });
  });
}

/** Open and declined reviews can be deleted; merged ones are part of the case's history. */
export async function deleteReview(ctx: AppContext, project: ProjectRow, id: number) {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await liveReview(tx, project, id);
    if (row.status === "merged") {
      throw fail.invalid("status", `${label(project, id)} is merged; merged reviews cannot be deleted`);
    }
    await updateReview(tx, project.id, id, { deleted_at: now() });
  });
}

/** Closes an open review as merged or declined; 422 when it is closed already (also after a race). */
async function closeReview(db: Db, p: Principal, project: ProjectRow, id: number, to: string) {
  const action = to === "merged" ? "merge" : "decline";
  return inTransaction(db, async (tx) => {
    const row = await liveReview(tx, project, id);
    requireOpen(project, row, action);
    const at = now();
    const patch = { status: to, closed_by: p.user.id, closed_at: at, updated_at: at };
    if (!(await transitionReview(tx, project.id, id, "open", patch))) {
      requireOpen(project, await liveReview(tx, project, id), action);
    }
    return row;
  });
}

/**
 * Merging applies the proposal through the case service, in one transaction with closing the review: a
 * create review creates the case (authored by the review's author), an edit review updates it, each
 * writing a new case version. The review is claimed as merged first, so of two concurrent merges only
 * one applies it; if the case service refuses the change (a suite deleted meanwhile, say), nothing of
 * the merge is kept and the review stays open.
 */
export async function mergeReview(ctx: AppContext, p: Principal, project: ProjectRow, id: number) {
  return ctx.db.transaction().execute(async (tx) => {
    const inTx: AppContext = { ...ctx, db: tx };
    const row = await closeReview(tx, p, project, id, "merged");
    const proposal = JSON.parse(row.proposal) as Proposal;
    let caseId: number;
    if (row.type === "create") {
      const [created] = await createCases(inTx, p, project, [toCaseCreate(proposal, row.author_id)], false);
      if (created === undefined) throw new Error("case creation returned no id");
      caseId = created;
    } else {
      caseId = Number(row.case_id);
      await updateCase(inTx, p, project, caseId, toCaseWrite(proposal));
    }
    const version = Number((await liveCase(tx, project, caseId)).version);
    await updateReview(tx, project.id, id, { case_id: caseId, merged_version: version });
    return { id, case_id: caseId, case_version: version };
  });
}

/** Declining closes the review and leaves the case untouched. */
export async function declineReview(ctx: AppContext, p: Principal, project: ProjectRow, id: number) {
  await closeReview(ctx.db, p, project, id, "declined");
}

/** An assigned reviewer records a verdict on an open review. */
export async function recordVerdict(
  ctx: AppContext,
  p: Principal,
  project: ProjectRow,
  id: number,
  status: string,
) {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await liveReview(tx, project, id);
    requireOpen(project, row, "approve");
    if (!(await setReviewerStatus(tx, project.id, id, p.user.id, status))) {
      throw fail.forbidden(`You are not an assigned reviewer of ${label(project, id)}`);
    }
  });
}
