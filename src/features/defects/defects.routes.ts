import type { AppContext } from "../../context.js";
import { publicBase } from "../../http/base-url.js";
import { ok, page, StatusOnlySchema } from "../../http/envelope.js";
import { CodeParams } from "../../http/params.js";
import { principalOf, projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { withAttachmentDetails } from "../attachments/attachment-refs.js";
import {
  DefectCreateBody,
  DefectList,
  DefectListQuery,
  DefectParams,
  DefectResponse,
  DefectResultBody,
  DefectStatusBody,
  DefectUpdateBody,
  IdResponse,
} from "./defects.schemas.js";
import {
  createDefect,
  editDefect,
  getDefect,
  linkDefectToResult,
  listDefectsPage,
  removeDefect,
  setDefectStatus,
} from "./defects.service.js";

export async function defectRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/defect/:code",
    {
      config: { access: "project.read" },
      schema: { params: CodeParams, querystring: DefectListQuery, response: { 200: DefectList } },
    },
    async (req) => {
      const q = req.query;
      const project = projectOf(req);
      const r = await listDefectsPage(ctx, project, q.status, q.limit, q.offset);
      await withAttachmentDetails(ctx.db, project.id, publicBase(ctx, req), r.entities);
      return ok(page(r.entities, r.total, r.filtered));
    },
  );

  app.post(
    "/v1/defect/:code",
    {
      config: { access: "defect.write" },
      schema: { params: CodeParams, body: DefectCreateBody, response: { 200: IdResponse } },
    },
    async (req) => ok({ id: await createDefect(ctx, principalOf(req), projectOf(req), req.body) }),
  );

  app.get(
    "/v1/defect/:code/:id",
    {
      config: { access: "project.read" },
      schema: { params: DefectParams, response: { 200: DefectResponse } },
    },
    async (req) => {
      const project = projectOf(req);
      const d = await getDefect(ctx, project, req.params.id);
      await withAttachmentDetails(ctx.db, project.id, publicBase(ctx, req), [d]);
      return ok(d);
    },
  );

  app.patch(
    "/v1/defect/:code/:id",
    {
      config: { access: "defect.write" },
      schema: { params: DefectParams, body: DefectUpdateBody, response: { 200: IdResponse } },
    },
    async (req) => {
      await editDefect(ctx, projectOf(req), req.params.id, req.body);
      return ok({ id: req.params.id });
    },
  );

  app.delete(
    "/v1/defect/:code/:id",
    { config: { access: "defect.write" }, schema: { params: DefectParams, response: { 200: IdResponse } } },
    async (req) => {
      await removeDefect(ctx, projectOf(req), req.params.id);
      return ok({ id: req.params.id });
    },
  );

  // Verdict: attach a result (and its run) to a defect that already exists.
  app.post(
    "/v1/defect/:code/:id/result",
    {
      config: { access: "defect.write" },
      schema: { params: DefectParams, body: DefectResultBody, response: { 200: IdResponse } },
    },
    async (req) => {
      await linkDefectToResult(ctx, projectOf(req), req.params.id, req.body.hash);
      return ok({ id: req.params.id });
    },
  );

  app.patch(
    "/v1/defect/:code/resolve/:id",
    { config: { access: "defect.write" }, schema: { params: DefectParams, response: { 200: IdResponse } } },
    async (req) => {
      await setDefectStatus(ctx, projectOf(req), req.params.id, "resolved");
      return ok({ id: req.params.id });
    },
  );

  app.patch(
    "/v1/defect/:code/status/:id",
    {
      config: { access: "defect.write" },
      schema: { params: DefectParams, body: DefectStatusBody, response: { 200: StatusOnlySchema } },
    },
    async (req) => {
      await setDefectStatus(ctx, projectOf(req), req.params.id, req.body.status);
      return { status: true };
    },
  );
}
