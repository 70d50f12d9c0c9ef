import type { AppContext } from "../../context.js";
import { iso } from "../../db/time.js";
import { fail } from "../../http/errors.js";
import type { ProjectRow } from "../projects/projects.repository.js";
import type { CaseOut } from "./cases.present.js";
import { type CaseVersionRow, findVersion, listVersions } from "./cases.repository.js";
import { firstVersionOf, liveCase } from "./cases.service.js";

function present(v: CaseVersionRow) {
  return {
    version: Number(v.version),
    changed_by: v.changed_by === null ? null : Number(v.changed_by),
    changed_at: iso(Number(v.changed_at)) ?? "",
    changes: JSON.parse(v.changes) as string[],
    case: JSON.parse(v.snapshot) as CaseOut,
  };
}

/** Every version of a live case, oldest first (version 1 is the creation). */
export async function caseVersions(
  ctx: AppContext,
  project: ProjectRow,
  caseId: number,
  limit: number,
  offset: number,
) {
  const live = await liveCase(ctx.db, project, caseId);
  const { rows, total } = await listVersions(ctx.db, project.id, caseId, limit, offset);
  if (total === 0) return { entities: offset === 0 ? [present(firstVersionOf(live))] : [], total: 1 };
  return { entities: rows.map(present), total };
}

/** The case as it was at a version: the snapshot written when that version was made. */
export async function caseAtVersion(ctx: AppContext, project: ProjectRow, caseId: number, version: number) {
  const live = await liveCase(ctx.db, project, caseId);
  const row =
    (await findVersion(ctx.db, project.id, caseId, version)) ??
    (version === 1 && live.version === 1 ? firstVersionOf(live) : undefined);
  if (!row) throw fail.notFound(`Version ${version} of test case ${project.code}-${caseId}`);
  return JSON.parse(row.snapshot) as CaseOut;
}
