import { type TSchema, Type } from "@sinclair/typebox";
import { OkSchema, PageQuery } from "../../http/envelope.js";
import { Case } from "../cases/cases.schemas.js";
import { Defect } from "../defects/defects.schemas.js";
import { Plan } from "../plans/plans.schemas.js";
import { ResultOut } from "../results/results.schemas.js";
import { Run } from "../runs/runs.schemas.js";

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const MAX_QUERY_LENGTH = 1000;

export const SearchQuery = Type.Composite([
  PageQuery,
  Type.Object({
    query: Type.String({
      minLength: 1,
      maxLength: MAX_QUERY_LENGTH,
      description: "Expression in Qase Query Language",
    }),
  }),
]);

/** Verdict extension on every entity: ids are per project, so a cross-project answer names the project. */
const projectCode = { project_code: Type.String() };

/** Qase's qql/*Query schemas: the read models plus the entity's own id key (run_id, result_hash, ...). */
export const ResultQuery = Type.Object({ ...ResultOut.properties, ...projectCode });
export const RunQuery = Type.Object({ ...Run.properties, ...projectCode });
export const TestCaseQuery = Type.Object({
  ...Case.properties,
  test_case_id: Type.Integer(),
  ...projectCode,
});
const { resolved_at: _resolvedAt, ...defectFields } = Defect.properties;
export const DefectQuery = Type.Object({
  ...defectFields,
  defect_id: Type.Integer(),
  resolved: Nullable(Type.String()),
  ...projectCode,
});
export const PlanQuery = Type.Object({ ...Plan.properties, plan_id: Type.Integer(), ...projectCode });

// Each branch requires its own key (result_hash, run_id, ...), so the serializer picks the right one.
export const SearchResponse = OkSchema(
  Type.Object({
    entities: Type.Array(Type.Union([ResultQuery, RunQuery, TestCaseQuery, DefectQuery, PlanQuery])),
    total: Type.Integer(),
  }),
);
