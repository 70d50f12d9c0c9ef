import { describe, expect, it } from "vitest";
import { groupForUpload } from "../../src/cli/report/attachments.js";
import { forEachConcurrently, inBatches } from "../../src/cli/report/batches.js";
import { resultId, uuidV5 } from "../../src/cli/report/ids.js";
import { resolveReportOptions } from "../../src/cli/report/options.js";
import { statusFor, toV2 } from "../../src/cli/report/payload.js";
import { plainProgress } from "../../src/cli/report/progress.js";
import { isRetryableStatus, parseRetryAfter, retryDelay } from "../../src/cli/report/retry.js";
import { qaseTime, runUrl } from "../../src/cli/report/runs.js";
import type { ImportedResult } from "../../src/importers/types.js";

function result(over: Partial<ImportedResult> = {}): ImportedResult {
  return {
    title: "logs in",
    suitePath: ["auth", "LoginTest"],
    status: "passed",
    caseIds: [],
    signature: "auth::LoginTest::logs in",
    durationMs: 1500,
    startTime: 1_700_000_000_000,
    message: null,
    stacktrace: null,
    flaky: false,
    attempts: 1,
    params: {},
    fields: {},
    steps: [],
    attachments: [],
    source: { file: "r.xml", line: 3 },
    ...over,
  };
}

async function* from<T>(items: T[]) {
  for (const i of items) yield i;
}

describe("result ids", () => {
  it("are RFC 4122 v5 UUIDs, the same for the same run, report, position and test", () => {
    const a = resultId("DEMO#1", "digest", 0, result());
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(resultId("DEMO#1", "digest", 0, result())).toBe(a);
    const others = [
      resultId("DEMO#2", "digest", 0, result()),
      resultId("DEMO#1", "other report", 0, result()),
      resultId("DEMO#1", "digest", 1, result()),
      resultId("DEMO#1", "digest", 0, result({ signature: "x" })),
      resultId("DEMO#1", "digest", 0, result({ attempts: 2 })),
    ];
    expect(new Set([a, ...others]).size).toBe(6);
    expect(uuidV5("x")).toBe(uuidV5("x"));
  });
});

describe("batching", () => {
  it("cuts a stream into batches of the size asked, the last one short", async () => {
    const sizes: number[] = [];
    for await (const b of inBatches(from(Array.from({ length: 450 }, (_, i) => i)), 200))
      sizes.push(b.length);
    expect(sizes).toEqual([200, 200, 50]);
  });

  it("keeps at most `concurrency` items in flight and stops pulling after a failure", async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachConcurrently(from(Array.from({ length: 20 }, (_, i) => i)), 3, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      done.push(i);
      inFlight--;
    });
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));

    let pulled = 0;
    async function* counted() {
      for (let i = 0; i < 100; i++) {
        pulled++;
        yield i;
      }
    }
    await expect(
      forEachConcurrently(counted(), 2, async (i) => {
        if (i === 3) throw new Error("boom");
        await new Promise((r) => setTimeout(r, 2));
      }),
    ).rejects.toThrow("boom");
    expect(pulled).toBeLessThan(10);
  });

  it("groups attachments into requests of at most 20 files and 128 MB", () => {
    const small = Array.from({ length: 45 }, () => ({ size: 10 }));
    expect(groupForUpload(small).map((g) => g.length)).toEqual([20, 20, 5]);
    const big = [30, 30, 30, 30, 30].map((mb) => ({ size: mb * 1024 * 1024 }));
    expect(groupForUpload(big).map((g) => g.length)).toEqual([4, 1]);
  });
});

describe("retry policy", () => {
  it("retries network-ish answers only, honours Retry-After and backs off exponentially", () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 422, 507].some(isRetryableStatus)).toBe(false);
    expect(parseRetryAfter("7")).toBe(7000);
    expect(parseRetryAfter(new Date(Date.now() + 3000).toUTCString())).toBeGreaterThan(1000);
    expect(parseRetryAfter("soon")).toBeNull();
    const policy = { retries: 5, baseDelayMs: 1000, maxDelayMs: 120_000 };
    expect(retryDelay(policy, 0, 7000)).toBe(7000);
    expect(retryDelay(policy, 0, 500_000)).toBe(120_000);
    expect([0, 1, 2, 3].map((a) => retryDelay(policy, a, null, () => 0))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelay(policy, 10, null, () => 0)).toBe(30_000);
    expect(retryDelay(policy, 0, null, () => 1)).toBe(1200);
  });
});

