import { type TSchema, Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { Code } from "../../http/params.js";
import { RowId as Id } from "../../http/schema-bounds.js";

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Hash = Type.String({ minLength: 1, maxLength: 64 });

export const DEFECT_STATUSES = ["open", "in_progress", "resolved", "invalid"] as const;
export type DefectStatus = (typeof DEFECT_STATUSES)[number];

export const DefectParams = Type.Object({ code: Code, id: Id });
export const DefectListQuery = Type.Composite([
  PageQuery,
  Type.Object({ status: Type.Optional(Type.Union(DEFECT_STATUSES.map((s) => Type.Literal(s)))) }),
]);

const writable = {
  milestone_id: Type.Optional(Nullable(Id)),
  attachments: Type.Optional(Nullable(Type.Array(Hash, { maxItems: 100 }))),
  custom_field: Type.Optional(
    Nullable(Type.Record(Type.String(), Nullable(Type.String({ maxLength: 65535 })), { maxProperties: 200 })),
  ),
  tags: Type.Optional(Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 100 }))),
};
/** A severity id of GET /v1/system_field (0 undefined, 1 blocker ... 6 trivial) or its slug. */
const Severity = Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 50 })]);
const Title = Type.String({ minLength: 1, maxLength: 255 });
const ActualResult = Type.String({ maxLength: 65535 });

// Blank titles are refused by the service, together with the other problems of the body.
export const DefectCreateBody = Type.Object({
  title: Title,
  actual_result: ActualResult,
  severity: Severity,
  ...writable,
});

export const DefectUpdateBody = Type.Object({
  title: Type.Optional(Title),
  actual_result: Type.Optional(ActualResult),
  severity: Type.Optional(Severity),
  ...writable,
});

/** A result of the project to link a defect to (its run is linked too). */
export const DefectResultBody = Type.Object({ hash: Type.String({ minLength: 1, maxLength: 64 }) });

export const DefectStatusBody = Type.Object({
  status: Type.Union([Type.Literal("in_progress"), Type.Literal("resolved"), Type.Literal("invalid")]),
});

export const Defect = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  actual_result: Type.String(),
  severity: Type.String(),
  status: Type.String(),
  milestone_id: Nullable(Type.Integer()),
  custom_fields: Type.Array(Type.Object({ id: Type.Integer(), value: Nullable(Type.String()) })),
  attachments: Type.Array(
    Type.Object({
      hash: Type.String(),
      size: Type.Optional(Type.Integer()),
      mime: Type.Optional(Type.String()),
      filename: Type.Optional(Type.String()),
      url: Type.Optional(Type.String()),
    }),
  ),
  resolved_at: Nullable(Type.String()),
  member_id: Nullable(Type.Integer()),
  author_id: Nullable(Type.Integer()),
  external_data: Type.String(),
  runs: Type.Array(Type.Integer()),
  results: Type.Array(Type.String()),
  tags: Type.Array(Type.Object({ title: Type.String(), internal_id: Type.Integer() })),
  created_at: Type.String(),
  updated_at: Type.String(),
  created: Type.String(),
  updated: Type.String(),
});

export const DefectList = ListSchema(Defect);
export const DefectResponse = OkSchema(Defect);
export const IdResponse = OkSchema(Type.Object({ id: Type.Integer() }));
