import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";
import { fixture, verdict } from "./cli.js";

interface StoredResult {
  hash: string;
  title: string;
  status: string;
  case_id: number | null;
  time_spent_ms: number;
  suite_path: string[];
  steps: unknown[] | null;
  attachments: { filename: string; url: string }[];
}

// What each fixture holds, counted by hand from the files (not by the code under test).
const FIXTURES: [string, string, Record<string, number>][] = [
  ["junit (Surefire)", "junit/surefire.xml", { passed: 1, failed: 1, invalid: 1, skipped: 1 }],
  ["junit (pytest)", "junit/pytest.xml", { passed: 1, failed: 1, skipped: 1 }],
  ["junit (jest-junit)", "junit/jest.xml", { passed: 2, failed: 1 }],
  ["junit (PHPUnit)", "junit/phpunit.xml", { passed: 2 }],
  ["junit (gotestsum)", "junit/gotestsum.xml", { passed: 2, failed: 1 }],
  ["junit (vitest)", "junit/vitest.xml", { passed: 2, failed: 1, skipped: 1 }],
  ["allure", "allure/allure-results", { passed: 6, failed: 1, skipped: 1 }],
  ["ctrf", "ctrf/playwright-ctrf.json", { passed: 5, failed: 1, skipped: 1 }],
  ["cucumber", "cucumber/cucumber.json", { passed: 3, failed: 1, blocked: 1 }],
  ["playwright", "playwright/playwright.json", { passed: 5, failed: 1, skipped: 1 }],
  ["trx", "trx/dotnet.trx", { passed: 1, failed: 1, skipped: 1 }],
  ["nunit 3", "nunit/nunit3.xml", { passed: 2, invalid: 1, skipped: 1 }],
  ["nunit 2", "nunit/nunit2.xml", { passed: 1, failed: 1 }],
  ["testng", "testng/testng-results.xml", { passed: 2, failed: 1, skipped: 1 }],
];

// Each test spawns the CLI a few times; CI shares two cores between all suites.
vi.setConfig({ testTimeout: 120_000 });

const tally = (statuses: string[]) =>
  statuses.reduce<Record<string, number>>((acc, s) => {
    acc[s] = (acc[s] ?? 0) + 1;
    return acc;
  }, {});

