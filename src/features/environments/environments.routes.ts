import type { AppContext } from "../../context.js";
import { ok, page } from "../../http/envelope.js";
import { CodeParams } from "../../http/params.js";
import { projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import {
  EnvironmentCreateBody,
  EnvironmentList,
  EnvironmentListQuery,
  EnvironmentParams,
  EnvironmentResponse,
  EnvironmentUpdateBody,
  IdResponse,
} from "./environments.schemas.js";
import {
  createEnvironment,
  editEnvironment,
  getEnvironment,
  listEnvironmentsPage,
  removeEnvironment,
} from "./environments.service.js";

export async function environmentRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/environment/:code",
    {
      config: { access: "project.read" },
      schema: { params: CodeParams, querystring: EnvironmentListQuery, response: { 200: EnvironmentList } },
    },
    async (req) => {
      const q = req.query;
      const filter = { search: q.search, slug: q.slug };
      const r = await listEnvironmentsPage(ctx, projectOf(req), filter, q.limit, q.offset);
      return ok(page(r.entities, r.total, r.filtered));
    },
  );

  app.post(
    "/v1/environment/:code",
    {
      config: { access: "repository.write" },
      schema: { params: CodeParams, body: EnvironmentCreateBody, response: { 200: IdResponse } },
    },
    async (req) => ok({ id: await createEnvironment(ctx, projectOf(req), req.body) }),
  );

  app.get(
    "/v1/environment/:code/:id",
    {
      config: { access: "project.read" },
      schema: { params: EnvironmentParams, response: { 200: EnvironmentResponse } },
    },
    async (req) => ok(await getEnvironment(ctx, projectOf(req), req.params.id)),
  );

  app.patch(
    "/v1/environment/:code/:id",
    {
      config: { access: "repository.write" },
      schema: { params: EnvironmentParams, body: EnvironmentUpdateBody, response: { 200: IdResponse } },
    },
    async (req) => {
      await editEnvironment(ctx, projectOf(req), req.params.id, req.body);
      return ok({ id: req.params.id });
    },
  );

  app.delete(
    "/v1/environment/:code/:id",
    {
      config: { access: "repository.write" },
      schema: { params: EnvironmentParams, response: { 200: IdResponse } },
    },
    async (req) => {
      await removeEnvironment(ctx, projectOf(req), req.params.id);
      return ok({ id: req.params.id });
    },
  );
}
