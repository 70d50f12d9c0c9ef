import { type TSchema, Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { Code } from "../../http/params.js";
import { RowId as Id } from "../../http/schema-bounds.js";
import { MAX_STEP_DEPTH, ParameterSingleIn } from "../cases/cases.schemas.js";

// Qase's Review, Review.detailed, Review.create / update / bulk (testops-api/v1/schemas/Review*.yaml).

const Text = Type.Union([Type.String({ maxLength: 65535 }), Type.Null()]);
const Hash = Type.String({ minLength: 1, maxLength: 64 });
const Uuid = Type.String({ format: "uuid" });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** Qase sends the option id; Verdict also takes the slug, as case writes do. Null keeps the default. */
const EnumValue = Nullable(Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 50 })]));

export const ReviewParams = Type.Object({ code: Code, id: Id });
export const REVIEW_STATUSES = ["open", "merged", "declined"] as const;
export const REVIEW_TYPES = ["create", "edit"] as const;
export const REVIEWER_STATUSES = ["unapproved", "approved", "changes_requested"] as const;

/** A proposed step (Review.StepData); the same shape is read back (Review.ProposedStep). */
function step(depth: number): TSchema {
  return Type.Object({
    action: Type.Optional(Text),
    value: Type.Optional(Text),
    shared: Type.Optional(Nullable(Hash)),
    expected_result: Type.Optional(Text),
    data: Type.Optional(Text),
    attachments: Type.Optional(Nullable(Type.Array(Hash, { maxItems: 100 }))),
    steps: Type.Optional(
      Nullable(
        depth > 1 ? Type.Array(step(depth - 1), { maxItems: 1000 }) : Type.Array(Type.Any(), { maxItems: 0 }),
      ),
    ),
  });
}
const Steps = Type.Array(step(MAX_STEP_DEPTH), { maxItems: 1000 });

const ParameterIn = Type.Union([
  ParameterSingleIn,
  Type.Object({ items: Type.Array(ParameterSingleIn, { minItems: 1, maxItems: 100 }) }),
  Type.Object({ shared_id: Type.String({ minLength: 1, maxLength: 64 }) }),
]);

/** Review.CaseData: every field optional; a create review needs a title (checked by the service). */
export const ProposedCaseIn = Type.Object({
  title: Type.Optional(Type.String({ maxLength: 255 })),
  description: Type.Optional(Text),
  preconditions: Type.Optional(Text),
  postconditions: Type.Optional(Text),
  severity: Type.Optional(EnumValue),
  priority: Type.Optional(EnumValue),
  behavior: Type.Optional(EnumValue),
  type: Type.Optional(EnumValue),
  layer: Type.Optional(EnumValue),
  status: Type.Optional(EnumValue),
  is_flaky: Type.Optional(Nullable(Type.Union([Type.Literal(0), Type.Literal(1)]))),
  is_muted: Type.Optional(Type.Boolean()),
  suite_id: Type.Optional(Nullable(Id)),
  milestone_id: Type.Optional(Nullable(Id)),
  is_manual: Type.Optional(Type.Boolean()),
  is_to_be_automated: Type.Optional(Type.Boolean()),
  steps_type: Type.Optional(Type.Union([Type.Literal("classic"), Type.Literal("gherkin")])),
  attachments: Type.Optional(Type.Array(Hash, { maxItems: 100 })),
  steps: Type.Optional(Steps),
  tags: Type.Optional(Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 100 }))),
  parameters: Type.Optional(Nullable(Type.Array(ParameterIn, { maxItems: 100 }))),
  custom_field: Type.Optional(
    Type.Record(Type.String({ maxLength: 20 }), Nullable(Type.String({ maxLength: 65535 })), {
      maxProperties: 200,
    }),
  ),
});

const Reviewers = Type.Array(Uuid, { maxItems: 20 });

export const ReviewCreateBody = Type.Object({
  case_id: Type.Optional(Nullable(Id)),
  reviewers: Type.Optional(Reviewers),
  proposed_case: ProposedCaseIn,
});

export const ReviewUpdateBody = Type.Object({
  reviewers: Type.Optional(Reviewers),
  proposed_case: Type.Optional(ProposedCaseIn),
});

