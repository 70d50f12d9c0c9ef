import { type TSchema, Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { Code } from "../../http/params.js";
import { RowId as Id } from "../../http/schema-bounds.js";

/** Steps nest; the API accepts and returns this many levels (top level included). */
export const MAX_STEP_DEPTH = 5;

const Text = Type.Union([Type.String({ maxLength: 65535 }), Type.Null()]);
const Hash = Type.String({ minLength: 1, maxLength: 64 });
/** Case enums take the option id or its slug (GET /v1/system_field). */
const EnumValue = Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 50 })]);
const Flag = Type.Union([Type.Boolean(), Type.Literal(0), Type.Literal(1)]);
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const CaseParams = Type.Object({ code: Code, id: Id });
export const CaseVersionParams = Type.Object({ code: Code, id: Id, version: Id });

function stepCreate(depth: number): TSchema {
  return Type.Object({
    action: Type.Optional(Text),
    value: Type.Optional(Text),
    shared: Type.Optional(Nullable(Hash)),
    expected_result: Type.Optional(Text),
    data: Type.Optional(Text),
    position: Type.Optional(Type.Integer()),
    attachments: Type.Optional(Nullable(Type.Array(Hash, { maxItems: 100 }))),
    steps: Type.Optional(
      Nullable(
        depth > 1
          ? Type.Array(stepCreate(depth - 1), { maxItems: 1000 })
          : Type.Array(Type.Any(), { maxItems: 0 }),
      ),
    ),
  });
}

const ParamValues = Type.Array(Type.String({ maxLength: 65535 }), { maxItems: 1000 });
export const ParameterSingleIn = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 255 }),
  values: ParamValues,
});
const ParameterIn = Type.Union([
  ParameterSingleIn,
  Type.Object({ items: Type.Array(ParameterSingleIn, { minItems: 1, maxItems: 100 }) }),
  Type.Object({ shared_id: Type.String({ minLength: 1, maxLength: 64 }) }),
]);

const caseWriteFields = {
  description: Type.Optional(Text),
  preconditions: Type.Optional(Text),
  postconditions: Type.Optional(Text),
  severity: Type.Optional(EnumValue),
  priority: Type.Optional(EnumValue),
  behavior: Type.Optional(EnumValue),
  type: Type.Optional(EnumValue),
  layer: Type.Optional(EnumValue),
  is_flaky: Type.Optional(Flag),
  suite_id: Type.Optional(Nullable(Id)),
  milestone_id: Type.Optional(Nullable(Id)),
  automation: Type.Optional(EnumValue),
  isManual: Type.Optional(Flag),
  isToBeAutomated: Type.Optional(Flag),
  status: Type.Optional(EnumValue),
  steps_type: Type.Optional(Nullable(Type.Union([Type.Literal("classic"), Type.Literal("gherkin")]))),
  attachments: Type.Optional(Nullable(Type.Array(Hash, { maxItems: 100 }))),
  steps: Type.Optional(Nullable(Type.Array(stepCreate(MAX_STEP_DEPTH), { maxItems: 1000 }))),
  tags: Type.Optional(Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 100 }))),
  params: Type.Optional(
    Nullable(Type.Record(Type.String({ maxLength: 255 }), ParamValues, { maxProperties: 100 })),
  ),
  parameters: Type.Optional(Nullable(Type.Array(ParameterIn, { maxItems: 100 }))),
  custom_field: Type.Optional(
    Nullable(Type.Record(Type.String(), Nullable(Type.String({ maxLength: 65535 })), { maxProperties: 200 })),
  ),
};

// Blank titles are refused by the service, together with every other problem of the body.
export const CaseCreateBody = Type.Object({
  title: Type.String({ maxLength: 255 }),
  ...caseWriteFields,
  author_id: Type.Optional(Nullable(Id)),
  created_at: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  updated_at: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
});

export const CaseUpdateBody = Type.Object({
  title: Type.Optional(Type.String({ maxLength: 255 })),
  ...caseWriteFields,
});

export const CaseBulkBody = Type.Object({
  cases: Type.Array(
    Type.Composite([CaseCreateBody, Type.Object({ id: Type.Optional(Nullable(Type.Integer())) })]),
    { minItems: 1, maxItems: 1000 },
  ),
});

export const ExternalIssuesBody = Type.Object({
  type: Type.Union([Type.Literal("jira-cloud"), Type.Literal("jira-server")]),
  links: Type.Array(
    Type.Object({
      case_id: Id,
      external_issues: Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 100 }),
    }),
    { minItems: 1, maxItems: 1000 },
  ),
});

