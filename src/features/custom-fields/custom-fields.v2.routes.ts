import type { AppContext } from "../../context.js";
import { ok, page } from "../../http/envelope.js";
import type { App } from "../../http/types.js";
import type { FieldOption } from "./custom-field-values.js";
import { FieldListQuery, FieldParams } from "./custom-fields.schemas.js";
import { getField, listFieldsPage } from "./custom-fields.service.js";
import { FieldV2List, FieldV2Response } from "./custom-fields.v2.schemas.js";

type V1Field = Awaited<ReturnType<typeof getField>>;

/** v1's presentation reshaped for v2: options as objects, no plain-time `created`/`updated`. */
function v2Field({ created: _c, updated: _u, value, ...rest }: V1Field) {
  return { ...rest, value: value === null ? null : (JSON.parse(value) as FieldOption[]) };
}

/** Qase's v2 custom field reads (`get-custom-fields-v2`, `get-custom-field-v2`), same filters as v1. */
export async function customFieldV2Routes(app: App, ctx: AppContext) {
  app.get(
    "/v2/custom_field",
    {
      config: { access: "project.read" },
      schema: { querystring: FieldListQuery, response: { 200: FieldV2List } },
    },
    async (req) => {
      const q = req.query;
      const r = await listFieldsPage(ctx, { entity: q.entity, type: q.type }, q.limit, q.offset);
      return ok(page(r.entities.map(v2Field), r.total, r.filtered));
    },
  );

  app.get(
    "/v2/custom_field/:id",
    {
      config: { access: "project.read" },
      schema: { params: FieldParams, response: { 200: FieldV2Response } },
    },
    async (req) => ok(v2Field(await getField(ctx, req.params.id))),
  );
}