describe("the v2 payload", () => {
  it("maps a result: root suite first, case ids, times in seconds, flaky field, limits", () => {
    const v2 = toV2(
      result({
        caseIds: [4, 5],
        flaky: true,
        title: `${"x".repeat(300)}`,
        steps: [
          {
            title: "open page",
            status: "invalid",
            durationMs: 12.4,
            steps: [],
            attachments: [],
          },
        ],
      }),
      { id: "id-1", status: "passed", rootSuite: "Nightly", hashes: new Map() },
    );
    expect(v2.relations).toEqual({
      suite: { data: [{ title: "Nightly" }, { title: "auth" }, { title: "LoginTest" }] },
    });
    expect(v2.testops_ids).toEqual([4, 5]);
    expect(v2.execution).toMatchObject({
      start_time: 1_700_000_000,
      end_time: 1_700_000_001.5,
      duration: 1500,
    });
    expect(v2.fields.is_flaky).toBe("true");
    expect(v2.title.length).toBe(255);
    expect(v2.steps[0]).toEqual({
      data: { action: "open page" },
      execution: { status: "failed", duration: 12, attachments: [] },
      steps: [],
    });
    expect(
      toV2(result({ caseIds: [9] }), { id: "i", status: "passed", rootSuite: null, hashes: new Map() }),
    ).toMatchObject({
      testops_id: 9,
    });
    expect(
      toV2(result({ suitePath: [] }), { id: "i", status: "passed", rootSuite: null, hashes: new Map() })
        .relations,
    ).toEqual({});
  });

  it("leaves out times the server would refuse, so that one damaged timestamp cannot cost its batch", () => {
    const times = (startTime: number | null, durationMs: number | null, stepMs: number | null = 5) => {
      const step = { title: "s", status: "passed" as const, durationMs: stepMs, steps: [], attachments: [] };
      const v2 = toV2(result({ startTime, durationMs, steps: [step] }), {
        id: "i",
        status: "passed",
        rootSuite: null,
        hashes: new Map(),
      });
      return [
        v2.execution.start_time,
        v2.execution.end_time,
        v2.execution.duration,
        v2.steps[0]?.execution.duration,
      ];
    };
    // Before 1970, past the year 3000, not a number: no start (and so no end); the duration stays.
    expect(times(-1000, 1500)).toEqual([null, null, 1500, 5]);
    expect(times(4e16, 1500)).toEqual([null, null, 1500, 5]);
    expect(times(Number.NaN, 1500)).toEqual([null, null, 1500, 5]);
    // Longer than a year or not finite: no duration (and so no end); negative: zero.
    expect(times(1_700_000_000_000, 1e15, 1e15)).toEqual([1_700_000_000, null, null, null]);
    expect(times(1_700_000_000_000, Number.POSITIVE_INFINITY)).toEqual([1_700_000_000, null, null, 5]);
    expect(times(1_700_000_000_000, -20)).toEqual([1_700_000_000, 1_700_000_000, 0, 5]);
    // An end past the year 3000 is left out, the start kept.
    expect(times(32_503_679_999_000, 31_536_000_000)).toEqual([32_503_679_999, null, 31_536_000_000, 5]);
  });

  it("sends skipped results as skipped or blocked, or not at all", () => {
    expect(statusFor("skipped", "skipped")).toBe("skipped");
    expect(statusFor("skipped", "blocked")).toBe("blocked");
    expect(statusFor("skipped", "ignore")).toBeNull();
    expect(statusFor("failed", "ignore")).toBe("failed");
  });
});