export const CaseListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    search: Type.Optional(Type.String({ maxLength: 255 })),
    milestone_id: Type.Optional(Id),
    suite_id: Type.Optional(Id),
    severity: Type.Optional(Type.String({ maxLength: 500 })),
    priority: Type.Optional(Type.String({ maxLength: 500 })),
    type: Type.Optional(Type.String({ maxLength: 500 })),
    behavior: Type.Optional(Type.String({ maxLength: 500 })),
    automation: Type.Optional(Type.String({ maxLength: 500 })),
    status: Type.Optional(Type.String({ maxLength: 500 })),
    /** Verdict extension: comma-separated tag titles; a case matches when it has any of them. */
    tags: Type.Optional(Type.String({ maxLength: 2000 })),
    include: Type.Optional(Type.String({ maxLength: 100 })),
    "external_issues[type]": Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    "external_issues[ids][]": Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { minItems: 1, maxItems: 100 }),
    ),
  }),
]);

export const CaseGetQuery = Type.Object({ include: Type.Optional(Type.String({ maxLength: 100 })) });

// ---- read models (Qase's TestCase) ----

const AttachmentOut = Type.Object({
  hash: Type.String(),
  size: Type.Optional(Type.Integer()),
  mime: Type.Optional(Type.String()),
  filename: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
});

function stepRead(depth: number): TSchema {
  return Type.Object({
    hash: Type.String(),
    shared_step_hash: Nullable(Type.String()),
    shared_step_nested_hash: Nullable(Type.String()),
    position: Type.Integer(),
    action: Type.String(),
    expected_result: Nullable(Type.String()),
    data: Nullable(Type.String()),
    attachments: Type.Array(AttachmentOut),
    steps: depth > 1 ? Type.Array(stepRead(depth - 1)) : Type.Array(Type.Unknown(), { maxItems: 0 }),
  });
}

const ParamSingleOut = Type.Object({ title: Type.String(), values: Type.Array(Type.String()) });
const ParameterOut = Type.Union([
  Type.Object({ type: Type.Literal("single"), shared_id: Type.Null(), item: ParamSingleOut }),
  Type.Object({ type: Type.Literal("group"), shared_id: Type.Null(), items: Type.Array(ParamSingleOut) }),
  Type.Object({ type: Type.Literal("shared"), shared_id: Type.String() }),
]);

export const Case = Type.Object({
  id: Type.Integer(),
  position: Type.Integer(),
  title: Type.String(),
  description: Nullable(Type.String()),
  preconditions: Nullable(Type.String()),
  postconditions: Nullable(Type.String()),
  severity: Type.Integer(),
  priority: Type.Integer(),
  type: Type.Integer(),
  layer: Type.Integer(),
  is_flaky: Type.Integer(),
  behavior: Type.Integer(),
  automation: Type.Integer(),
  isManual: Type.Boolean(),
  isToBeAutomated: Type.Boolean(),
  status: Type.Integer(),
  milestone_id: Nullable(Type.Integer()),
  suite_id: Nullable(Type.Integer()),
  custom_fields: Type.Array(Type.Object({ id: Type.Integer(), value: Nullable(Type.String()) })),
  attachments: Type.Array(AttachmentOut),
  steps_type: Nullable(Type.String()),
  steps: Type.Array(stepRead(MAX_STEP_DEPTH)),
  params: Type.Record(Type.String(), Type.Array(Type.String())),
  parameters: Type.Array(ParameterOut),
  tags: Type.Array(Type.Object({ title: Type.String(), internal_id: Type.Integer() })),
  member_id: Nullable(Type.Integer()),
  author_id: Nullable(Type.Integer()),
  created_at: Type.String(),
  updated_at: Type.String(),
  deleted: Nullable(Type.String()),
  created: Type.String(),
  updated: Type.String(),
  external_issues: Type.Array(
    Type.Object({
      type: Type.String(),
      issues: Type.Array(Type.Object({ id: Type.String(), link: Type.Optional(Type.String()) })),
    }),
  ),
  /** Verdict extension: the case's current version (GET .../version/{n} reads older ones). */
  version: Type.Integer(),
});

export const CaseResponse = OkSchema(Case);
export const CaseList = ListSchema(Case);
export const IdResponse = OkSchema(Type.Object({ id: Type.Integer() }));
export const IdsResponse = OkSchema(Type.Object({ ids: Type.Array(Type.Integer()) }));

export const CaseVersion = Type.Object({
  version: Type.Integer(),
  changed_by: Nullable(Type.Integer()),
  changed_at: Type.String(),
  changes: Type.Array(Type.String()),
  case: Case,
});
export const CaseVersionList = ListSchema(CaseVersion);
