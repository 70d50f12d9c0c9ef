import type { Selectable } from "kysely";
import type { Db, PlanCasesTable, PlansTable } from "../../db/database.js";

export type PlanRow = Selectable<PlansTable>;
export type PlanCaseRow = Pick<Selectable<PlanCasesTable>, "case_id" | "assignee_id">;

export async function findPlan(db: Db, projectId: number, id: number): Promise<PlanRow | undefined> {
  return db
    .selectFrom("plans")
    .selectAll()
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function listPlans(db: Db, projectId: number, limit: number, offset: number) {
  const q = db.selectFrom("plans").where("project_id", "=", projectId).where("deleted_at", "is", null);
  const [t, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.selectAll().orderBy("id").limit(limit).offset(offset).execute(),
  ]);
  return { rows, total: Number(t.n) };
}

export async function insertPlan(db: Db, row: PlanRow): Promise<void> {
  await db.insertInto("plans").values(row).execute();
}

export async function updatePlan(
  db: Db,
  projectId: number,
  id: number,
  patch: Partial<Omit<PlanRow, "project_id" | "id">>,
): Promise<void> {
  await db.updateTable("plans").set(patch).where("project_id", "=", projectId).where("id", "=", id).execute();
}

/** Replaces the plan's cases (and their assignees) with the given list. */
export async function replacePlanCases(
  db: Db,
  projectId: number,
  planId: number,
  cases: PlanCaseRow[],
): Promise<void> {
  await db
    .deleteFrom("plan_cases")
    .where("project_id", "=", projectId)
    .where("plan_id", "=", planId)
    .execute();
  // Chunks keep each statement under SQLite's bound-parameter limit.
  for (let i = 0; i < cases.length; i += 500) {
    await db
      .insertInto("plan_cases")
      .values(
        cases.slice(i, i + 500).map((c) => ({
          project_id: projectId,
          plan_id: planId,
          case_id: c.case_id,
          assignee_id: c.assignee_id,
        })),
      )
      .execute();
  }
}

/** The plan's cases that are still live in the repository, by case id. */
export async function planCases(db: Db, projectId: number, planId: number): Promise<PlanCaseRow[]> {
  const rows = await db
    .selectFrom("plan_cases as pc")
    .innerJoin("cases as c", (j) =>
      j.onRef("c.project_id", "=", "pc.project_id").onRef("c.id", "=", "pc.case_id"),
    )
    .select(["pc.case_id", "pc.assignee_id"])
    .where("pc.project_id", "=", projectId)
    .where("pc.plan_id", "=", planId)
    .where("c.deleted_at", "is", null)
    .orderBy("pc.case_id")
    .execute();
  return rows.map((r) => ({
    case_id: Number(r.case_id),
    assignee_id: r.assignee_id === null ? null : Number(r.assignee_id),
  }));
}

/** Live cases of each plan, in one aggregate. */
export async function countPlanCases(db: Db, projectId: number, planIds: number[]) {
  const out = new Map<number, number>();
  if (planIds.length === 0) return out;
  const rows = await db
    .selectFrom("plan_cases as pc")
    .innerJoin("cases as c", (j) =>
      j.onRef("c.project_id", "=", "pc.project_id").onRef("c.id", "=", "pc.case_id"),
    )
    .select(["pc.plan_id", (eb) => eb.fn.countAll<string | number>().as("n")])
    .where("pc.project_id", "=", projectId)
    .where("pc.plan_id", "in", planIds)
    .where("c.deleted_at", "is", null)
    .groupBy("pc.plan_id")
    .execute();
  for (const r of rows) out.set(Number(r.plan_id), Number(r.n));
  return out;
}

/** Which of the ids are live (not deleted) cases of the project. */
export async function liveCaseIds(db: Db, projectId: number, ids: number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom("cases")
      .select("id")
      .where("project_id", "=", projectId)
      .where("id", "in", ids.slice(i, i + 500))
      .where("deleted_at", "is", null)
      .execute();
    for (const r of rows) out.add(Number(r.id));
  }
  return out;
}

export async function existingUserIds(db: Db, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom("users").select("id").where("id", "in", ids).execute();
  return new Set(rows.map((r) => Number(r.id)));
}
