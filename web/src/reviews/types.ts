import type { TestCase } from "../repository/types";

/** Read models of the reviews API (GET /v1/review/{code}[/{id}]), as the app uses them. */

export const REVIEW_STATUSES = ["open", "merged", "declined"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const VERDICTS = ["unapproved", "approved", "changes_requested"] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Reviewer {
  author_uuid: string | null;
  status: string;
}

export interface Review {
  id: number;
  title: string;
  /** "create" proposes a new case, "edit" a change to case_id. */
  type: string;
  status: string;
  case_id: number | null;
  author_uuid: string | null;
  reviewers: Reviewer[];
  created_at: string;
  updated_at: string | null;
}

/** A proposed step, as the client sent it (Review.ProposedStep). */
export interface ProposedStep {
  action?: string | null;
  value?: string | null;
  shared?: string | null;
  expected_result?: string | null;
  data?: string | null;
  attachments?: string[] | null;
  steps?: ProposedStep[] | null;
}

export interface ParameterSingle {
  title: string;
  values: string[];
}

export type ProposedParameter =
  | { type: "single"; shared_id: null; item: ParameterSingle }
  | { type: "group"; shared_id: null; items: ParameterSingle[] }
  | { type: "shared"; shared_id: string };

/** Review.ProposedCase: only the fields the proposal carries are present. */
export interface ProposedCase {
  title?: string;
  description?: string | null;
  preconditions?: string | null;
  postconditions?: string | null;
  severity?: number | null;
  priority?: number | null;
  behavior?: number | null;
  type?: number | null;
  layer?: number | null;
  status?: number | null;
  is_flaky?: number | null;
  is_muted?: boolean;
  suite_id?: number | null;
  milestone_id?: number | null;
  is_manual?: boolean;
  is_to_be_automated?: boolean;
  steps_type?: string;
  attachments?: string[];
  steps?: ProposedStep[];
  tags?: string[] | null;
  parameters?: ProposedParameter[];
  custom_fields?: { id: number; value: string | null }[];
}

export interface ReviewDetailed extends Review {
  proposed_case: ProposedCase | null;
  closed_at: string | null;
  merged_case_version: number | null;
}

/** The case read model's fields a review compares against, beyond what the repository screens use. */
export interface ReviewedCase extends TestCase {
  isManual: boolean;
  isToBeAutomated: boolean;
  parameters: ProposedParameter[];
}

/** GET /v1/author: every Verdict author is a user. */
export interface Author {
  id: number;
  uuid: string;
  entity_id: number;
  name: string;
  email: string;
  is_active: boolean;
}
