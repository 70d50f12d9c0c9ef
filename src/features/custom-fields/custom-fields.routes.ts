import type { AppContext } from "../../context.js";
import { ok, page } from "../../http/envelope.js";
import type { App } from "../../http/types.js";
import {
  FieldCreateBody,
  FieldList,
  FieldListQuery,
  FieldParams,
  FieldResponse,
  FieldUpdateBody,
  IdResponse,
  StatusResponse,
} from "./custom-fields.schemas.js";
import { createField, editField, getField, listFieldsPage, removeField } from "./custom-fields.service.js";
import { customFieldV2Routes } from "./custom-fields.v2.routes.js";

/** Workspace-level: no project code; writes belong to workspace admins. */
export async function customFieldRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/custom_field",
    {
      config: { access: "project.read" },
      schema: { querystring: FieldListQuery, response: { 200: FieldList } },
    },
    async (req) => {
      const q = req.query;
      const r = await listFieldsPage(ctx, { entity: q.entity, type: q.type }, q.limit, q.offset);
      return ok(page(r.entities, r.total, r.filtered));
    },
  );

  app.post(
    "/v1/custom_field",
    {
      config: { access: "settings.manage" },
      schema: { body: FieldCreateBody, response: { 200: IdResponse } },
    },
    async (req) => ok({ id: await createField(ctx, req.body) }),
  );

  app.get(
    "/v1/custom_field/:id",
    {
      config: { access: "project.read" },
      schema: { params: FieldParams, response: { 200: FieldResponse } },
    },
    async (req) => ok(await getField(ctx, req.params.id)),
  );

  app.patch(
    "/v1/custom_field/:id",
    {
      config: { access: "settings.manage" },
      schema: { params: FieldParams, body: FieldUpdateBody, response: { 200: StatusResponse } },
    },
    async (req) => {
      await editField(ctx, req.params.id, req.body);
      return { status: true };
    },
  );

  app.delete(
    "/v1/custom_field/:id",
    {
      config: { access: "settings.manage" },
      schema: { params: FieldParams, response: { 200: StatusResponse } },
    },
    async (req) => {
      await removeField(ctx, req.params.id);
      return { status: true };
    },
  );

  await customFieldV2Routes(app, ctx);
}
