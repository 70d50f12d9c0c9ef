import { Configuration, RunsApi } from "qase-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialects } from "../helpers/stores.js";
import { type One, type RunOut, startVerdict, type Verdict } from "./harness.js";

/**
 * The official v1 client (axios) sends body-less POSTs, such as the reporters' closing
 * POST /v1/run/{code}/{id}/complete, as `Content-Type: application/x-www-form-urlencoded` with an
 * empty body. Verdict answered 400 "Unsupported Content-Type", so no reporter run was ever completed.
 */
describe.each(dialects)("body-less POSTs from the official client on $name", (dialect) => {
  let v: Verdict;
  let runs: RunsApi;
  beforeAll(async () => {
    v = await startVerdict(dialect, "EF");
    runs = new RunsApi(new Configuration({ apiKey: v.ciToken, basePath: `${v.base}/v1` }));
  });
  afterAll(() => v.close());

  it("completes a run through RunsApi.completeRun", async () => {
    const created = await runs.createRun("EF", { title: "nightly" });
    const id = created.data.result?.id ?? 0;
    const done = await runs.completeRun("EF", id);
    expect(done.data.status).toBe(true);
    expect((await v.get<One<RunOut>>(`/v1/run/EF/${id}`)).result.status).toBe(1);
  });

  it("still refuses a form body that carries content", async () => {
    const created = await v.post<One<{ id: number }>>("/v1/run/EF", { title: "form" });
    const res = await fetch(`${v.base}/v1/run/EF/${created.result.id}/complete`, {
      method: "POST",
      headers: { Token: v.token, "Content-Type": "application/x-www-form-urlencoded" },
      body: "status=1",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      status: false,
      errorMessage: "Unsupported Content-Type; send application/json",
      errorFields: [],
    });
    expect((await v.get<One<RunOut>>(`/v1/run/EF/${created.result.id}`)).result.status).toBe(0);
  });
});
