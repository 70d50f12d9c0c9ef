import type { AppContext } from "../../context.js";
import { publicBase } from "../../http/base-url.js";
import { ok, page, StatusOnlySchema } from "../../http/envelope.js";
import { type ErrorField, fail } from "../../http/errors.js";
import { cachedJson } from "../../http/response-cache.js";
import { principalOf, projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { batchTooLarge, fromV1 } from "./results.incoming.js";
import { ingestResults } from "./results.ingest.js";
import {
  CreateResponse,
  HashResponse,
  ProjectParams,
  ResultHashParams,
  ResultList,
  ResultResponse,
  RunResultHashParams,
  RunResultParams,
  V1BulkBody,
  V1ResultCreate,
  V1ResultListQuery,
  V1ResultUpdate,
} from "./results.schemas.js";
import { deleteResult, editResult, getResult, listResultsPage, resultFilter } from "./results.service.js";

/** Qase API v1 results: list, read, create one or a bulk into a run, edit, delete. */
export async function resultRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/result/:code",
    {
      config: { access: "project.read" },
      schema: { params: ProjectParams, querystring: V1ResultListQuery, response: { 200: ResultList } },
    },
    async (req, reply) => {
      const q = req.query;
      const project = projectOf(req);
      await cachedJson(ctx, req, reply, async () => {
        const base = publicBase(ctx, req);
        const r = await listResultsPage(ctx, project, resultFilter(q), q.limit, q.offset, base);
        return ok(page(r.entities, r.total, r.filtered));
      });
    },
  );

  app.get(
    "/v1/result/:code/:hash",
    {
      config: { access: "project.read" },
      schema: { params: ResultHashParams, response: { 200: ResultResponse } },
    },
    async (req) => ok(await getResult(ctx, projectOf(req), req.params.hash, publicBase(ctx, req))),
  );

  app.post(
    "/v1/result/:code/:id",
    {
      config: { access: "result.create" },
      schema: { params: RunResultParams, body: V1ResultCreate, response: { 200: CreateResponse } },
    },
    async (req) => {
      const errors: ErrorField[] = [];
      const incoming = fromV1(req.body, "", errors);
      if (errors.length > 0) throw fail.invalidMany(errors);
      const [stored] = await ingestResults(ctx, principalOf(req), projectOf(req), req.params.id, [incoming]);
      return ok({ case_id: stored?.caseId ?? null, hash: stored?.hash ?? "" });
    },
  );

  app.post(
    "/v1/result/:code/:id/bulk",
    {
      config: { access: "result.create" },
      schema: { params: RunResultParams, body: V1BulkBody, response: { 200: StatusOnlySchema } },
    },
    async (req) => {
      const tooLarge = batchTooLarge(req.body.results.length);
      if (tooLarge) throw fail.tooLarge(tooLarge);
      const errors: ErrorField[] = [];
      const incoming = req.body.results.map((r, i) => fromV1(r, `results.${i}.`, errors));
      if (errors.length > 0) throw fail.invalidMany(errors);
      await ingestResults(ctx, principalOf(req), projectOf(req), req.params.id, incoming);
      return { status: true };
    },
  );

  app.patch(
    "/v1/result/:code/:id/:hash",
    {
      config: { access: "result.create" },
      schema: { params: RunResultHashParams, body: V1ResultUpdate, response: { 200: HashResponse } },
    },
    async (req) => {
      await editResult(ctx, principalOf(req), projectOf(req), req.params.id, req.params.hash, req.body);
      return ok({ hash: req.params.hash });
    },
  );

  app.delete(
    "/v1/result/:code/:id/:hash",
    {
      config: { access: "result.create" },
      schema: { params: RunResultHashParams, response: { 200: HashResponse } },
    },
    async (req) => {
      await deleteResult(ctx, projectOf(req), req.params.id, req.params.hash);
      return ok({ hash: req.params.hash });
    },
  );
}
