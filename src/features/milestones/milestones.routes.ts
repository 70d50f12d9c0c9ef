import type { AppContext } from "../../context.js";
import { ok, page } from "../../http/envelope.js";
import { CodeParams } from "../../http/params.js";
import { projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import {
  IdResponse,
  MilestoneCreateBody,
  MilestoneList,
  MilestoneListQuery,
  MilestoneParams,
  MilestoneResponse,
  MilestoneUpdateBody,
} from "./milestones.schemas.js";
import {
  createMilestone,
  editMilestone,
  getMilestone,
  listMilestonesPage,
  removeMilestone,
} from "./milestones.service.js";

export async function milestoneRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/milestone/:code",
    {
      config: { access: "project.read" },
      schema: { params: CodeParams, querystring: MilestoneListQuery, response: { 200: MilestoneList } },
    },
    async (req) => {
      const q = req.query;
      const r = await listMilestonesPage(ctx, projectOf(req), q.search, q.limit, q.offset);
      return ok(page(r.entities, r.total, r.filtered));
    },
  );

  app.post(
    "/v1/milestone/:code",
    {
      config: { access: "repository.write" },
      schema: { params: CodeParams, body: MilestoneCreateBody, response: { 200: IdResponse } },
    },
    async (req) => ok({ id: await createMilestone(ctx, projectOf(req), req.body) }),
  );

  app.get(
    "/v1/milestone/:code/:id",
    {
      config: { access: "project.read" },
      schema: { params: MilestoneParams, response: { 200: MilestoneResponse } },
    },
    async (req) => ok(await getMilestone(ctx, projectOf(req), req.params.id)),
  );

  app.patch(
    "/v1/milestone/:code/:id",
    {
      config: { access: "repository.write" },
      schema: { params: MilestoneParams, body: MilestoneUpdateBody, response: { 200: IdResponse } },
    },
    async (req) => {
      await editMilestone(ctx, projectOf(req), req.params.id, req.body);
      return ok({ id: req.params.id });
    },
  );

  app.delete(
    "/v1/milestone/:code/:id",
    {
      config: { access: "repository.write" },
      schema: { params: MilestoneParams, response: { 200: IdResponse } },
    },
    async (req) => {
      await removeMilestone(ctx, projectOf(req), req.params.id);
      return ok({ id: req.params.id });
    },
  );
}
