import type { AddressInfo } from "node:net";
import {
  Configuration,
  type Result,
  ResultsApi,
  type Run,
  RunExternalIssuesTypeEnum,
  type RunStats,
  RunsApi,
  type TestStepResult,
} from "qase-api-client";
import {
  Configuration as ConfigurationV2,
  ResultStepStatus,
  ResultsApi as ResultsApiV2,
} from "qase-api-v2-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "./helpers/app.js";
import { missing } from "./helpers/client.js";
import { dialects } from "./helpers/stores.js";

/** Every key of the clients' read models: a key the client adds breaks compilation, one we drop fails. */
const RUN_KEYS: Record<keyof Run, true> = {
  id: true,
  run_id: true,
  title: true,
  description: true,
  status: true,
  status_text: true,
  start_time: true,
  end_time: true,
  public: true,
  stats: true,
  time_spent: true,
  elapsed_time: true,
  environment: true,
  milestone: true,
  custom_fields: true,
  tags: true,
  cases: true,
  plan_id: true,
  configurations: true,
  external_issue: true,
};
const STATS_KEYS: Record<keyof RunStats, true> = {
  total: true,
  statuses: true,
  untested: true,
  passed: true,
  failed: true,
  blocked: true,
  skipped: true,
  retest: true,
  in_progress: true,
  invalid: true,
};
const RESULT_KEYS: Record<keyof Result, true> = {
  hash: true,
  result_hash: true,
  comment: true,
  stacktrace: true,
  run_id: true,
  case_id: true,
  steps: true,
  status: true,
  is_api_result: true,
  time_spent_ms: true,
  end_time: true,
  attachments: true,
};
const STEP_KEYS: Record<keyof TestStepResult, true> = {
  status: true,
  position: true,
  comment: true,
  start_time: true,
  end_time: true,
  duration_ms: true,
  attachments: true,
  steps: true,
};

