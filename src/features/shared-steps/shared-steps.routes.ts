import type { AppContext } from "../../context.js";
import { ok, page } from "../../http/envelope.js";
import { CodeParams } from "../../http/params.js";
import { projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import {
  HashResponse,
  SharedStepCreateBody,
  SharedStepList,
  SharedStepListQuery,
  SharedStepParams,
  SharedStepResponse,
  SharedStepUpdateBody,
} from "./shared-steps.schemas.js";
import {
  createSharedStep,
  editSharedStep,
  getSharedStep,
  listSharedStepsPage,
  removeSharedStep,
} from "./shared-steps.service.js";

export async function sharedStepRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/shared_step/:code",
    {
      config: { access: "project.read" },
      schema: { params: CodeParams, querystring: SharedStepListQuery, response: { 200: SharedStepList } },
    },
    async (req) => {
      const q = req.query;
      const r = await listSharedStepsPage(ctx, projectOf(req), q.search, q.limit, q.offset);
      return ok(page(r.entities, r.total, r.filtered));
    },
  );

  app.post(
    "/v1/shared_step/:code",
    {
      config: { access: "repository.write" },
      schema: { params: CodeParams, body: SharedStepCreateBody, response: { 200: HashResponse } },
    },
    async (req) => ok({ hash: await createSharedStep(ctx, projectOf(req), req.body) }),
  );

  app.get(
    "/v1/shared_step/:code/:hash",
    {
      config: { access: "project.read" },
      schema: { params: SharedStepParams, response: { 200: SharedStepResponse } },
    },
    async (req) => ok(await getSharedStep(ctx, projectOf(req), req.params.hash)),
  );

  app.patch(
    "/v1/shared_step/:code/:hash",
    {
      config: { access: "repository.write" },
      schema: { params: SharedStepParams, body: SharedStepUpdateBody, response: { 200: HashResponse } },
    },
    async (req) => {
      await editSharedStep(ctx, projectOf(req), req.params.hash, req.body);
      return ok({ hash: req.params.hash });
    },
  );

  app.delete(
    "/v1/shared_step/:code/:hash",
    {
      config: { access: "repository.write" },
      schema: { params: SharedStepParams, response: { 200: HashResponse } },
    },
    async (req) => {
      await removeSharedStep(ctx, projectOf(req), req.params.hash);
      return ok({ hash: req.params.hash });
    },
  );
}
