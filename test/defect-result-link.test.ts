import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("POST /v1/defect/{code}/{id}/result on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let viewerToken = "";
  let run = 0;
  let hash = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    token = await t.token(owner);
    viewerToken = await t.token(await t.user("viewer"));
    await t.project("LNK", owner);
    const c = (await call("POST", "/v1/case/LNK", { title: "Pay by card" })).body.result.id;
    run = (await call("POST", "/v1/run/LNK", { title: "Nightly", cases: [c] })).body.result.id;
    hash = (await call("POST", `/v1/result/LNK/${run}`, { case_id: c, status: "failed" })).body.result.hash;
    // A completed run's results can still be linked: defects are found after the run ends.
    expect((await call("POST", `/v1/run/LNK/${run}/complete`)).status).toBe(200);
  });
  afterAll(() => t.close());

  const newDefect = async (title: string) =>
    (await call("POST", "/v1/defect/LNK", { title, actual_result: "declined", severity: "major" })).body
      .result.id as number;

  it("links an existing defect to the result and its run, once however often it is asked", async () => {
    const id = await newDefect("Card declined");
    for (let i = 0; i < 2; i++) {
      const r = await call("POST", `/v1/defect/LNK/${id}/result`, { hash });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.result).toEqual({ id });
    }
    const d = (await call("GET", `/v1/defect/LNK/${id}`)).body.result;
    expect(d.results).toEqual([hash]);
    expect(d.runs).toEqual([run]);
  });

  it("refuses an unknown result or defect, a deleted defect, and a reader", async () => {
    const id = await newDefect("Other");
    expect((await call("POST", `/v1/defect/LNK/${id}/result`, { hash: "f".repeat(40) })).status).toBe(404);
    expect((await call("POST", "/v1/defect/LNK/999999/result", { hash })).status).toBe(404);
    expect((await call("POST", `/v1/defect/LNK/${id}/result`, {})).status).toBe(422);
    expect((await call("POST", `/v1/defect/LNK/${id}/result`, { hash }, viewerToken)).status).toBe(403);
    expect((await call("DELETE", `/v1/defect/LNK/${id}`)).status).toBe(200);
    expect((await call("POST", `/v1/defect/LNK/${id}/result`, { hash })).status).toBe(410);
    expect((await call("GET", `/v1/defect/LNK/${await newDefect("Third")}`)).body.result.results).toEqual([]);
  });
});
