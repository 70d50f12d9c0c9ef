import type { AppContext } from "../../context.js";
import { ok, page } from "../../http/envelope.js";
import { projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { failureGroups } from "./failure-groups.service.js";
import {
  CompareParams,
  CompareQuery,
  CompareResponse,
  FailureGroupList,
  FailuresParams,
  FailuresQuery,
} from "./insights.schemas.js";
import { compareRuns } from "./run-compare.service.js";

/** Insights computed on request from one or two runs' rows; read access as reading runs. */
export async function insightRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/run/:code/:id/compare",
    {
      config: { access: "project.read" },
      schema: { params: CompareParams, querystring: CompareQuery, response: { 200: CompareResponse } },
    },
    async (req) => ok(await compareRuns(ctx, projectOf(req), req.params.id, req.query.with)),
  );

  app.get(
    "/v1/insights/:code/failures",
    {
      config: { access: "project.read" },
      schema: { params: FailuresParams, querystring: FailuresQuery, response: { 200: FailureGroupList } },
    },
    async (req) => {
      const q = req.query;
      const r = await failureGroups(ctx, projectOf(req), q.run_id, q.limit, q.offset);
      return ok(page(r.entities, r.total));
    },
  );
}
