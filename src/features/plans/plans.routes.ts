import type { AppContext } from "../../context.js";
import { ok, PageQuery, page } from "../../http/envelope.js";
import { CodeParams } from "../../http/params.js";
import { principalOf, projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import {
  IdResponse,
  PlanCreateBody,
  PlanList,
  PlanParams,
  PlanResponse,
  PlanUpdateBody,
} from "./plans.schemas.js";
import { createPlan, editPlan, getPlan, listPlansPage, removePlan } from "./plans.service.js";

export async function planRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/plan/:code",
    {
      config: { access: "project.read" },
      schema: { params: CodeParams, querystring: PageQuery, response: { 200: PlanList } },
    },
    async (req) => {
      const r = await listPlansPage(ctx, projectOf(req), req.query.limit, req.query.offset);
      return ok(page(r.entities, r.total));
    },
  );

  app.post(
    "/v1/plan/:code",
    {
      config: { access: "repository.write" },
      schema: { params: CodeParams, body: PlanCreateBody, response: { 200: IdResponse } },
    },
    async (req) => ok({ id: await createPlan(ctx, principalOf(req), projectOf(req), req.body) }),
  );

  app.get(
    "/v1/plan/:code/:id",
    { config: { access: "project.read" }, schema: { params: PlanParams, response: { 200: PlanResponse } } },
    async (req) => ok(await getPlan(ctx, projectOf(req), req.params.id)),
  );

  app.patch(
    "/v1/plan/:code/:id",
    {
      config: { access: "repository.write" },
      schema: { params: PlanParams, body: PlanUpdateBody, response: { 200: IdResponse } },
    },
    async (req) => {
      await editPlan(ctx, projectOf(req), req.params.id, req.body);
      return ok({ id: req.params.id });
    },
  );

  app.delete(
    "/v1/plan/:code/:id",
    { config: { access: "repository.write" }, schema: { params: PlanParams, response: { 200: IdResponse } } },
    async (req) => {
      await removePlan(ctx, projectOf(req), req.params.id);
      return ok({ id: req.params.id });
    },
  );
}