export const ReviewBulkBody = Type.Object({
  reviews: Type.Array(ReviewCreateBody, { minItems: 1, maxItems: 100 }),
});

export const ReviewListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    status: Type.Optional(Type.Union(REVIEW_STATUSES.map((s) => Type.Literal(s)))),
    type: Type.Optional(Type.Union(REVIEW_TYPES.map((s) => Type.Literal(s)))),
    case_id: Type.Optional(Id),
    author_uuid: Type.Optional(Uuid),
    reviewer_uuid: Type.Optional(Uuid),
    search: Type.Optional(Type.String({ maxLength: 255 })),
  }),
]);

/** Verdict extension: an assigned reviewer's verdict on an open review. */
export const ReviewVerdictBody = Type.Object({
  status: Type.Union(REVIEWER_STATUSES.map((s) => Type.Literal(s))),
});

// ---- read models ----

const ParamSingleOut = Type.Object({ title: Type.String(), values: Type.Array(Type.String()) });

/** Review.ProposedCase: only the fields the proposal carries are present. */
const ProposedCaseOut = Type.Object({
  title: Type.Optional(Type.String()),
  description: Type.Optional(Nullable(Type.String())),
  preconditions: Type.Optional(Nullable(Type.String())),
  postconditions: Type.Optional(Nullable(Type.String())),
  severity: Type.Optional(Nullable(Type.Integer())),
  priority: Type.Optional(Nullable(Type.Integer())),
  behavior: Type.Optional(Nullable(Type.Integer())),
  type: Type.Optional(Nullable(Type.Integer())),
  layer: Type.Optional(Nullable(Type.Integer())),
  status: Type.Optional(Nullable(Type.Integer())),
  is_flaky: Type.Optional(Nullable(Type.Integer())),
  is_muted: Type.Optional(Type.Boolean()),
  suite_id: Type.Optional(Nullable(Type.Integer())),
  milestone_id: Type.Optional(Nullable(Type.Integer())),
  is_manual: Type.Optional(Type.Boolean()),
  is_to_be_automated: Type.Optional(Type.Boolean()),
  steps_type: Type.Optional(Type.String()),
  attachments: Type.Optional(Type.Array(Type.String())),
  steps: Type.Optional(Steps),
  tags: Type.Optional(Nullable(Type.Array(Type.String()))),
  parameters: Type.Optional(
    Type.Array(
      Type.Union([
        Type.Object({ type: Type.Literal("single"), shared_id: Type.Null(), item: ParamSingleOut }),
        Type.Object({
          type: Type.Literal("group"),
          shared_id: Type.Null(),
          items: Type.Array(ParamSingleOut),
        }),
        Type.Object({ type: Type.Literal("shared"), shared_id: Type.String() }),
      ]),
    ),
  ),
  custom_fields: Type.Optional(
    Type.Array(Type.Object({ id: Type.Integer(), value: Nullable(Type.String()) })),
  ),
});

const reviewFields = {
  id: Type.Integer(),
  title: Type.String(),
  type: Type.String(),
  status: Type.String(),
  case_id: Nullable(Type.Integer()),
  author_uuid: Nullable(Type.String()),
  reviewers: Type.Array(Type.Object({ author_uuid: Nullable(Type.String()), status: Type.String() })),
  created_at: Type.String(),
  updated_at: Nullable(Type.String()),
};

export const Review = Type.Object(reviewFields);
export const ReviewDetailed = Type.Object({
  ...reviewFields,
  proposed_case: Nullable(ProposedCaseOut),
  /** Verdict extensions: when the review was merged or declined, and the case version a merge made. */
  closed_at: Nullable(Type.String()),
  merged_case_version: Nullable(Type.Integer()),
});

export const ReviewList = ListSchema(Review);
export const ReviewResponse = OkSchema(ReviewDetailed);
export const IdResponse = OkSchema(Type.Object({ id: Type.Integer() }));
export const ReviewBulkResponse = OkSchema(
  Type.Object({
    items: Type.Array(
      Type.Object({
        review_id: Nullable(Type.Integer()),
        case_id: Nullable(Type.Integer()),
        error: Nullable(Type.String()),
      }),
    ),
  }),
);
export const MergeResponse = OkSchema(
  Type.Object({ id: Type.Integer(), case_id: Type.Integer(), case_version: Type.Integer() }),
);
