import type { AppContext } from "../../context.js";
import { ok, page } from "../../http/envelope.js";
import { CodeParams } from "../../http/params.js";
import { projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import {
  ConfigurationCreateBody,
  ConfigurationGroupCreateBody,
  ConfigurationList,
  IdResponse,
} from "./configurations.schemas.js";
import {
  createConfiguration,
  createConfigurationGroup,
  listConfigurationGroups,
} from "./configurations.service.js";

export async function configurationRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/configuration/:code",
    {
      config: { access: "project.read" },
      schema: { params: CodeParams, response: { 200: ConfigurationList } },
    },
    async (req) => {
      const groups = await listConfigurationGroups(ctx, projectOf(req));
      return ok(page(groups, groups.length));
    },
  );

  // CI tokens (scope "results") may create these: reporters add configurations on demand.
  app.post(
    "/v1/configuration/:code",
    {
      config: { access: "configuration.create" },
      schema: { params: CodeParams, body: ConfigurationCreateBody, response: { 200: IdResponse } },
    },
    async (req) => ok({ id: await createConfiguration(ctx, projectOf(req), req.body) }),
  );

  app.post(
    "/v1/configuration/:code/group",
    {
      config: { access: "configuration.create" },
      schema: { params: CodeParams, body: ConfigurationGroupCreateBody, response: { 200: IdResponse } },
    },
    async (req) => ok({ id: await createConfigurationGroup(ctx, projectOf(req), req.body.title) }),
  );
}
