import type { AppContext } from "../../context.js";
import { ok } from "../../http/envelope.js";
import type { App } from "../../http/types.js";
import {
  ParameterCreateBody,
  ParameterList,
  ParameterListQuery,
  ParameterParams,
  ParameterResponse,
  ParameterUpdateBody,
  UuidResponse,
} from "./shared-parameters.schemas.js";
import {
  createParameter,
  editParameter,
  getParameter,
  listParametersPage,
  removeParameter,
} from "./shared-parameters.service.js";

/** Workspace-level: no project code; writes belong to workspace admins. */
export async function sharedParameterRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/shared_parameter",
    {
      config: { access: "project.read" },
      schema: { querystring: ParameterListQuery, response: { 200: ParameterList } },
    },
    async (req) => {
      const q = req.query;
      const filter = {
        search: q["filters[search]"],
        type: q["filters[type]"],
        projectCodes: q["filters[project_codes][]"],
      };
      return ok(await listParametersPage(ctx, filter, q.limit, q.offset));
    },
  );

  app.post(
    "/v1/shared_parameter",
    {
      config: { access: "settings.manage" },
      schema: { body: ParameterCreateBody, response: { 200: UuidResponse } },
    },
    async (req) => ok({ id: await createParameter(ctx, req.body) }),
  );

  app.get(
    "/v1/shared_parameter/:id",
    {
      config: { access: "project.read" },
      schema: { params: ParameterParams, response: { 200: ParameterResponse } },
    },
    async (req) => ok(await getParameter(ctx, req.params.id)),
  );

  app.patch(
    "/v1/shared_parameter/:id",
    {
      config: { access: "settings.manage" },
      schema: { params: ParameterParams, body: ParameterUpdateBody, response: { 200: UuidResponse } },
    },
    async (req) => ok({ id: await editParameter(ctx, req.params.id, req.body) }),
  );

  app.delete(
    "/v1/shared_parameter/:id",
    {
      config: { access: "settings.manage" },
      schema: { params: ParameterParams, response: { 200: UuidResponse } },
    },
    async (req) => ok({ id: await removeParameter(ctx, req.params.id) }),
  );
}
