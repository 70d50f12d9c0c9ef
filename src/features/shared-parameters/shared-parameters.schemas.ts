import { Type } from "@sinclair/typebox";
import { OkSchema, PageQuery } from "../../http/envelope.js";

const Title = Type.String({ minLength: 1, maxLength: 255 });
const Kind = Type.Union([Type.Literal("single"), Type.Literal("group")]);
const Codes = Type.Array(Type.String({ minLength: 1, maxLength: 10 }), { maxItems: 1000 });
const Parameter = Type.Object({
  title: Title,
  values: Type.Array(Type.String({ maxLength: 65535 }), { maxItems: 1000 }),
});
const Parameters = Type.Array(Parameter, { minItems: 1, maxItems: 100 });

export const ParameterParams = Type.Object({ id: Type.String({ format: "uuid" }) });
export const ParameterListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    "filters[search]": Type.Optional(Type.String({ maxLength: 255 })),
    "filters[type]": Type.Optional(Kind),
    /** Repeated, or one comma-separated value as qase-api-client sends it. */
    "filters[project_codes][]": Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 1100 }), { maxItems: 100 }),
    ),
  }),
]);

export const ParameterCreateBody = Type.Object({
  title: Title,
  type: Kind,
  project_codes: Type.Optional(Codes),
  is_enabled_for_all_projects: Type.Boolean(),
  parameters: Parameters,
});

export const ParameterUpdateBody = Type.Object({
  title: Type.Optional(Title),
  project_codes: Type.Optional(Codes),
  is_enabled_for_all_projects: Type.Optional(Type.Boolean()),
  parameters: Type.Optional(Parameters),
});

export const SharedParameter = Type.Object({
  id: Type.String(),
  title: Type.String(),
  type: Type.String(),
  project_codes: Type.Array(Type.String()),
  is_enabled_for_all_projects: Type.Boolean(),
  parameters: Type.Array(Type.Object({ title: Type.String(), values: Type.Array(Type.String()) })),
});

export const ParameterResponse = OkSchema(SharedParameter);
/** Qase's shared parameter list has no filtered/count: `total` is what the filters match. */
export const ParameterList = OkSchema(
  Type.Object({ total: Type.Integer(), entities: Type.Array(SharedParameter) }),
);
export const UuidResponse = OkSchema(Type.Object({ id: Type.String() }));
