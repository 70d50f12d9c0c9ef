import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/database.js";
import { listCases } from "../src/features/cases/cases.repository.js";
import { findProjectByCode } from "../src/features/projects/projects.repository.js";
import { listResults } from "../src/features/results/results.repository.js";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { statementsOf } from "./helpers/statements.js";
import { dialects } from "./helpers/stores.js";

const postgres = dialects.find((d) => d.name === "postgres");

interface PlanNode {
  "Node Type": string;
  Output?: string[];
  Plans?: PlanNode[];
}

/** Nodes below a Limit that compute a JSON row: each such row is built for every row the limit reads. */
function jsonBelowLimit(node: PlanNode, underLimit = false, found = { limits: 0, bad: [] as string[] }) {
  if (underLimit && node.Output?.some((o) => o.includes("json_build_array")))
    found.bad.push(node["Node Type"]);
  if (node["Node Type"] === "Limit") found.limits++;
  for (const child of node.Plans ?? [])
    jsonBelowLimit(child, underLimit || node["Node Type"] === "Limit", found);
  return found;
}

describe.skipIf(!postgres)("list pages on PostgreSQL", () => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    t = await startApp(postgres as NonNullable<typeof postgres>);
    const owner = await t.user("owner");
    token = await t.token(owner);
    await t.project("PL", owner);
    const run = (await call("POST", "/v1/run/PL", { title: "Nightly", is_autotest: true })).body.result.id;
    const results = Array.from({ length: 30 }, (_, i) => ({
      id: `r-${i}`,
      title: `basket keeps item ${i}`,
      execution: { status: i % 3 === 0 ? "failed" : "passed" },
    }));
    expect((await call("POST", `/v2/PL/run/${run}/results`, { results })).status).toBe(202);
  });
  afterAll(() => t?.close());

  it("build each row's JSON after the page's limit, not for every matching row", async () => {
    const project = await findProjectByCode(t.ctx.db, "PL");
    if (!project) throw new Error("no project");
    const lists: ((db: Db) => Promise<unknown>)[] = [
      (db) => listCases(db, project, {}, 10, 0),
      (db) => listCases(db, project, { search: "basket" }, 10, 0),
      (db) => listCases(db, project, { priority: [0, 1, 2] }, 10, 5),
      (db) => listResults(db, project.id, {}, 10, 0),
      (db) => listResults(db, project.id, { statuses: ["failed"] }, 10, 0),
      (db) => listResults(db, project.id, { caseIds: [1, 2, 3] }, 10, 0),
    ];
    for (const list of lists) {
      // The one statement of a page: its rows aggregated, its counts beside them.
      const pages = (await statementsOf(t.ctx.db, list)).filter((q) => q.sql.includes("json_agg"));
      expect(pages).toHaveLength(1);
      for (const q of pages) {
        const { rows } = await t.ctx.db.executeQuery<{ "QUERY PLAN": { Plan: PlanNode }[] }>({
          ...q,
          sql: `explain (verbose, format json) ${q.sql}`,
        });
        const plan = rows[0]?.["QUERY PLAN"][0]?.Plan as PlanNode;
        const found = jsonBelowLimit(plan);
        expect(found.limits).toBeGreaterThan(0);
        expect(found.bad, q.sql).toEqual([]);
      }
    }
  });
});
