/** Read models of GET /v1/plan, /v1/milestone, /v1/environment and /v1/defect, as far as the app uses them. */
export interface Plan {
  id: number;
  title: string;
  description: string | null;
  cases_count: number;
  updated_at: string;
}

export interface PlanDetailed extends Plan {
  cases: { case_id: number; assignee_id: number | null }[];
}

export interface Milestone {
  id: number;
  title: string;
  description: string | null;
  status: string;
  due_date: string | null;
}

export interface Environment {
  id: number;
  title: string;
  description: string | null;
  slug: string;
  host: string | null;
}

export interface Defect {
  id: number;
  title: string;
  actual_result: string;
  severity: string;
  status: string;
  milestone_id: number | null;
  created_at: string;
  resolved_at: string | null;
}

/** GET /v1/shared_step/{code}: a named list of steps that cases include by hash. */
export interface SharedStepItem {
  hash: string;
  action: string;
  expected_result: string | null;
  data: string | null;
  attachments: { hash: string }[];
  steps: SharedStepItem[];
}

export interface SharedStep {
  hash: string;
  title: string;
  steps: SharedStepItem[];
  cases_count: number;
  updated_at: string;
}

/** GET /v1/custom_field: workspace-wide; `value` holds the options as JSON text for option types. */
export interface CustomField {
  id: number;
  title: string;
  entity: string;
  type: string;
  placeholder: string | null;
  default_value: string | null;
  value: string | null;
  is_required: boolean;
  is_enabled_for_all_projects: boolean;
  projects_codes: string[];
  updated_at: string;
}

/** GET /v1/configuration/{code}: every group with its configurations. */
export interface ConfigurationGroup {
  id: number;
  title: string;
  configurations: { id: number; title: string }[];
}

/** GET /v1/shared_parameter: workspace-wide named value lists that cases are parameterised with. */
export interface SharedParameter {
  id: string;
  title: string;
  type: string;
  project_codes: string[];
  is_enabled_for_all_projects: boolean;
  parameters: { title: string; values: string[] }[];
}
