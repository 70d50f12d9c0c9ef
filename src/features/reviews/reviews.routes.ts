import type { AppContext } from "../../context.js";
import { ok, page, StatusOnlySchema } from "../../http/envelope.js";
import { CodeParams } from "../../http/params.js";
import { principalOf, projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import {
  IdResponse,
  MergeResponse,
  ReviewBulkBody,
  ReviewBulkResponse,
  ReviewCreateBody,
  ReviewList,
  ReviewListQuery,
  ReviewParams,
  ReviewResponse,
  ReviewUpdateBody,
  ReviewVerdictBody,
} from "./reviews.schemas.js";
import {
  createReviews,
  declineReview,
  deleteReview,
  editReview,
  getReview,
  listReviewsPage,
  mergeReview,
  recordVerdict,
} from "./reviews.service.js";

/** Qase's case reviews (GET/POST /v1/review/{code}, GET/PATCH/DELETE /v1/review/{code}/{id}, bulk). */
export async function reviewRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/review/:code",
    {
      config: { access: "project.read" },
      schema: { params: CodeParams, querystring: ReviewListQuery, response: { 200: ReviewList } },
    },
    async (req) => {
      const q = req.query;
      const filter = {
        status: q.status,
        type: q.type,
        caseId: q.case_id,
        search: q.search,
        ...(q.author_uuid === undefined ? {} : { authorUuid: q.author_uuid }),
        ...(q.reviewer_uuid === undefined ? {} : { reviewerUuid: q.reviewer_uuid }),
      };
      const r = await listReviewsPage(ctx, projectOf(req), filter, q.limit, q.offset);
      return ok(page(r.entities, r.total, r.filtered));
    },
  );

  app.post(
    "/v1/review/:code",
    {
      config: { access: "repository.write" },
      schema: { params: CodeParams, body: ReviewCreateBody, response: { 200: IdResponse } },
    },
    async (req) => {
      const [item] = await createReviews(ctx, principalOf(req), projectOf(req), [req.body], false);
      return ok({ id: item?.review_id ?? 0 });
    },
  );

  app.post(
    "/v1/review/:code/bulk",
    {
      config: { access: "repository.write" },
      schema: { params: CodeParams, body: ReviewBulkBody, response: { 200: ReviewBulkResponse } },
    },
    async (req) =>
      ok({ items: await createReviews(ctx, principalOf(req), projectOf(req), req.body.reviews, true) }),
  );

  app.get(
    "/v1/review/:code/:id",
    {
      config: { access: "project.read" },
      schema: { params: ReviewParams, response: { 200: ReviewResponse } },
    },
    async (req) => ok(await getReview(ctx, projectOf(req), req.params.id)),
  );

  app.patch(
    "/v1/review/:code/:id",
    {
      config: { access: "repository.write" },
      schema: { params: ReviewParams, body: ReviewUpdateBody, response: { 200: IdResponse } },
    },
    async (req) => {
      await editReview(ctx, projectOf(req), req.params.id, req.body);
      return ok({ id: req.params.id });
    },
  );

  app.delete(
    "/v1/review/:code/:id",
    {
      config: { access: "repository.write" },
      schema: { params: ReviewParams, response: { 200: IdResponse } },
    },
    async (req) => {
      await deleteReview(ctx, projectOf(req), req.params.id);
      return ok({ id: req.params.id });
    },
  );

  // Verdict extensions: Qase's API reads review outcomes but publishes no call that produces them.
  app.post(
    "/v1/review/:code/:id/merge",
    {
      config: { access: "repository.write" },
      schema: { params: ReviewParams, response: { 200: MergeResponse } },
    },
    async (req) => ok(await mergeReview(ctx, principalOf(req), projectOf(req), req.params.id)),
  );

  app.post(
    "/v1/review/:code/:id/decline",
    {
      config: { access: "repository.write" },
      schema: { params: ReviewParams, response: { 200: IdResponse } },
    },
    async (req) => {
      await declineReview(ctx, principalOf(req), projectOf(req), req.params.id);
      return ok({ id: req.params.id });
    },
  );

  app.post(
    "/v1/review/:code/:id/verdict",
    {
      config: { access: "repository.write" },
      schema: { params: ReviewParams, body: ReviewVerdictBody, response: { 200: StatusOnlySchema } },
    },
    async (req) => {
      await recordVerdict(ctx, principalOf(req), projectOf(req), req.params.id, req.body.status);
      return { status: true };
    },
  );
}