describe.each(dialects)("qase-api-client RunsApi/ResultsApi and qase-api-v2-client on $name", (dialect) => {
  let t: TestApp;
  let runs: RunsApi;
  let results: ResultsApi;
  let v2: ResultsApiV2;
  let caseId = 0;

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("QR", owner);
    const token = await t.token(owner);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const config = new Configuration({ apiKey: token, basePath: `http://127.0.0.1:${port}/v1` });
    runs = new RunsApi(config);
    results = new ResultsApi(config);
    v2 = new ResultsApiV2(new ConfigurationV2({ apiKey: token, basePath: `http://127.0.0.1:${port}/v2` }));
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/case/QR",
      headers: { token },
      payload: { title: "login" },
    });
    caseId = res.json().result.id;
  });
  afterAll(() => t.close());

  it("drives a run through its life with the v1 client, every read-model key present", async () => {
    const created = await runs.createRun("QR", {
      title: "Client run",
      cases: [caseId],
      is_autotest: true,
      start_time: "2026-11-21 08:30:00",
    });
    const id = created.data.result?.id as number;
    expect(id).toBeGreaterThan(0);
    const got = await runs.getRun("QR", id, "cases");
    const run = got.data.result as Run;
    expect(missing(RUN_KEYS, run)).toEqual([]);
    expect(missing(STATS_KEYS, run.stats)).toEqual([]);
    expect(run).toMatchObject({
      title: "Client run",
      cases: [caseId],
      status: 0,
      start_time: "2026-11-21T08:30:00+00:00",
    });

    const list = await runs.getRuns(
      "QR",
      undefined,
      "in_progress",
      undefined,
      undefined,
      undefined,
      undefined,
      10,
      0,
      "cases",
    );
    expect(list.data.result?.entities?.map((r) => r.id)).toContain(id);
    await runs.updateRun("QR", id, { title: "Client run (edited)", description: "d" });
    const pub = await runs.updateRunPublicity("QR", id, { status: true });
    expect(pub.data.result?.url).toContain("/public/run/QR/");
    await runs.runUpdateExternalIssue("QR", {
      type: RunExternalIssuesTypeEnum.JIRA_CLOUD,
      links: [{ run_id: id, external_issue: "QA-17" }],
    });
    expect((await runs.getRun("QR", id)).data.result?.external_issue).toEqual({
      id: "QA-17",
      type: "jira-cloud",
      link: "QA-17",
    });
    // A null issue unlinks it.
    await runs.runUpdateExternalIssue("QR", {
      type: RunExternalIssuesTypeEnum.JIRA_CLOUD,
      links: [{ run_id: id, external_issue: null }],
    });
    expect((await runs.getRun("QR", id)).data.result?.external_issue).toBeNull();

    const one = await results.createResult("QR", id, {
      case_id: caseId,
      status: "failed",
      comment: "no",
      time_ms: 20,
      steps: [{ status: "failed" as never, action: "click" }],
    });
    const hash = one.data.result?.hash as string;
    expect(one.data.result?.case_id).toBe(caseId);
    await results.createResultBulk("QR", id, { results: [{ case_id: caseId, status: "passed", time: 2 }] });
    const read = (await results.getResult("QR", hash)).data.result as Result;
    expect(missing(RESULT_KEYS, read)).toEqual([]);
    expect(missing(STEP_KEYS, read.steps?.[0])).toEqual([]);
    const listed = await results.getResults("QR", "passed,failed", String(id), String(caseId));
    expect(listed.data.result?.filtered).toBe(2);
    await results.updateResult("QR", id, hash, { status: "blocked" as never, comment: "blocked by env" });
    expect((await results.getResult("QR", hash)).data.result?.status).toBe("blocked");
    await results.deleteResult("QR", id, hash);

    await runs.completeRun("QR", id);
    const done = (await runs.getRun("QR", id)).data.result as Run;
    expect(done.status).toBe(1);
    expect(done.status_text).toBe("passed");
    expect((await runs.deleteRun("QR", id)).data.result?.id).toBe(id);
  });

  it("sends results the way the reporters do with the v2 client", async () => {
    const id = (await runs.createRun("QR", { title: "v2 run", is_autotest: true })).data.result?.id as number;
    const bulk = await v2.createResultsV2("QR", id, {
      results: [
        {
          id: "0b7f7a52-0d8e-4d0a-9d1e-5a1f33c3d001",
          title: "adds to cart",
          signature: "cart.spec.ts::cart::adds_to_cart",
          execution: { status: "passed", start_time: 1763800000.1, end_time: 1763800000.9, duration: 800 },
          fields: { severity: "critical", layer: "e2e", tags: "smoke,cart" },
          steps: [
            { data: { action: "open cart" }, execution: { status: ResultStepStatus.PASSED, duration: 100 } },
          ],
          relations: { suite: { data: [{ title: "cart.spec.ts" }, { title: "cart" }] } },
        },
        {
          id: "0b7f7a52-0d8e-4d0a-9d1e-5a1f33c3d002",
          title: "logs in",
          testops_id: caseId,
          execution: { status: "failed", stacktrace: "AssertionError", duration: 10 },
          message: "expected 200",
        },
      ],
    });
    expect(bulk.status).toBe(202);
    const single = await v2.createResultV2("QR", id, {
      id: "0b7f7a52-0d8e-4d0a-9d1e-5a1f33c3d003",
      title: "logs out",
      execution: { status: "skipped" },
    });
    expect(single.data.result?.hash).toMatch(/^[0-9a-f]{40}$/);
    const stats = (await runs.getRun("QR", id)).data.result?.stats;
    expect(stats).toMatchObject({ total: 3, passed: 1, failed: 1, skipped: 1 });
    const stored = (await results.getResults("QR", undefined, String(id))).data.result?.entities ?? [];
    const cart = stored.find((r) => r.status === "passed");
    const kase = await t.app.inject({
      method: "GET",
      url: `/v1/case/QR/${cart?.case_id}`,
      headers: { token: (runs as unknown as { configuration: { apiKey: string } }).configuration.apiKey },
    });
    expect(kase.json().result).toMatchObject({
      title: "adds to cart",
      severity: 2,
      automation: 2,
      tags: [
        { title: "smoke", internal_id: expect.any(Number) },
        { title: "cart", internal_id: expect.any(Number) },
      ],
    });
  });
});
