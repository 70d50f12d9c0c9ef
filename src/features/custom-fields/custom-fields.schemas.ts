import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery, StatusOnlySchema } from "../../http/envelope.js";
import { RowId } from "../../http/schema-bounds.js";
import { FIELD_ENTITIES, FIELD_TYPES } from "./custom-fields.catalog.js";

const Title = Type.String({ minLength: 1, maxLength: 255 });
const Short = Type.Union([Type.String({ maxLength: 255 }), Type.Null()]);
const Option = Type.Object({
  id: Type.Optional(RowId),
  title: Title,
});
const Options = Type.Union([Type.Array(Option, { maxItems: 500 }), Type.Null()]);
const Codes = Type.Array(Type.String({ minLength: 1, maxLength: 10 }), { maxItems: 1000 });

export const FieldParams = Type.Object({ id: RowId });
export const FieldListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    entity: Type.Optional(Type.Union(FIELD_ENTITIES.map((e) => Type.Literal(e)))),
    type: Type.Optional(Type.Union(FIELD_TYPES.map((t) => Type.Literal(t)))),
  }),
]);

const common = {
  value: Type.Optional(Options),
  placeholder: Type.Optional(Short),
  default_value: Type.Optional(Short),
  is_filterable: Type.Optional(Type.Boolean()),
  is_visible: Type.Optional(Type.Boolean()),
  is_required: Type.Optional(Type.Boolean()),
  is_enabled_for_all_projects: Type.Optional(Type.Boolean()),
  projects_codes: Type.Optional(Codes),
};

export const FieldCreateBody = Type.Object({
  title: Title,
  entity: Type.Integer({ minimum: 0, maximum: FIELD_ENTITIES.length - 1 }),
  type: Type.Integer({ minimum: 0, maximum: FIELD_TYPES.length - 1 }),
  ...common,
});

export const FieldUpdateBody = Type.Object({
  title: Type.Optional(Title),
  ...common,
  /** Qase's "old value -> new value" rewrite of stored values; not supported, refused when non-empty. */
  replace_values: Type.Optional(
    Type.Union([Type.Record(Type.String(), Type.String(), { maxProperties: 500 }), Type.Null()]),
  ),
});

export const CustomField = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  entity: Type.String(),
  type: Type.String(),
  placeholder: Type.Union([Type.String(), Type.Null()]),
  default_value: Type.Union([Type.String(), Type.Null()]),
  /** The options as a JSON text `[{"id":1,"title":"..."}]` (Qase's v1 shape), null for other types. */
  value: Type.Union([Type.String(), Type.Null()]),
  is_required: Type.Boolean(),
  is_visible: Type.Boolean(),
  is_filterable: Type.Boolean(),
  is_enabled_for_all_projects: Type.Boolean(),
  created: Type.String(),
  updated: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
  projects_codes: Type.Array(Type.String()),
});

export const FieldResponse = OkSchema(CustomField);
export const FieldList = ListSchema(CustomField);
export const IdResponse = OkSchema(Type.Object({ id: Type.Integer() }));
export const StatusResponse = StatusOnlySchema;
