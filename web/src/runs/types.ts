/** Read models of GET /v1/run, /v1/run/{id}/entries, /v1/run/{id}/suites and /v1/result, as far as the app uses them. */
export interface RunStats {
  total: number;
  statuses: Record<string, number>;
  untested: number;
  flaky: number;
}

export interface Run {
  id: number;
  title: string;
  description: string | null;
  status: number;
  status_text: string;
  start_time: string | null;
  end_time: string | null;
  stats: RunStats;
  elapsed_time: number;
  environment: { title: string; slug: string; host: string | null } | null;
  milestone: { title: string } | null;
  tags: { title: string }[];
  is_autotest: boolean;
  build_id: string | null;
  reporter: string | null;
}

export interface RunEntry {
  case_id: number | null;
  case_version: number | null;
  title: string | null;
  params: Record<string, string>;
  status: string | null;
  attempts: number;
  is_flaky: boolean;
  muted: boolean;
  last_result_hash: string | null;
  /** The suite the case is in now; null outside suites, for a deleted case or without a case. */
  suite_id: number | null;
}

/** One suite's counts over the whole run (GET /v1/run/{code}/{id}/suites). */
export interface RunSuite {
  suite_id: number | null;
  title: string | null;
  path: string[];
  without_case: boolean;
  stats: RunStats;
}

/** An attachment as read models show it; `url` is the server's absolute download link. */
export interface AttachmentRef {
  hash: string;
  size: number;
  mime: string;
  filename: string;
  url: string;
}

export interface ResultStep {
  status: number;
  position: number;
  action: string | null;
  expected_result: string | null;
  data: string | null;
  comment: string | null;
  duration_ms: number | null;
  attachments: AttachmentRef[];
  steps: ResultStep[];
}

export interface Result {
  hash: string;
  comment: string | null;
  stacktrace: string | null;
  run_id: number;
  case_id: number | null;
  steps: ResultStep[] | null;
  attachments: AttachmentRef[];
  suite_path: string[];
  status: string;
  time_spent_ms: number;
  start_time: string | null;
  end_time: string | null;
  title: string | null;
  params: Record<string, string>;
  attempt: number;
  is_flaky: boolean;
  muted: boolean;
}
