import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { Code } from "../../http/params.js";
import { RowId as Id } from "../../http/schema-bounds.js";

const Text = Type.Union([Type.String({ maxLength: 65535 }), Type.Null()]);

export const SuiteParams = Type.Object({ code: Code, id: Id });
export const SuiteListQuery = Type.Composite([
  PageQuery,
  Type.Object({ search: Type.Optional(Type.String({ maxLength: 255 })) }),
]);

export const SuiteCreateBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 255 }),
  description: Type.Optional(Text),
  preconditions: Type.Optional(Text),
  parent_id: Type.Optional(Type.Union([Id, Type.Null()])),
});

export const SuiteUpdateBody = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  description: Type.Optional(Text),
  preconditions: Type.Optional(Text),
  parent_id: Type.Optional(Type.Union([Id, Type.Null()])),
  /** Verdict extension: 1-based place among the (new) parent's children; later siblings shift down. */
  position: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
});

/** Optional: qase-api-client sends the JSON string "" when it has no body to give. */
export const SuiteDeleteBody = Type.Union([
  Type.Object({ destination_id: Type.Optional(Type.Union([Id, Type.Null()])) }),
  Type.Null(),
  Type.Literal(""),
]);

export const Suite = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  preconditions: Type.Union([Type.String(), Type.Null()]),
  position: Type.Integer(),
  cases_count: Type.Integer(),
  parent_id: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
  created: Type.String(),
  updated: Type.String(),
});

export const SuiteResponse = OkSchema(Suite);
export const SuiteList = ListSchema(Suite);
export const IdResponse = OkSchema(Type.Object({ id: Type.Integer() }));
