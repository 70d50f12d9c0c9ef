import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { Code } from "../../http/params.js";
import { RowId as Id } from "../../http/schema-bounds.js";

const Text = Type.Union([Type.String({ maxLength: 65535 }), Type.Null()]);
const Title = Type.String({ minLength: 1, maxLength: 255 });
const Slug = Type.String({ minLength: 1, maxLength: 255 });
const Host = Type.Union([Type.String({ maxLength: 2048 }), Type.Null()]);

export const EnvironmentParams = Type.Object({ code: Code, id: Id });
export const EnvironmentListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    search: Type.Optional(Type.String({ maxLength: 255 })),
    slug: Type.Optional(Type.String({ maxLength: 255 })),
  }),
]);

export const EnvironmentCreateBody = Type.Object({
  title: Title,
  slug: Slug,
  description: Type.Optional(Text),
  host: Type.Optional(Host),
});

export const EnvironmentUpdateBody = Type.Object({
  title: Type.Optional(Title),
  slug: Type.Optional(Slug),
  description: Type.Optional(Text),
  host: Type.Optional(Host),
});

export const Environment = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  slug: Type.String(),
  host: Type.Union([Type.String(), Type.Null()]),
});

export const EnvironmentResponse = OkSchema(Environment);
export const EnvironmentList = ListSchema(Environment);
export const IdResponse = OkSchema(Type.Object({ id: Type.Integer() }));
