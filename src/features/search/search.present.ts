import type { Static } from "@sinclair/typebox";
import type { Selectable } from "kysely";
import type { Db, DefectsTable, PlansTable } from "../../db/database.js";
import { iso, plain } from "../../db/time.js";
import { withAttachmentDetails } from "../attachments/attachment-refs.js";
import { type CaseRow, presentCase } from "../cases/cases.present.js";
import { presentDefect } from "../defects/defects.present.js";
import { linksOf } from "../defects/defects.repository.js";
import { countPlanCases } from "../plans/plans.repository.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import { presentResults } from "../results/results.present.js";
import type { ResultRow } from "../results/results.repository.js";
import { presentRuns } from "../runs/runs.present.js";
import type { RunRow } from "../runs/runs.repository.js";
import type { DefectQuery, PlanQuery, ResultQuery, RunQuery, TestCaseQuery } from "./search.schemas.js";

export type SearchEntity =
  | Static<typeof ResultQuery>
  | Static<typeof RunQuery>
  | Static<typeof TestCaseQuery>
  | Static<typeof DefectQuery>
  | Static<typeof PlanQuery>;

type Projects = Map<number, ProjectRow>;

/**
 * Presents rows of several projects with a per-project presenter, keeping the rows' order: the read
 * models of runs and results are built per project (their lookups are keyed by project).
 */
async function perProject<R extends { project_id: number }, O>(
  rows: R[],
  projects: Projects,
  present: (project: ProjectRow, rows: R[]) => Promise<O[]>,
): Promise<(O & { project_code: string })[]> {
  const groups = new Map<number, number[]>();
  rows.forEach((r, i) => {
    const list = groups.get(Number(r.project_id)) ?? [];
    list.push(i);
    groups.set(Number(r.project_id), list);
  });
  const out: (O & { project_code: string })[] = new Array(rows.length);
  for (const [projectId, indexes] of groups) {
    const project = projects.get(projectId);
    if (!project) continue;
    const presented = await present(
      project,
      indexes.map((i) => rows[i] as R),
    );
    indexes.forEach((rowIndex, k) => {
      out[rowIndex] = { ...(presented[k] as O), project_code: project.code };
    });
  }
  return out.filter((o) => o !== undefined);
}

/** Cases and defects refer to attachments by hash; their details (size, url...) are filled in per project. */
export function presentCaseHits(db: Db, rows: CaseRow[], projects: Projects, base: string) {
  return perProject(rows, projects, (project, list) =>
    withAttachmentDetails(
      db,
      project.id,
      base,
      list.map((r) => ({ ...presentCase(r), test_case_id: Number(r.id) })),
    ),
  );
}

export function presentRunHits(db: Db, rows: RunRow[], projects: Projects) {
  return perProject(rows, projects, (project, list) =>
    presentRuns(db, project, list, { includeCases: true }),
  );
}

export function presentResultHits(db: Db, rows: ResultRow[], projects: Projects, base: string) {
  return perProject(rows, projects, (project, list) => presentResults(db, project.id, list, base));
}

export function presentDefectHits(
  db: Db,
  rows: Selectable<DefectsTable>[],
  projects: Projects,
  base: string,
) {
  return perProject(rows, projects, async (project, list) => {
    const links = await linksOf(
      db,
      project.id,
      list.map((d) => Number(d.id)),
    );
    const out = list.map((d) => {
      const mine = links.filter((l) => Number(l.defect_id) === Number(d.id));
      // A hit is the defect as GET shows it, with defect_id, and resolved in place of resolved_at.
      const { resolved_at, ...defect } = presentDefect(d, mine);
      return { ...defect, defect_id: defect.id, resolved: resolved_at };
    });
    return withAttachmentDetails(db, project.id, base, out);
  });
}

export function presentPlanHits(db: Db, rows: Selectable<PlansTable>[], projects: Projects) {
  return perProject(rows, projects, async (project, list) => {
    const counts = await countPlanCases(
      db,
      project.id,
      list.map((p) => Number(p.id)),
    );
    return list.map((p) => ({
      id: Number(p.id),
      plan_id: Number(p.id),
      title: p.title,
      description: p.description,
      cases_count: counts.get(Number(p.id)) ?? 0,
      created_at: iso(Number(p.created_at)) ?? "",
      updated_at: iso(Number(p.updated_at)) ?? "",
      created: plain(Number(p.created_at)),
      updated: plain(Number(p.updated_at)),
    }));
  });
}
