import { type TSchema, Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { Code } from "../../http/params.js";

/** Nesting accepted and returned, top level included (as for case steps). */
export const MAX_SHARED_STEP_DEPTH = 5;

const Text = Type.Union([Type.String({ maxLength: 65535 }), Type.Null()]);
const Hash = Type.String({ minLength: 1, maxLength: 64 });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const SharedStepParams = Type.Object({ code: Code, hash: Hash });
export const SharedStepListQuery = Type.Composite([
  PageQuery,
  Type.Object({ search: Type.Optional(Type.String({ maxLength: 255 })) }),
]);

function stepIn(depth: number): TSchema {
  return Type.Object({
    hash: Type.Optional(Nullable(Hash)),
    action: Type.String({ maxLength: 65535 }),
    expected_result: Type.Optional(Text),
    data: Type.Optional(Text),
    attachments: Type.Optional(Nullable(Type.Array(Hash, { maxItems: 100 }))),
    steps: Type.Optional(
      Nullable(
        depth > 1
          ? Type.Array(stepIn(depth - 1), { maxItems: 1000 })
          : Type.Array(Type.Any(), { maxItems: 0 }),
      ),
    ),
  });
}

const writeFields = {
  /** Deprecated single-step form: used when `steps` is absent. */
  action: Type.Optional(Text),
  expected_result: Type.Optional(Text),
  data: Type.Optional(Text),
  steps: Type.Optional(Nullable(Type.Array(stepIn(MAX_SHARED_STEP_DEPTH), { maxItems: 1000 }))),
};

export const SharedStepCreateBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 255 }),
  ...writeFields,
});
export const SharedStepUpdateBody = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  ...writeFields,
});

function stepOut(depth: number): TSchema {
  return Type.Object({
    data: Type.String(),
    hash: Type.String(),
    action: Type.String(),
    expected_result: Type.String(),
    attachments: Type.Array(Type.Object({ hash: Type.String() })),
    steps: depth > 1 ? Type.Array(stepOut(depth - 1)) : Type.Array(Type.Unknown(), { maxItems: 0 }),
  });
}

export const SharedStep = Type.Object({
  hash: Type.String(),
  title: Type.String(),
  action: Type.String(),
  expected_result: Type.String(),
  steps: Type.Array(stepOut(MAX_SHARED_STEP_DEPTH)),
  data: Type.String(),
  cases: Type.Array(Type.Integer()),
  cases_count: Type.Integer(),
  created: Type.String(),
  updated: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const SharedStepResponse = OkSchema(SharedStep);
export const SharedStepList = ListSchema(SharedStep);
export const HashResponse = OkSchema(Type.Object({ hash: Type.String() }));
