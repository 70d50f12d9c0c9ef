import type { AppContext } from "../../context.js";
import { ok, page } from "../../http/envelope.js";
import type { App } from "../../http/types.js";
import { AuthorList, AuthorListQuery, AuthorParams, AuthorResponse } from "./authors.schemas.js";
import { getAuthor, listAuthorsPage } from "./authors.service.js";

export async function authorRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/author",
    {
      config: { access: "project.read" },
      schema: { querystring: AuthorListQuery, response: { 200: AuthorList } },
    },
    async (req) => {
      const q = req.query;
      const r = await listAuthorsPage(ctx, { search: q.search, type: q.type }, q.limit, q.offset);
      return ok(page(r.entities, r.total, r.filtered));
    },
  );

  app.get(
    "/v1/author/:id",
    {
      config: { access: "project.read" },
      schema: { params: AuthorParams, response: { 200: AuthorResponse } },
    },
    async (req) => ok(await getAuthor(ctx, req.params.id)),
  );
}
