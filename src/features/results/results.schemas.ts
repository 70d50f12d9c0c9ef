import { type TSchema, Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { Code } from "../../http/params.js";
import { RowId as Id, UnixSeconds } from "../../http/schema-bounds.js";

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Hash = Type.String({ minLength: 1, maxLength: 64 });
const Text = Nullable(Type.String({ maxLength: 1_000_000 }));
const Hashes = Nullable(Type.Array(Hash, { maxItems: 100 }));
/** Result statuses: the five built-in ones or a custom status slug. */
export const StatusSlug = Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_ -]+$" });
const STEP_DEPTH = 8;

export const MAX_RESULTS_PER_BATCH = 2000;
export const MAX_ERROR_CONTEXT = 262_144;
export const MAX_ERROR_CONTEXT_PER_BATCH = 4_194_304;

export const ProjectParams = Type.Object({ code: Code });
export const RunResultParams = Type.Object({ code: Code, id: Id });
export const ResultHashParams = Type.Object({ code: Code, hash: Hash });
export const RunResultHashParams = Type.Object({ code: Code, id: Id, hash: Hash });
export const V2RunParams = Type.Object({ project_code: Code, run_id: Id });

// ---- v1 writes ----

function v1Step(depth: number): TSchema {
  return Type.Object({
    status: StatusSlug,
    position: Type.Optional(Type.Integer()),
    comment: Type.Optional(Text),
    attachments: Type.Optional(Hashes),
    action: Type.Optional(Text),
    expected_result: Type.Optional(Text),
    data: Type.Optional(Text),
    steps: Type.Optional(
      Nullable(
        depth > 1
          ? Type.Array(v1Step(depth - 1), { maxItems: 500 })
          : Type.Array(Type.Any(), { maxItems: 0 }),
      ),
    ),
  });
}

export const V1ResultCreate = Type.Object({
  status: StatusSlug,
  case_id: Type.Optional(Nullable(Id)),
  case: Type.Optional(
    Nullable(
      Type.Object({
        title: Type.Optional(Type.String({ maxLength: 255 })),
        suite_title: Type.Optional(Nullable(Type.String({ maxLength: 10000 }))),
        description: Type.Optional(Text),
        preconditions: Type.Optional(Text),
        postconditions: Type.Optional(Text),
        layer: Type.Optional(Type.String({ maxLength: 50 })),
        severity: Type.Optional(Type.String({ maxLength: 50 })),
        priority: Type.Optional(Type.String({ maxLength: 50 })),
      }),
    ),
  ),
  start_time: Type.Optional(Nullable(UnixSeconds)),
  time: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 31_536_000 }))),
  time_ms: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 31_536_000_000 }))),
  defect: Type.Optional(Nullable(Type.Boolean())),
  attachments: Type.Optional(Hashes),
  stacktrace: Type.Optional(Text),
  comment: Type.Optional(Text),
  param: Type.Optional(
    Nullable(
      Type.Record(Type.String({ maxLength: 255 }), Type.String({ maxLength: 10000 }), { maxProperties: 100 }),
    ),
  ),
  param_groups: Type.Optional(
    Nullable(Type.Array(Type.Array(Type.String({ maxLength: 255 }), { maxItems: 100 }), { maxItems: 100 })),
  ),
  steps: Type.Optional(Nullable(Type.Array(v1Step(STEP_DEPTH), { maxItems: 1000 }))),
  author_id: Type.Optional(Nullable(Id)),
});

/** No maxItems here: more than 2000 results is a 413 with Qase's message, not a 400. */
export const V1BulkBody = Type.Object({ results: Type.Array(V1ResultCreate) });

export const V1ResultUpdate = Type.Object({
  status: Type.Optional(StatusSlug),
  time_ms: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 31_536_000_000 }))),
  defect: Type.Optional(Nullable(Type.Boolean())),
  attachments: Type.Optional(Hashes),
  stacktrace: Type.Optional(Text),
  comment: Type.Optional(Text),
  steps: Type.Optional(Nullable(Type.Array(v1Step(STEP_DEPTH), { maxItems: 1000 }))),
});

export const V1ResultListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    status: Type.Optional(Type.String({ maxLength: 500 })),
    run: Type.Optional(Type.String({ maxLength: 2000 })),
    case_id: Type.Optional(Type.String({ maxLength: 2000 })),
    member: Type.Optional(Type.String({ maxLength: 2000 })),
    api: Type.Optional(Type.Boolean()),
    from_end_time: Type.Optional(Type.String({ maxLength: 40 })),
    to_end_time: Type.Optional(Type.String({ maxLength: 40 })),
  }),
]);

// ---- v2 writes ----

/** A year, in ms: as v1 `time_ms` caps a result's time. */
const DurationMs = Type.Integer({ minimum: 0, maximum: 31_536_000_000 });
const Seconds = Nullable(Type.Number({ minimum: 0, maximum: 32_503_680_000 }));

