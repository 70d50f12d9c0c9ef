import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { RowId } from "../../http/schema-bounds.js";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const Token = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  preview: Type.String(),
  scopes: Type.Array(Type.String()),
  projects: Nullable(Type.Array(Type.String())),
  status: Type.String(),
  created_at: Type.String(),
  expires_at: Nullable(Type.String()),
  rotated_at: Nullable(Type.String()),
  last_used_at: Nullable(Type.String()),
  last_used_ip: Nullable(Type.String()),
  revoked_at: Nullable(Type.String()),
  user: Type.Object({ id: Type.Integer(), email: Type.String(), name: Type.String() }),
});

export const IssuedToken = Type.Intersect([Token, Type.Object({ token: Type.String() })]);

export const TokenCreateBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 255 }),
  expires_in_days: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 3650 }))),
  expires_at: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  scopes: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { minItems: 1, maxItems: 10 })),
  projects: Type.Optional(Nullable(Type.Array(Type.String({ maxLength: 10 }), { maxItems: 1000 }))),
});

export const TokenListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    all: Type.Boolean({ default: false }),
    include_revoked: Type.Boolean({ default: false }),
  }),
]);

export const TokenIdParams = Type.Object({ id: RowId });

export const TokenList = ListSchema(Token);
export const IssuedTokenResponse = OkSchema(IssuedToken);
