import type { AppContext } from "../../context.js";
import { ok, page } from "../../http/envelope.js";
import { CodeParams } from "../../http/params.js";
import { cachedJson } from "../../http/response-cache.js";
import { principalOf, projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import {
  IdResponse,
  SuiteCreateBody,
  SuiteDeleteBody,
  SuiteList,
  SuiteListQuery,
  SuiteParams,
  SuiteResponse,
  SuiteUpdateBody,
} from "./suites.schemas.js";
import { createSuite, editSuite, getSuite, listSuitesPage, removeSuite } from "./suites.service.js";

export async function suiteRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/suite/:code",
    {
      config: { access: "project.read" },
      schema: { params: CodeParams, querystring: SuiteListQuery, response: { 200: SuiteList } },
    },
    async (req, reply) => {
      const { search, limit, offset } = req.query;
      const project = projectOf(req);
      await cachedJson(ctx, req, reply, async () => {
        const r = await listSuitesPage(ctx, project, search, limit, offset);
        return ok(page(r.entities, r.total, r.filtered));
      });
    },
  );

  app.post(
    "/v1/suite/:code",
    {
      config: { access: "repository.write" },
      schema: { params: CodeParams, body: SuiteCreateBody, response: { 200: IdResponse } },
    },
    async (req) => ok({ id: await createSuite(ctx, projectOf(req), req.body) }),
  );

  app.get(
    "/v1/suite/:code/:id",
    { config: { access: "project.read" }, schema: { params: SuiteParams, response: { 200: SuiteResponse } } },
    async (req) => ok(await getSuite(ctx, projectOf(req), req.params.id)),
  );

  app.patch(
    "/v1/suite/:code/:id",
    {
      config: { access: "repository.write" },
      schema: { params: SuiteParams, body: SuiteUpdateBody, response: { 200: IdResponse } },
    },
    async (req) => {
      await editSuite(ctx, projectOf(req), req.params.id, req.body);
      return ok({ id: req.params.id });
    },
  );

  app.delete(
    "/v1/suite/:code/:id",
    {
      config: { access: "repository.write" },
      schema: { params: SuiteParams, body: SuiteDeleteBody, response: { 200: IdResponse } },
    },
    async (req) => {
      const destination = typeof req.body === "object" ? (req.body?.destination_id ?? null) : null;
      await removeSuite(ctx, principalOf(req), projectOf(req), req.params.id, destination);
      return ok({ id: req.params.id });
    },
  );
}
