import type { AppContext } from "../../context.js";
import { publicBase } from "../../http/base-url.js";
import { ok } from "../../http/envelope.js";
import { principalOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { SearchQuery, SearchResponse } from "./search.schemas.js";
import { search } from "./search.service.js";

export async function searchRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/search",
    {
      config: { access: "project.read" },
      schema: { querystring: SearchQuery, response: { 200: SearchResponse } },
    },
    async (req) => {
      const { query, limit, offset } = req.query;
      return ok(await search(ctx, principalOf(req), query, { limit, offset }, publicBase(ctx, req)));
    },
  );
}
