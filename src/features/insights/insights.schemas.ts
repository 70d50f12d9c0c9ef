import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { Code } from "../../http/params.js";
import { MAX_ROW_ID, RowId } from "../../http/schema-bounds.js";

export const CompareParams = Type.Object({ code: Code, id: RowId });
export const CompareQuery = Type.Object({
  with: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_ROW_ID,
      description:
        "The run to compare with. Omitted: the latest earlier run of the same plan if the run has a plan, " +
        "else of the same title with its numbers stripped ('Nightly #123' ~ 'Nightly #122').",
    }),
  ),
});

const CaseIds = (description: string) => Type.Array(Type.Integer(), { description });

const DurationChange = Type.Object({
  case_id: Type.Integer(),
  before_ms: Type.Integer(),
  after_ms: Type.Integer(),
  change_ms: Type.Integer({ description: "after_ms - before_ms: positive when the test got slower" }),
});

const Comparison = Type.Object(
  {
    run_id: Type.Integer(),
    with_id: Type.Integer(),
    new_failures: CaseIds(
      "Failing in this run, not failing in `with` (passed, skipped, blocked, untested or absent there): " +
        "a new test that fails is in new_tests and in new_failures.",
    ),
    fixed: CaseIds("Passing in this run, failing in `with`."),
    still_failing: CaseIds("Failing in both runs."),
    new_tests: CaseIds("With a result in this run, none in `with`."),
    missing_tests: CaseIds("With a result in `with`, none in this run."),
    duration_changes: Type.Array(DurationChange, {
      description:
        "The 20 tests whose duration changed most (by absolute change), with a duration in both runs.",
    }),
    counts: Type.Object({
      new_failures: Type.Integer(),
      fixed: Type.Integer(),
      still_failing: Type.Integer(),
      new_tests: Type.Integer(),
      missing_tests: Type.Integer(),
      duration_changes: Type.Integer({
        description: "All tests whose duration changed, not only the top 20.",
      }),
    }),
  },
  {
    description:
      "Per case (lists are sorted case ids), from the latest result of each of its lines in each run. " +
      "Failing: failed or invalid; passing: passed; blocked, skipped and other statuses are neither. " +
      "A case with several lines (parameter sets) fails if one fails, passes if one passes and none " +
      "fails; its duration is the sum of its lines' latest durations. Untested lines count as absent.",
  },
);
export const CompareResponse = OkSchema(Comparison);

export const FailuresParams = Type.Object({ code: Code });
export const FailuresQuery = Type.Composite([PageQuery, Type.Object({ run_id: RowId })]);

const FailureGroup = Type.Object(
  {
    signature: Type.String({ description: "Stable hash (hex) of the normalised error" }),
    message: Type.String({ description: "The group's message, normalised (values shown as <n>, <str>...)" }),
    count: Type.Integer({ description: "Failing results in the group" }),
    case_ids: Type.Array(Type.Integer()),
    result_hashes: Type.Array(Type.String()),
    first_seen: Type.String({ description: "Earliest result time in the group (ISO 8601)" }),
    last_seen: Type.String({ description: "Latest result time in the group (ISO 8601)" }),
  },
  {
    description:
      "The run's failed and invalid results grouped by error: the message and the top 3 stack frames " +
      "with numbers, ids, hex strings, UUIDs, temporary paths, dates, durations and quoted values " +
      "taken out. Largest groups first.",
  },
);
export const FailureGroupList = ListSchema(FailureGroup);
