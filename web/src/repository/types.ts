/** Read models of the repository API (GET /v1/suite, /v1/case, /v1/system_field), as far as the app uses them. */
export interface Suite {
  id: number;
  title: string;
  description: string | null;
  preconditions: string | null;
  position: number;
  cases_count: number;
  parent_id: number | null;
}

export interface Step {
  hash: string;
  position: number;
  action: string;
  expected_result: string | null;
  data: string | null;
  shared_step_hash: string | null;
  attachments: { hash: string }[];
  steps: Step[];
}

/** An attachment as the case read model lists it (details absent when the file is gone). */
export interface AttachmentRef {
  hash: string;
  size?: number;
  mime?: string;
  filename?: string;
  url?: string;
}

export interface TestCase {
  id: number;
  title: string;
  description: string | null;
  preconditions: string | null;
  postconditions: string | null;
  severity: number;
  priority: number;
  type: number;
  layer: number;
  behavior: number;
  automation: number;
  status: number;
  is_flaky: number;
  suite_id: number | null;
  milestone_id: number | null;
  steps_type: string | null;
  steps: Step[];
  tags: { title: string; internal_id: number }[];
  attachments: AttachmentRef[];
  custom_fields: { id: number; value: string | null }[];
  author_id: number | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface CaseVersion {
  version: number;
  changed_by: number | null;
  changed_at: string;
  changes: string[];
  case: TestCase;
}

export interface SystemFieldOption {
  id: number;
  title: string;
  slug: string;
  color: string | null;
  is_default: boolean;
}

export interface SystemField {
  title: string;
  slug: string;
  default_value: string | null;
  options: SystemFieldOption[];
}

/** GET /v1/custom_field; `value` holds the options as JSON text for option types. */
export interface CustomField {
  id: number;
  title: string;
  entity: string;
  type: string;
  placeholder: string | null;
  default_value: string | null;
  value: string | null;
  is_required: boolean;
  is_visible: boolean;
  is_enabled_for_all_projects: boolean;
  projects_codes: string[];
}

/** The case enums the app shows and edits, in form order. */
export const CASE_ENUMS = [
  "severity",
  "priority",
  "type",
  "layer",
  "behavior",
  "automation",
  "status",
] as const;
export type CaseEnum = (typeof CASE_ENUMS)[number];

/** The enums the case list filters on. */
export const FILTER_ENUMS = ["severity", "priority", "type", "automation", "status"] as const;
