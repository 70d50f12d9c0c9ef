import type { AddressInfo } from "node:net";
import { Configuration, type Plan, type PlanDetailed, PlansApi } from "qase-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { missing } from "./helpers/client.js";
import { dialects } from "./helpers/stores.js";

/** Every key of the client's Plan and PlanDetailed: drift on either side fails compilation or the test. */
const PLAN_KEYS: Record<keyof Plan, true> = {
  id: true,
  title: true,
  description: true,
  cases_count: true,
  created_at: true,
  updated_at: true,
  created: true,
  updated: true,
};
const DETAILED_KEYS: Record<keyof PlanDetailed, true> = { ...PLAN_KEYS, average_time: true, cases: true };

describe.each(dialects)("qase-api-client PlansApi on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let api: PlansApi;
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("PC", owner);
    token = await t.token(owner);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    api = new PlansApi(new Configuration({ apiKey: token, basePath: `http://127.0.0.1:${port}/v1` }));
  });
  afterAll(() => t.close());

  it("creates, reads, lists, updates and deletes a plan with the official client", async () => {
    const ids: number[] = [];
    for (const title of ["a", "b"]) ids.push((await call("POST", "/v1/case/PC", { title })).body.result.id);
    const id = (await api.createPlan("PC", { title: "Release", description: "smoke", cases: ids })).data
      .result?.id as number;
    const plan = (await api.getPlan("PC", id)).data.result as PlanDetailed;
    expect(missing(DETAILED_KEYS, plan)).toEqual([]);
    expect(plan).toMatchObject({ title: "Release", cases_count: 2 });
    expect(plan.cases?.map((c) => c.case_id).sort()).toEqual([...ids].sort());
    const listed = (await api.getPlans("PC", 10, 0)).data.result?.entities ?? [];
    expect(missing(PLAN_KEYS, listed[0])).toEqual([]);
    await api.updatePlan("PC", id, { title: "Release 2", cases: [ids[0] as number] });
    expect((await api.getPlan("PC", id)).data.result).toMatchObject({ title: "Release 2", cases_count: 1 });
    expect((await api.deletePlan("PC", id)).data.result?.id).toBe(id);
    expect((await call("GET", `/v1/plan/PC/${id}`)).status).toBe(410);
    // A run made from the plan holds its cases.
    const p2 = (await api.createPlan("PC", { title: "For a run", cases: ids })).data.result?.id as number;
    const run = (await call("POST", "/v1/run/PC", { title: "from plan", plan_id: p2 })).body.result.id;
    expect((await call("GET", `/v1/run/PC/${run}?include=cases`)).body.result.cases.sort()).toEqual(
      [...ids].sort(),
    );
  });
});