describe("flags and environment", () => {
  const env = { VERDICT_URL: "http://verdict.test:8080/", QASE_TESTOPS_API_TOKEN: "qase-token" };

  it("accepts the TestKase spellings and the Qase reporters' variables", () => {
    const o = resolveReportOptions(
      [],
      { projectId: "demo", cycleId: "12", resultsFile: ["a.xml", "b.xml"], format: "JUnit" },
      env,
    );
    expect(o).toMatchObject({
      runId: 12,
      paths: ["a.xml", "b.xml"],
      format: "junit",
      batchSize: 200,
      concurrency: 4,
      attachments: true,
      complete: undefined,
      skippedAs: "skipped",
    });
    expect(o.connection).toMatchObject({
      server: "http://verdict.test:8080",
      token: "qase-token",
      project: "demo",
    });
    const fromEnv = resolveReportOptions(
      ["r.xml"],
      {},
      {
        ...env,
        VERDICT_TOKEN: "v-token",
        VERDICT_PROJECT: "DEMO",
        QASE_TESTOPS_RUN_ID: "7",
        QASE_ROOT_SUITE: "Root",
        QASE_TESTOPS_RUN_TAGS: "a, b",
        QASE_TESTOPS_UPLOAD_ATTACHMENTS: "false",
      },
    );
    expect(fromEnv).toMatchObject({ runId: 7, rootSuite: "Root", attachments: false });
    expect(fromEnv.connection.token).toBe("v-token");
    expect(fromEnv.run.tags).toEqual(["a", "b"]);
  });

  it("a run id from the environment gives way to --title or --build-id on the command line", () => {
    const e = { ...env, VERDICT_PROJECT: "DEMO", VERDICT_RUN_ID: "3" };
    expect(resolveReportOptions(["r.xml"], { title: "t" }, e).runId).toBeUndefined();
    expect(resolveReportOptions(["r.xml"], { buildId: "b" }, e).runId).toBeUndefined();
    expect(resolveReportOptions(["r.xml"], {}, e).runId).toBe(3);
  });

  it("refuses contradictions and out-of-range values as usage errors (exit code 2)", () => {
    const e = { ...env, VERDICT_PROJECT: "DEMO" };
    const bad: [string[], Record<string, unknown>, string][] = [
      [["r.xml"], { runId: "1", title: "t" }, "exclusive"],
      [["r.xml"], { runId: "1", buildId: "b" }, "exclusive"],
      [["r.xml"], { batchSize: "2001" }, "--batch-size"],
      [["r.xml"], { concurrency: "0" }, "--concurrency"],
      [["r.xml"], { format: "xunit" }, "--format"],
      [["r.xml"], { reportSkippedAs: "passed" }, "--report-skipped-as"],
      [["r.xml"], { runId: "x" }, "--run-id"],
      [[], {}, "name the report"],
      [["r.xml"], { project: "not a code" }, "--project"],
    ];
    for (const [args, flags, message] of bad) {
      let thrown: unknown = null;
      try {
        resolveReportOptions(args, flags, e);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, message).toMatchObject({ exitCode: 2 });
      expect(String((thrown as Error).message)).toContain(message);
    }
    expect(() => resolveReportOptions(["r.xml"], {}, { VERDICT_PROJECT: "DEMO" })).toThrow("token");
    // A dry run needs neither a token nor a project.
    expect(resolveReportOptions(["r.xml"], { dryRun: true }, {}).dryRun).toBe(true);
  });
});

describe("output helpers", () => {
  it("prints a dozen plain lines for a long upload, not one per batch", () => {
    const lines: string[] = [];
    const p = plainProgress(
      (l) => lines.push(l),
      () => 0,
    );
    p.start(100_000);
    for (let i = 0; i < 500; i++) p.advance(200);
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines.at(-1)).toBe("sent 100000/100000 results (100%)");
  });

  it("formats Qase times and run URLs", () => {
    expect(qaseTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe("2026-01-02 03:04:05");
    expect(runUrl("http://h:1/", "demo", 5)).toBe("http://h:1/projects/DEMO/runs/5");
  });
});
