import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { Code } from "../../http/params.js";
import { RowId as Id, UnixSeconds } from "../../http/schema-bounds.js";

const Text = Type.Union([Type.String({ maxLength: 65535 }), Type.Null()]);
const Status = Type.Union([Type.Literal("active"), Type.Literal("completed")]);
/** Unix seconds, up to 9999-12-31. */
const DueDate = Type.Union([UnixSeconds, Type.Null()]);

export const MilestoneParams = Type.Object({ code: Code, id: Id });
export const MilestoneListQuery = Type.Composite([
  PageQuery,
  Type.Object({ search: Type.Optional(Type.String({ maxLength: 255 })) }),
]);

export const MilestoneCreateBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 255 }),
  description: Type.Optional(Text),
  status: Type.Optional(Status),
  due_date: Type.Optional(DueDate),
});

export const MilestoneUpdateBody = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  description: Type.Optional(Text),
  status: Type.Optional(Status),
  due_date: Type.Optional(DueDate),
});

export const Milestone = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  due_date: Type.Union([Type.String(), Type.Null()]),
  created: Type.String(),
  updated: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const MilestoneResponse = OkSchema(Milestone);
export const MilestoneList = ListSchema(Milestone);
export const IdResponse = OkSchema(Type.Object({ id: Type.Integer() }));
