import type { ColumnType, Generated, Kysely, Transaction } from "kysely";

/** Times are epoch milliseconds (bigint in PostgreSQL, integer in SQLite); flags are 0/1 integers. */
type Millis = number;
type Flag = number;

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string | null;
  role: string;
  is_active: Flag;
  created_at: Millis;
  updated_at: Millis;
}

export interface SessionsTable {
  id: Generated<number>;
  user_id: number;
  secret_hash: string;
  created_at: Millis;
  expires_at: Millis;
  last_seen_at: Millis;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  secret_hash: string;
  preview: string;
  /** Comma-separated scope names. */
  scopes: string;
  /** JSON array of project codes, or null for every project the owner can reach. */
  projects: string | null;
  expires_at: Millis | null;
  /** Lifetime kept so that rotation gives the new secret the same policy; null = never expires. */
  lifetime_ms: Millis | null;
  created_at: Millis;
  rotated_at: Millis | null;
  last_used_at: Millis | null;
  last_used_ip: string | null;
  revoked_at: Millis | null;
}

export interface ProjectsTable {
  id: Generated<number>;
  code: string;
  title: string;
  description: string | null;
  access: string;
  settings: string;
  created_by: number | null;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
  /** Live cases, kept by triggers (migration 0010). */
  cases_count: Generated<number>;
}

export interface ProjectMembersTable {
  project_id: number;
  user_id: number;
  created_at: Millis;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Millis;
  actor_user_id: number | null;
  actor_token_id: number | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: ColumnType<Millis, Millis | undefined, Millis>;
}

export interface ProjectSequencesTable {
  project_id: number;
  entity: string;
  last_id: number;
}

