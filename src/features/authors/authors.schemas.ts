import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";

export const AuthorListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    search: Type.Optional(Type.String({ maxLength: 255 })),
    type: Type.Optional(Type.Union([Type.Literal("app"), Type.Literal("user")])),
  }),
]);

/** An author UUID, or the deprecated integer id. */
export const AuthorParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 36 }) });

export const Author = Type.Object({
  id: Type.Integer(),
  uuid: Type.String(),
  author_id: Type.Integer(),
  entity_type: Type.String(),
  entity_id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  is_active: Type.Boolean(),
});

export const AuthorResponse = OkSchema(Author);
export const AuthorList = ListSchema(Author);
