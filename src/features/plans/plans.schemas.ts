import { type TSchema, Type } from "@sinclair/typebox";
import { ListSchema, OkSchema } from "../../http/envelope.js";
import { Code } from "../../http/params.js";
import { RowId as Id } from "../../http/schema-bounds.js";

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Description = Nullable(Type.String({ maxLength: 65535 }));
const CaseIds = Type.Array(Id, { minItems: 1, maxItems: 10000 });
/** Who runs which case of the plan: assignee_id null unassigns. */
const Assignments = Type.Array(Type.Object({ case_id: Id, assignee_id: Nullable(Id) }), { maxItems: 10000 });

export const PlanParams = Type.Object({ code: Code, id: Id });

// Blank titles are refused by the service, together with the other problems of the body.
export const PlanCreateBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 255 }),
  description: Type.Optional(Description),
  cases: CaseIds,
  assignments: Type.Optional(Assignments),
});

export const PlanUpdateBody = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  description: Type.Optional(Description),
  cases: Type.Optional(CaseIds),
  assignments: Type.Optional(Assignments),
});

const planFields = {
  id: Type.Integer(),
  title: Type.String(),
  description: Nullable(Type.String()),
  cases_count: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
  created: Type.String(),
  updated: Type.String(),
};

export const Plan = Type.Object(planFields);
export const PlanDetailed = Type.Object({
  ...planFields,
  average_time: Type.Number(),
  cases: Type.Array(Type.Object({ case_id: Type.Integer(), assignee_id: Nullable(Type.Integer()) })),
});

export const PlanList = ListSchema(Plan);
export const PlanResponse = OkSchema(PlanDetailed);
export const IdResponse = OkSchema(Type.Object({ id: Type.Integer() }));
