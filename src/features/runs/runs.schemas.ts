import { type TSchema, Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { Code } from "../../http/params.js";
import { RowId as Id, UnixSeconds } from "../../http/schema-bounds.js";

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** "YYYY-MM-DD HH:MM:SS" in UTC as every Qase client sends it (ISO 8601 also accepted). */
const DateTimeText = Type.String({ minLength: 1, maxLength: 40 });
const CustomFieldValues = Type.Record(Type.String({ maxLength: 12 }), Type.String({ maxLength: 65535 }), {
  maxProperties: 200,
});

export { CodeParams } from "../../http/params.js";
export const RunParams = Type.Object({ code: Code, id: Id });

export const RunCreateBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 255 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 10000 }))),
  include_all_cases: Type.Optional(Type.Boolean()),
  cases: Type.Optional(Type.Array(Id, { maxItems: 100000 })),
  is_autotest: Type.Optional(Type.Boolean()),
  environment_id: Type.Optional(Nullable(Id)),
  environment_slug: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 255 }))),
  milestone_id: Type.Optional(Nullable(Id)),
  plan_id: Type.Optional(Nullable(Id)),
  author_id: Type.Optional(Nullable(Id)),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: 255 }), { maxItems: 100 })),
  configurations: Type.Optional(Type.Array(Id, { maxItems: 100 })),
  custom_field: Type.Optional(CustomFieldValues),
  start_time: Type.Optional(Nullable(DateTimeText)),
  end_time: Type.Optional(Nullable(DateTimeText)),
  is_cloud: Type.Optional(Type.Boolean()),
  cloud_run_config: Type.Optional(Type.Object({ browser: Type.Optional(Type.String({ maxLength: 20 })) })),
  /** Verdict: the CI build this run belongs to; creating again with the same build_id returns the run. */
  build_id: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
});

export const RunUpdateBody = Type.Object({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  description: Type.Optional(Nullable(Type.String({ maxLength: 10000 }))),
  environment_id: Type.Optional(Nullable(Id)),
  environment_slug: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 255 }))),
  milestone_id: Type.Optional(Nullable(Id)),
  tags: Type.Optional(Nullable(Type.Array(Type.String({ maxLength: 255 }), { maxItems: 100 }))),
  configurations: Type.Optional(Nullable(Type.Array(Id, { maxItems: 100 }))),
  custom_field: Type.Optional(Nullable(CustomFieldValues)),
});

export const RunListQuery = Type.Composite([
  PageQuery,
  Type.Object({
    search: Type.Optional(Type.String({ maxLength: 255 })),
    status: Type.Optional(Type.String({ maxLength: 200 })),
    milestone: Type.Optional(Id),
    environment: Type.Optional(Id),
    from_start_time: Type.Optional(UnixSeconds),
    to_start_time: Type.Optional(UnixSeconds),
    include: Type.Optional(Type.String({ maxLength: 100 })),
    build_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  }),
]);

export const RunGetQuery = Type.Object({ include: Type.Optional(Type.String({ maxLength: 100 })) });

export const PublicBody = Type.Object({ status: Type.Boolean() });

export const RunExternalIssueBody = Type.Object({
  type: Type.Union([Type.Literal("jira-cloud"), Type.Literal("jira-server")]),
  links: Type.Array(
    Type.Object({
      run_id: Id,
      external_issue: Nullable(Type.String({ maxLength: 255 })),
    }),
    { maxItems: 100 },
  ),
});

export const Stats = Type.Object({
  total: Type.Integer(),
  statuses: Type.Record(Type.String(), Type.Integer()),
  untested: Type.Integer(),
  passed: Type.Integer(),
  failed: Type.Integer(),
  blocked: Type.Integer(),
  skipped: Type.Integer(),
  retest: Type.Integer(),
  in_progress: Type.Integer(),
  invalid: Type.Integer(),
  /** Verdict: entries that failed and then passed on retry, or were reported flaky. */
  flaky: Type.Integer(),
});

export const Run = Type.Object({
  id: Type.Integer(),
  run_id: Type.Integer(),
  title: Type.String(),
  description: Nullable(Type.String()),
  status: Type.Integer(),
  status_text: Type.String(),
  start_time: Nullable(Type.String()),
  end_time: Nullable(Type.String()),
  public: Type.Boolean(),
  stats: Stats,
  time_spent: Type.Integer(),
  elapsed_time: Type.Integer(),
  environment: Nullable(
    Type.Object({
      title: Type.String(),
      description: Nullable(Type.String()),
      slug: Type.String(),
      host: Nullable(Type.String()),
    }),
  ),
  milestone: Nullable(Type.Object({ title: Type.String(), description: Nullable(Type.String()) })),
  custom_fields: Type.Array(Type.Object({ id: Type.Integer(), value: Nullable(Type.String()) })),
  tags: Type.Array(Type.Object({ title: Type.String(), internal_id: Type.Integer() })),
  cases: Type.Optional(Type.Array(Type.Integer())),
  plan_id: Nullable(Type.Integer()),
  configurations: Type.Array(Type.Integer()),
  external_issue: Nullable(Type.Object({ id: Type.String(), type: Type.String(), link: Type.String() })),
  /** Verdict: whether a reporter created the run, the CI build and the reporter that sent it. */
  is_autotest: Type.Boolean(),
  build_id: Nullable(Type.String()),
  reporter: Nullable(Type.String()),
});

export const RunResponse = OkSchema(Run);
export const RunList = ListSchema(Run);
export const IdResponse = OkSchema(Type.Object({ id: Type.Integer() }));
export const PublicResponse = OkSchema(Type.Object({ url: Nullable(Type.String()) }));

export const EntryListQuery = Type.Composite([
  PageQuery,
  Type.Object({ status: Type.Optional(Type.String({ maxLength: 500 })) }),
]);

/** Verdict: one line of a run, with the case as the run pinned it. */
export const RunEntry = Type.Object({
  case_id: Nullable(Type.Integer()),
  case_version: Nullable(Type.Integer()),
  title: Nullable(Type.String()),
  params: Type.Record(Type.String(), Type.String()),
  status: Nullable(Type.String()),
  attempts: Type.Integer(),
  is_flaky: Type.Boolean(),
  muted: Type.Boolean(),
  last_result_hash: Nullable(Type.String()),
  /** The suite the case is in now (null outside suites, for a deleted case, or without a case). */
  suite_id: Nullable(Type.Integer()),
});
export const RunEntryList = ListSchema(RunEntry);

/** Verdict: one suite's share of a run, counted over the whole run (the suite each case is in now). */
export const RunSuite = Type.Object({
  /** null for cases outside suites and for tests without a case. */
  suite_id: Nullable(Type.Integer()),
  title: Nullable(Type.String()),
  /** Titles from the root suite down to this one; empty when suite_id is null. */
  path: Type.Array(Type.String()),
  /** The group of lines whose test has no case in the repository. */
  without_case: Type.Boolean(),
  stats: Stats,
});
export const RunSuiteList = ListSchema(RunSuite);