describe.each(dialects)("verdict report against a listening Verdict ($name)", (dialect) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-report-"));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-report-work-"));
  let t: TestApp;
  let base = "";
  let token = "";
  /** What a CI pipeline is given: a token with the `results` scope only. */
  let ciToken = "";

  beforeAll(async () => {
    t = await startApp(dialect, { dataDir });
    const owner = await t.user("owner");
    token = await t.token(owner);
    ciToken = await t.token(owner, { scopes: ["results"] });
    await t.project("RT", owner);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { Token: token, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : null,
    });
    const json = (await res.json()) as { status: boolean; result: T };
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json.result;
  }

  const report = (args: string[], env: Record<string, string> = {}) =>
    verdict(
      ["report", ...args, "--server", base, "--project", "RT", "--retries", "1", "--retry-delay", "10"],
      { VERDICT_TOKEN: ciToken, ...env },
    );

  async function results(runId: number): Promise<StoredResult[]> {
    const out: StoredResult[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await api<{ entities: StoredResult[]; filtered: number }>(
        "GET",
        `/v1/result/RT?run=${runId}&limit=100&offset=${offset}`,
      );
      out.push(...page.entities);
      if (out.length >= page.filtered || page.entities.length === 0) return out;
    }
  }

  const run = (id: number) =>
    api<{
      status: number;
      title: string;
      build_id: string | null;
      tags: { title: string }[];
      stats: { total: number; statuses: Record<string, number> };
    }>("GET", `/v1/run/RT/${id}`);
  const runCount = async () => (await api<{ total: number }>("GET", "/v1/run/RT?limit=1")).total;

  it.each(FIXTURES)(
    "round-trips %s: counts, statuses and run stats read back",
    async (label, file, statuses) => {
      const res = await report([fixture(file), "--title", label, "--json"]);
      expect(res.stderr).not.toMatch(/^error:/m);
      expect(res.code).toBe(0);
      const out = JSON.parse(res.stdout) as {
        run: { id: number; url: string; completed: boolean };
        sent: number;
      };
      const total = Object.values(statuses).reduce((a, b) => a + b, 0);
      expect(out.sent).toBe(total);
      expect(out.run.url).toBe(`${base}/projects/RT/runs/${out.run.id}`);
      const stored = await results(out.run.id);
      expect(stored).toHaveLength(total);
      expect(tally(stored.map((r) => r.status))).toEqual(statuses);
      const r = await run(out.run.id);
      expect(r).toMatchObject({ title: label, status: 1 });
      expect(r.stats.total).toBe(total);
      expect(r.stats.statuses).toEqual(statuses);
    },
  );

  it("keeps durations, suites (under --root-suite), steps and attachments", async () => {
    const res = await report([
      fixture("junit/surefire.xml"),
      fixture("allure/allure-results"),
      "--title",
      "details",
      "--root-suite",
      "Nightly",
      "--tags",
      "ci,smoke",
      "--json",
    ]);
    expect(res.code).toBe(0);
    const { run: created, attachments } = JSON.parse(res.stdout) as {
      run: { id: number };
      attachments: number;
    };
    // The Allure fixture links a case the project does not have: sent without the id, with a warning.
    expect(res.stderr).toContain("no test case RT-88 in this project; sent without it");
    const stored = await results(created.id);
    const refund = stored.find((r) => r.title.includes("refundsOrder"));
    expect(refund).toMatchObject({
      status: "failed",
      time_spent_ms: 208,
      suite_path: ["Nightly", "com.shop.CheckoutTest"],
    });
    expect(refund?.attachments.map((a) => a.filename)).toEqual(["system-out.txt"]);
    const log = await fetch(refund?.attachments[0]?.url ?? "", { headers: { Token: token } });
    expect(await log.text()).toBe("refund requested for order 991\n");
    expect(stored.every((r) => r.suite_path[0] === "Nightly")).toBe(true);
    expect(stored.some((r) => (r.steps ?? []).length > 0)).toBe(true);
    expect(attachments).toBeGreaterThanOrEqual(4);
    expect((await run(created.id)).tags.map((x) => x.title).sort()).toEqual(["ci", "smoke"]);
  });

  it("gives the created run the environment, milestone and plan named", async () => {
    const c = await api<{ id: number }>("POST", "/v1/case/RT", { title: "planned" });
    await api("POST", "/v1/environment/RT", { title: "Staging", slug: "staging" });
    const milestone = await api<{ id: number }>("POST", "/v1/milestone/RT", { title: "Release 2" });
    const plan = await api<{ id: number }>("POST", "/v1/plan/RT", { title: "Regression", cases: [c.id] });
    const res = await report([
      fixture("junit/phpunit.xml"),
      "--title",
      "env",
      "--environment",
      "staging",
      "--milestone",
      String(milestone.id),
      "--plan",
      String(plan.id),
      "--json",
    ]);
    expect(res.code, res.stderr).toBe(0);
    const created = await api<{
      environment: { slug: string };
      milestone: { title: string };
      plan_id: number;
    }>("GET", `/v1/run/RT/${JSON.parse(res.stdout).run.id}`);
    expect(created).toMatchObject({
      environment: { slug: "staging" },
      milestone: { title: "Release 2" },
      plan_id: plan.id,
    });
    const before = await runCount();
    const unknown = await report([
      fixture("junit/phpunit.xml"),
      "--title",
      "env",
      "--environment",
      "nowhere",
    ]);
    expect(unknown.code).toBe(2);
    expect(await runCount()).toBe(before);
  });

  it("links results to the cases their names mark, and maps skipped tests as asked", async () => {
    const c = await api<{ id: number }>("POST", "/v1/case/RT", { title: "checkout works" });
    const file = path.join(work, "marked.xml");
    fs.writeFileSync(
      file,
      `<testsuite name="shop"><testcase classname="Shop" name="[RT-${c.id}] checkout works" time="0.5"/><testcase classname="Shop" name="later"><skipped/></testcase></testsuite>`,
    );
    const blocked = JSON.parse(
      (await report([file, "--title", "marks", "--report-skipped-as", "blocked", "--json"])).stdout,
    );
    const stored = await results(blocked.run.id);
    expect(stored.find((r) => r.title === "checkout works")?.case_id).toBe(c.id);
    expect(stored.find((r) => r.title === "later")?.status).toBe("blocked");
    const ignored = JSON.parse(
      (await report([file, "--title", "marks", "--report-skipped-as", "ignore", "--json"])).stdout,
    );
    expect(ignored).toMatchObject({ sent: 1, ignored: 1 });
    expect(await results(ignored.run.id)).toHaveLength(1);
  });

  it("rejects a malformed report of every format with exit 3, file and line, before sending anything", async () => {
    const truncated = (name: string, from: string) => {
      const text = fs.readFileSync(fixture(from), "utf8");
      const to = path.join(work, name);
      fs.writeFileSync(to, text.slice(0, Math.floor(text.length / 2)));
      return to;
    };
    const allureDir = path.join(work, "allure-bad");
    fs.mkdirSync(allureDir, { recursive: true });
    fs.writeFileSync(path.join(allureDir, "1-result.json"), '{"name": "x", "status": ');
    const bad: [string, string[], RegExp][] = [
      ["junit", [fixture("junit/malformed.xml")], /malformed\.xml:7: malformed XML: unexpected close tag/],
      ["junit", [fixture("junit/bad-time.xml")], /bad-time\.xml:1: time="fast"/],
      ["allure", [allureDir, "--format", "allure"], /1-result\.json: malformed JSON/],
      ["ctrf", [fixture("bad/ctrf-malformed.json")], /ctrf-malformed\.json:2: malformed JSON/],
      ["ctrf", [fixture("bad/ctrf-bad-status.json")], /not a CTRF status/],
      ["cucumber", [fixture("bad/cucumber-object.json"), "--format", "cucumber"], /cucumber-object\.json/],
      ["playwright", [fixture("bad/playwright-no-title.json")], /has no title/],
      ["trx", [truncated("cut.trx", "trx/dotnet.trx"), "--format", "trx"], /cut\.trx:\d+: malformed XML/],
      [
        "nunit",
        [truncated("cut-nunit.xml", "nunit/nunit3.xml"), "--format", "nunit"],
        /cut-nunit\.xml:\d+: malformed XML/,
      ],
      [
        "testng",
        [truncated("cut-testng.xml", "testng/testng-results.xml"), "--format", "testng"],
        /cut-testng\.xml:\d+: malformed XML/,
      ],
      // A good report before a bad one: the good one is not sent either.
      ["junit", [fixture("junit/surefire.xml"), fixture("junit/malformed.xml")], /malformed\.xml:7/],
      ["missing file", [path.join(work, "nope.xml")], /nope\.xml: no such file/],
    ];
    const before = await runCount();
    for (const [label, args, message] of bad) {
      const res = await report([...args, "--title", `bad ${label}`]);
      expect(res.code, `${label}: ${res.stderr}`).toBe(3);
      expect(res.stderr, label).toMatch(message);
    }
    expect(await runCount()).toBe(before);
  });

  it("stores nothing twice when the same upload runs again", async () => {
    const args = [
      fixture("junit/surefire.xml"),
      fixture("allure/allure-results"),
      "--build-id",
      "rerun-1",
      "--json",
    ];
    const first = JSON.parse((await report(args)).stdout);
    const again = await report(args);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).run.id).toBe(first.run.id);
    const stored = await results(first.run.id);
    expect(stored).toHaveLength(12);
    expect((await run(first.run.id)).stats.total).toBe(12);
    // The same with an explicit run id and smaller batches in parallel.
    const byId = await report([
      fixture("ctrf/playwright-ctrf.json"),
      "--run-id",
      String(first.run.id),
      "--batch-size",
      "2",
      "--concurrency",
      "3",
    ]);
    const byIdAgain = await report([
      fixture("ctrf/playwright-ctrf.json"),
      "--run-id",
      String(first.run.id),
      "--batch-size",
      "3",
    ]);
    expect([byId.code, byIdAgain.code]).toEqual([0, 0]);
    expect(await results(first.run.id)).toHaveLength(19);
  });

  it("puts the shards of one build into one run, which `verdict run complete --build-id` closes", async () => {
    const shard = (file: string) =>
      report([fixture(file), "--build-id", "pipeline-77", "--title", "Pipeline 77", "--json"]);
    const [a, b] = await Promise.all([shard("junit/jest.xml"), shard("testng/testng-results.xml")]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const runA = JSON.parse(a.stdout).run;
    expect(JSON.parse(b.stdout).run.id).toBe(runA.id);
    expect(runA.completed).toBe(false);
    const list = await api<{ entities: { id: number }[] }>("GET", "/v1/run/RT?build_id=pipeline-77");
    expect(list.entities.map((r) => r.id)).toEqual([runA.id]);
    expect(await results(runA.id)).toHaveLength(7);
    expect((await run(runA.id)).status).toBe(0);
    const done = await verdict(
      ["run", "complete", "--build-id", "pipeline-77", "--server", base, "--project", "RT"],
      { VERDICT_TOKEN: ciToken },
    );
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`completed run ${runA.id}: `);
    expect(await run(runA.id)).toMatchObject({ status: 1, build_id: "pipeline-77" });
  });

  it("`verdict run create -o` writes the run id for later steps, which report into it", async () => {
    const envFile = path.join(work, "ci.env");
    const created = await verdict(
      [
        "run",
        "create",
        "--title",
        "From CI",
        "--build-id",
        "ci-5",
        "-o",
        envFile,
        "--server",
        base,
        "--project",
        "RT",
      ],
      { VERDICT_TOKEN: ciToken },
    );
    expect(created.code).toBe(0);
    const id = Number(created.stdout.trim());
    expect(fs.readFileSync(envFile, "utf8")).toBe(`VERDICT_RUN_ID=${id}\nQASE_TESTOPS_RUN_ID=${id}\n`);
    const again = await verdict(
      ["run", "create", "--title", "From CI", "--build-id", "ci-5", "--server", base, "--project", "RT"],
      { VERDICT_TOKEN: ciToken },
    );
    expect(Number(again.stdout.trim())).toBe(id);
    const sent = await report([fixture("junit/phpunit.xml")], { VERDICT_RUN_ID: String(id) });
    expect(sent.code).toBe(0);
    expect(await results(id)).toHaveLength(2);
    expect((await run(id)).status).toBe(0);
    const done = await verdict(["run", "complete", "--server", base, "--project", "RT"], {
      VERDICT_TOKEN: ciToken,
      QASE_TESTOPS_RUN_ID: String(id),
    });
    expect(done.code).toBe(0);
    expect((await run(id)).status).toBe(1);
  });

  it("exits 4 on a bad token or a token without the rights, having sent nothing", async () => {
    const before = await runCount();
    const bad = await report([fixture("junit/phpunit.xml"), "--title", "x"], {
      VERDICT_TOKEN: "vdt_not_a_real_token",
    });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain("refused the token");
    const reader = await t.token(await t.user("viewer"), { scopes: ["read"] });
    const weak = await report([fixture("junit/phpunit.xml"), "--title", "x"], { VERDICT_TOKEN: reader });
    expect(weak.code).toBe(4);
    expect(await runCount()).toBe(before);
  });

  it("a dry run reads and sums up, sends nothing and needs no token", async () => {
    const before = await runCount();
    const res = await verdict(["report", "--dry-run", fixture("junit/surefire.xml"), "--server", base]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("dry run: 4 results in 1 report file(s), nothing sent");
    expect(res.stdout).toContain("passed 1, failed 1, invalid 1, skipped 1");
    expect(await runCount()).toBe(before);
  });
});
