import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { OkSchema, ok } from "../../http/envelope.js";
import type { App } from "../../http/types.js";
import { systemFields } from "./system-fields.catalog.js";

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const SystemField = Type.Object({
  title: Type.String(),
  slug: Type.String(),
  default_value: Nullable(Type.String()),
  is_required: Type.Boolean(),
  entity: Type.Integer(),
  type: Type.Integer(),
  options: Type.Array(
    Type.Object({
      id: Type.Integer(),
      title: Type.String(),
      slug: Type.String(),
      color: Nullable(Type.String()),
      icon: Nullable(Type.String()),
      is_default: Type.Boolean(),
      read_only: Type.Boolean(),
    }),
  ),
});

/** GET /v1/system_field: the id <-> slug map of every case enum (a plain array, as Qase answers). */
export async function systemFieldRoutes(app: App, _ctx: AppContext) {
  app.get(
    "/v1/system_field",
    {
      config: { access: "project.read" },
      schema: { response: { 200: OkSchema(Type.Array(SystemField)) } },
    },
    async () => ok(systemFields()),
  );
}
