import type { AppContext } from "../../context.js";
import { publicBase } from "../../http/base-url.js";
import { ok, PageQuery, page, StatusOnlySchema } from "../../http/envelope.js";
import { CodeParams } from "../../http/params.js";
import { cachedJson } from "../../http/response-cache.js";
import { principalOf, projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { withAttachmentDetails } from "../attachments/attachment-refs.js";
import { enumFilter } from "../system-fields/system-fields.catalog.js";
import { caseAtVersion, caseVersions } from "./case-versions.service.js";
import { type CaseOut, presentCase } from "./cases.present.js";
import {
  CaseBulkBody,
  CaseCreateBody,
  CaseGetQuery,
  CaseList,
  CaseListQuery,
  CaseParams,
  CaseResponse,
  CaseUpdateBody,
  CaseVersionList,
  CaseVersionParams,
  ExternalIssuesBody,
  IdResponse,
  IdsResponse,
} from "./cases.schemas.js";
import {
  createCases,
  deleteCase,
  linkExternalIssues,
  listCasesPage,
  liveCase,
  updateCase,
} from "./cases.service.js";

/** "a, b,,c" -> ["a", "b", "c"] (at most 100 titles); undefined when absent or empty. */
function tagFilter(raw: string | undefined): string[] | undefined {
  const titles = [...new Set((raw ?? "").split(",").map((t) => t.trim()))].filter((t) => t !== "");
  return titles.length > 0 ? titles.slice(0, 100) : undefined;
}

export async function caseRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/case/:code",
    {
      config: { access: "project.read" },
      schema: { params: CodeParams, querystring: CaseListQuery, response: { 200: CaseList } },
    },
    async (req, reply) => {
      const q = req.query;
      const filter = {
        search: q.search,
        suiteId: q.suite_id,
        milestoneId: q.milestone_id,
        severity: enumFilter("severity", q.severity),
        priority: enumFilter("priority", q.priority),
        type: enumFilter("type", q.type),
        behavior: enumFilter("behavior", q.behavior),
        automation: enumFilter("automation", q.automation),
        status: enumFilter("status", q.status),
        tags: tagFilter(q.tags),
        externalIssues:
          q["external_issues[type]"] !== undefined || q["external_issues[ids][]"] !== undefined
            ? { type: q["external_issues[type]"], ids: q["external_issues[ids][]"] }
            : undefined,
      };
      const project = projectOf(req);
      await cachedJson(ctx, req, reply, async () => {
        const r = await listCasesPage(ctx, project, filter, q.limit, q.offset);
        await withAttachmentDetails(ctx.db, project.id, publicBase(ctx, req), r.entities);
        return ok(page(r.entities, r.total, r.filtered));
      });
    },
  );

  app.post(
    "/v1/case/:code",
    {
      config: { access: "repository.write" },
      schema: { params: CodeParams, body: CaseCreateBody, response: { 200: IdResponse } },
    },
    async (req) => {
      const [id] = await createCases(ctx, principalOf(req), projectOf(req), [req.body], false);
      return ok({ id: id ?? 0 });
    },
  );

  app.post(
    "/v1/case/:code/bulk",
    {
      config: { access: "repository.write" },
      schema: { params: CodeParams, body: CaseBulkBody, response: { 200: IdsResponse } },
    },
    async (req) =>
      ok({ ids: await createCases(ctx, principalOf(req), projectOf(req), req.body.cases, true) }),
  );

  for (const attach of [true, false]) {
    app.post(
      `/v1/case/:code/external-issue/${attach ? "attach" : "detach"}`,
      {
        config: { access: "repository.write" },
        schema: { params: CodeParams, body: ExternalIssuesBody, response: { 200: StatusOnlySchema } },
      },
      async (req) => {
        await linkExternalIssues(ctx, principalOf(req), projectOf(req), req.body, attach);
        return { status: true };
      },
    );
  }

  app.get(
    "/v1/case/:code/:id",
    {
      config: { access: "project.read" },
      schema: { params: CaseParams, querystring: CaseGetQuery, response: { 200: CaseResponse } },
    },
    async (req) => {
      const project = projectOf(req);
      const [c] = await withAttachmentDetails(ctx.db, project.id, publicBase(ctx, req), [
        presentCase(await liveCase(ctx.db, project, req.params.id)),
      ]);
      return ok(c as CaseOut);
    },
  );

  app.patch(
    "/v1/case/:code/:id",
    {
      config: { access: "repository.write" },
      schema: { params: CaseParams, body: CaseUpdateBody, response: { 200: IdResponse } },
    },
    async (req) => {
      await updateCase(ctx, principalOf(req), projectOf(req), req.params.id, req.body);
      return ok({ id: req.params.id });
    },
  );

  app.delete(
    "/v1/case/:code/:id",
    { config: { access: "repository.write" }, schema: { params: CaseParams, response: { 200: IdResponse } } },
    async (req) => {
      await deleteCase(ctx, projectOf(req), req.params.id);
      return ok({ id: req.params.id });
    },
  );

  // Verdict extensions: the history of a case and the case as it was at a version.
  app.get(
    "/v1/case/:code/:id/versions",
    {
      config: { access: "project.read" },
      schema: { params: CaseParams, querystring: PageQuery, response: { 200: CaseVersionList } },
    },
    async (req) => {
      const r = await caseVersions(ctx, projectOf(req), req.params.id, req.query.limit, req.query.offset);
      return ok(page(r.entities, r.total));
    },
  );

  app.get(
    "/v1/case/:code/:id/version/:version",
    {
      config: { access: "project.read" },
      schema: { params: CaseVersionParams, response: { 200: CaseResponse } },
    },
    async (req) => ok(await caseAtVersion(ctx, projectOf(req), req.params.id, req.params.version)),
  );
}
