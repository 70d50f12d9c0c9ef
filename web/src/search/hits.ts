/**
 * GET /v1/search answers the entities of one kind, each with its own key (test_case_id, run_id,
 * result_hash, defect_id, plan_id) and the project's code; this turns any of them into one table row.
 */
export interface SearchAnswer {
  entities: Record<string, unknown>[];
  total: number;
}

export interface Hit {
  key: string;
  kind: "Case" | "Run" | "Result" | "Defect" | "Plan";
  project: string;
  id: string;
  title: string;
  detail: string;
  /** The app's page for it: the case or run itself, or the project's list for defects and plans. */
  to: string;
}

const text = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

export function toHit(e: Record<string, unknown>): Hit {
  const project = text(e.project_code);
  const base = `/projects/${encodeURIComponent(project)}`;
  if (e.test_case_id !== undefined) {
    const id = text(e.test_case_id);
    const flaky = e.is_flaky === 1 ? "flaky" : "";
    const manual = e.isManual === true ? "manual" : "automated";
    return {
      key: `case-${project}-${id}`,
      kind: "Case",
      project,
      id,
      title: text(e.title),
      detail: [manual, flaky].filter(Boolean).join(" · "),
      to: `${base}/cases/${id}`,
    };
  }
  if (e.result_hash !== undefined) {
    const run = text(e.run_id);
    const title = text(e.title) || (e.case_id === null ? "Result" : `Result of case ${text(e.case_id)}`);
    return {
      key: `result-${project}-${text(e.result_hash)}`,
      kind: "Result",
      project,
      id: text(e.result_hash).slice(0, 10),
      title,
      detail: `${text(e.status)} in run ${run}`,
      to: `${base}/runs/${run}`,
    };
  }
  if (e.run_id !== undefined) {
    const id = text(e.run_id);
    return {
      key: `run-${project}-${id}`,
      kind: "Run",
      project,
      id,
      title: text(e.title),
      detail: text(e.status_text),
      to: `${base}/runs/${id}`,
    };
  }
  if (e.defect_id !== undefined) {
    return {
      key: `defect-${project}-${text(e.defect_id)}`,
      kind: "Defect",
      project,
      id: text(e.defect_id),
      title: text(e.title),
      detail: [text(e.status), text(e.severity)].filter(Boolean).join(" · "),
      to: `${base}/defects`,
    };
  }
  const count = typeof e.cases_count === "number" ? e.cases_count : 0;
  return {
    key: `plan-${project}-${text(e.plan_id ?? e.id)}`,
    kind: "Plan",
    project,
    id: text(e.plan_id ?? e.id),
    title: text(e.title),
    detail: `${count} ${count === 1 ? "case" : "cases"}`,
    to: `${base}/plans`,
  };
}