/** Per-project entities are keyed (project_id, id): `id` is the number users see (CODE-12). */
export interface SuitesTable {
  project_id: number;
  id: number;
  parent_id: number | null;
  title: string;
  description: string | null;
  preconditions: string | null;
  position: number;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

/** Enum columns hold the ids published by GET /v1/system_field; JSON columns hold text. */
export interface CasesTable {
  project_id: number;
  id: number;
  suite_id: number | null;
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
  is_flaky: Flag;
  milestone_id: number | null;
  steps_type: string | null;
  steps: string;
  parameters: string;
  tags: string;
  custom_fields: string;
  attachments: string;
  external_issues: string;
  /** Stable identity of an automated test (file, suite, name, params) for matching reporter results. */
  signature: string | null;
  position: number;
  author_id: number | null;
  version: number;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

/** The state of a case at each version (snapshot as JSON), who changed it and which fields. */
export interface CaseVersionsTable {
  project_id: number;
  case_id: number;
  version: number;
  snapshot: string;
  changes: string;
  changed_by: number | null;
  changed_at: Millis;
}

/** Workspace tags: one id per distinct title, shown as internal_id. */
export interface TagsTable {
  id: Generated<number>;
  title: string;
  created_at: Millis;
}

export interface MilestonesTable {
  project_id: number;
  id: number;
  title: string;
  description: string | null;
  /** active | completed */
  status: string;
  due_date: Millis | null;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

export interface EnvironmentsTable {
  project_id: number;
  id: number;
  title: string;
  slug: string;
  description: string | null;
  host: string | null;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

export interface ConfigurationGroupsTable {
  id: Generated<number>;
  project_id: number;
  title: string;
  created_at: Millis;
}

export interface ConfigurationsTable {
  id: Generated<number>;
  group_id: number;
  project_id: number;
  title: string;
  created_at: Millis;
}

/** A test plan: a chosen set of cases (plan_cases), each optionally assigned to a user. */
export interface PlansTable {
  project_id: number;
  id: number;
  title: string;
  description: string | null;
  author_id: number | null;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

export interface PlanCasesTable {
  project_id: number;
  plan_id: number;
  case_id: number;
  assignee_id: number | null;
}

/** Severity holds the system-field id (0..6); status is open | in_progress | resolved | invalid. */
export interface DefectsTable {
  project_id: number;
  id: number;
  title: string;
  actual_result: string;
  severity: number;
  status: string;
  milestone_id: number | null;
  custom_fields: string;
  attachments: string;
  tags: string;
  author_id: number | null;
  resolved_at: Millis | null;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

/** Where a defect was found: a run, and the result in it when known. */
export interface DefectLinksTable {
  project_id: number;
  defect_id: number;
  run_id: number;
  result_hash: string | null;
}

/** One distinct content on disk, named by its SHA-256; the workspace quota sums these sizes. */
export interface AttachmentBlobsTable {
  sha256: string;
  size: number;
  created_at: Millis;
}

/** One uploaded file: `hash` is the public id; the content lives in attachment_blobs / on disk. */
export interface AttachmentsTable {
  id: Generated<number>;
  hash: string;
  project_id: number;
  sha256: string;
  filename: string;
  mime: string;
  extension: string;
  size: number;
  uploaded_by: number | null;
  created_at: Millis;
  deleted_at: Millis | null;
}

/** A test run; stats are computed from its entries. status: 0 in progress, 1 completed, 2 aborted. */
export interface RunsTable {
  project_id: number;
  id: number;
  title: string;
  description: string | null;
  status: number;
  is_autotest: Flag;
  environment_id: number | null;
  milestone_id: number | null;
  plan_id: number | null;
  author_id: number | null;
  tags: string;
  configurations: string;
  custom_fields: string;
  build_id: string | null;
  client: string | null;
  public_hash: string | null;
  /** JSON {type, link} of the linked issue tracker ticket, or null. */
  external_issue: string | null;
  /** Live results of the run, kept by ingestion and deletion: list totals read it instead of counting. */
  results_count: Generated<number>;
  /** Sum of the live results' durations (ms), kept with results_count. */
  time_spent_ms: Generated<number>;
  /** Earliest start and latest end of its results' times, kept by ingestion (0018); null without times. */
  results_start: Millis | null;
  results_end: Millis | null;
  start_time: Millis | null;
  end_time: Millis | null;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

/** One line of a run (a case and parameter set, or an unlinked test): its current status. */
export interface RunEntriesTable {
  project_id: number;
  run_id: number;
  entry_key: string;
  case_id: number | null;
  case_version: number | null;
  title: string | null;
  params: string | null;
  /** null while untested */
  status: string | null;
  last_result_hash: string | null;
  attempts: number;
  failed_attempts: number;
  marked_flaky: Flag;
  muted: Flag;
  updated_at: Millis;
}

/** A run's entries per current status ('' for untested) and how many of them are flaky; kept by triggers. */
export interface RunStatusCountsTable {
  project_id: number;
  run_id: number;
  status: string;
  entries: number;
  flaky: number;
}

/** Every result received, retries included; `hash` is the public id. Times in ms. */
export interface ResultsTable {
  seq: Generated<number>;
  hash: string;
  project_id: number;
  run_id: number;
  entry_key: string;
  case_id: number | null;
  idem_key: string | null;
  status: string;
  title: string | null;
  signature: string | null;
  comment: string | null;
  stacktrace: string | null;
  error_context: string | null;
  start_time: Millis | null;
  end_time: Millis | null;
  duration_ms: number | null;
  thread: string | null;
  steps_type: string | null;
  steps: string;
  attachments: string;
  params: string;
  param_groups: string;
  fields: string;
  suite_path: string;
  is_api: Flag;
  attempt: number;
  is_flaky: Flag;
  muted: Flag;
  author_id: number | null;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

/** A workspace custom field; entity 0 case, 1 run, 2 defect; type 0..9 as Qase numbers them. */
export interface CustomFieldsTable {
  id: Generated<number>;
  title: string;
  entity: number;
  type: number;
  /** JSON [{id, title}] for selectbox, radio and multiselect fields; [] otherwise. */
  options: string;
  placeholder: string | null;
  default_value: string | null;
  is_required: Flag;
  is_visible: Flag;
  is_filterable: Flag;
  is_enabled_for_all_projects: Flag;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

/** The projects a custom field is enabled for (when not enabled for all). */
export interface CustomFieldProjectsTable {
  field_id: number;
  project_id: number;
}

/** A shared step of a project: `hash` is its public id, steps are JSON like a case's steps. */
export interface SharedStepsTable {
  project_id: number;
  hash: string;
  title: string;
  steps: string;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

/** A workspace shared parameter (UUID id); parameters are JSON [{title, values}]; type single | group. */
export interface SharedParametersTable {
  id: string;
  title: string;
  type: string;
  parameters: string;
  is_enabled_for_all_projects: Flag;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

export interface SharedParameterProjectsTable {
  parameter_id: string;
  project_id: number;
}

/** A proposed new case (type create) or edit of one (type edit); status is open | merged | declined. */
export interface ReviewsTable {
  project_id: number;
  id: number;
  title: string;
  type: string;
  status: string;
  case_id: number | null;
  author_id: number | null;
  proposal: string;
  closed_by: number | null;
  closed_at: Millis | null;
  merged_version: number | null;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

/** A reviewer assigned to a review; status is unapproved | approved | changes_requested. */
export interface ReviewReviewersTable {
  project_id: number;
  review_id: number;
  user_id: number;
  position: number;
  status: string;
}

export interface Database {
  attachment_blobs: AttachmentBlobsTable;
  attachments: AttachmentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  projects: ProjectsTable;
  project_members: ProjectMembersTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  project_sequences: ProjectSequencesTable;
  suites: SuitesTable;
  cases: CasesTable;
  case_versions: CaseVersionsTable;
  tags: TagsTable;
  milestones: MilestonesTable;
  environments: EnvironmentsTable;
  configuration_groups: ConfigurationGroupsTable;
  configurations: ConfigurationsTable;
  custom_fields: CustomFieldsTable;
  custom_field_projects: CustomFieldProjectsTable;
  shared_steps: SharedStepsTable;
  shared_parameters: SharedParametersTable;
  shared_parameter_projects: SharedParameterProjectsTable;
  plans: PlansTable;
  runs: RunsTable;
  run_entries: RunEntriesTable;
  run_status_counts: RunStatusCountsTable;
  results: ResultsTable;
  plan_cases: PlanCasesTable;
  defects: DefectsTable;
  defect_links: DefectLinksTable;
  reviews: ReviewsTable;
  review_reviewers: ReviewReviewersTable;
}

export type Dialect = "sqlite" | "postgres";

/** What repositories take as their first argument: the database or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;
