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