function v2Step(depth: number): TSchema {
  return Type.Object({
    data: Type.Optional(
      Nullable(
        Type.Object({
          action: Type.Optional(Type.String({ maxLength: 65535 })),
          expected_result: Type.Optional(Text),
          input_data: Type.Optional(Text),
          attachments: Type.Optional(Hashes),
        }),
      ),
    ),
    execution: Type.Optional(
      Nullable(
        Type.Object({
          status: StatusSlug,
          start_time: Type.Optional(Seconds),
          end_time: Type.Optional(Seconds),
          duration: Type.Optional(Nullable(DurationMs)),
          comment: Type.Optional(Text),
          attachments: Type.Optional(Hashes),
        }),
      ),
    ),
    steps: Type.Optional(
      Nullable(
        depth > 1
          ? Type.Array(v2Step(depth - 1), { maxItems: 500 })
          : Type.Array(Type.Any(), { maxItems: 0 }),
      ),
    ),
  });
}

export const V2ResultCreate = Type.Object({
  id: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 128 }))),
  title: Type.String({ minLength: 1, maxLength: 65535 }),
  signature: Type.Optional(Nullable(Type.String({ maxLength: 10000 }))),
  testops_id: Type.Optional(Nullable(Type.Integer())),
  testops_ids: Type.Optional(Nullable(Type.Array(Type.Integer(), { maxItems: 100 }))),
  execution: Type.Object({
    status: StatusSlug,
    start_time: Type.Optional(Seconds),
    end_time: Type.Optional(Seconds),
    duration: Type.Optional(Nullable(DurationMs)),
    stacktrace: Type.Optional(Text),
    // Not limited here: Qase truncates an over-long error_context rather than refusing it.
    error_context: Type.Optional(Nullable(Type.String())),
    thread: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  }),
  fields: Type.Optional(
    Nullable(
      Type.Record(Type.String({ maxLength: 255 }), Nullable(Type.String({ maxLength: 65535 })), {
        maxProperties: 200,
      }),
    ),
  ),
  attachments: Type.Optional(Hashes),
  steps: Type.Optional(Nullable(Type.Array(v2Step(STEP_DEPTH), { maxItems: 1000 }))),
  steps_type: Type.Optional(Nullable(Type.Union([Type.Literal("classic"), Type.Literal("gherkin")]))),
  params: Type.Optional(
    Nullable(
      Type.Record(Type.String({ maxLength: 255 }), Type.String({ maxLength: 10000 }), { maxProperties: 100 }),
    ),
  ),
  param_groups: Type.Optional(
    Nullable(Type.Array(Type.Array(Type.String({ maxLength: 255 }), { maxItems: 100 }), { maxItems: 100 })),
  ),
  relations: Type.Optional(
    Nullable(
      Type.Object({
        suite: Type.Optional(
          Nullable(
            Type.Object({
              data: Type.Array(
                Type.Object({
                  title: Type.String({ maxLength: 255 }),
                  public_id: Type.Optional(Nullable(Type.Integer())),
                }),
                { maxItems: 50 },
              ),
            }),
          ),
        ),
      }),
    ),
  ),
  message: Type.Optional(Text),
  defect: Type.Optional(Nullable(Type.Boolean())),
});

export const V2BulkBody = Type.Object({ results: Type.Array(V2ResultCreate) });

// ---- reads ----

const AttachmentOut = Type.Object({
  hash: Type.String(),
  size: Type.Integer(),
  mime: Type.String(),
  filename: Type.String(),
  url: Type.String(),
});

function stepOut(depth: number): TSchema {
  return Type.Object({
    status: Type.Integer(),
    position: Type.Integer(),
    action: Nullable(Type.String()),
    expected_result: Nullable(Type.String()),
    data: Nullable(Type.String()),
    comment: Type.String(),
    start_time: Nullable(Type.Number()),
    end_time: Nullable(Type.Number()),
    duration_ms: Nullable(Type.Integer()),
    attachments: Type.Array(AttachmentOut),
    steps: depth > 1 ? Type.Array(stepOut(depth - 1)) : Type.Array(Type.Any(), { maxItems: 0 }),
  });
}

export const ResultOut = Type.Object({
  hash: Type.String(),
  result_hash: Type.String(),
  comment: Nullable(Type.String()),
  stacktrace: Nullable(Type.String()),
  run_id: Type.Integer(),
  case_id: Nullable(Type.Integer()),
  steps: Nullable(Type.Array(stepOut(STEP_DEPTH))),
  status: Type.String(),
  is_api_result: Type.Boolean(),
  time_spent_ms: Type.Integer(),
  end_time: Nullable(Type.String()),
  attachments: Type.Array(AttachmentOut),
  /** Verdict: what a reporter sent beyond Qase's v1 read model. */
  title: Nullable(Type.String()),
  signature: Nullable(Type.String()),
  start_time: Nullable(Type.String()),
  params: Type.Record(Type.String(), Type.String()),
  fields: Type.Record(Type.String(), Type.String()),
  suite_path: Type.Array(Type.String()),
  attempt: Type.Integer(),
  is_flaky: Type.Boolean(),
  muted: Type.Boolean(),
  thread: Nullable(Type.String()),
  author_id: Nullable(Type.Integer()),
});

export const ResultResponse = OkSchema(ResultOut);
export const ResultList = ListSchema(ResultOut);
export const CreateResponse = OkSchema(
  Type.Object({ case_id: Nullable(Type.Integer()), hash: Type.String() }),
);
export const HashResponse = OkSchema(Type.Object({ hash: Type.String() }));
