/**
 * Every operation of Qase's OpenAPI specs (v1 and v2) driven once with a valid request against a seeded
 * project, its answer's status declared by the spec and its body valid against the spec's schema for that
 * status. The specs are not in this repository: they are read from VERDICT_QASE_SPECS, else from the
 * shared/qase-specs beside the checkout (see test/fixtures/qase-specs/README.md).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "./helpers/app.js";
import { loadQaseSpecs, type SpecOperation } from "./helpers/qase-spec.js";
import { dialects } from "./helpers/stores.js";

/** The checkout's sibling shared/ (CI lays a copy of it beside the clone), unless told otherwise. */
const SPECS =
  process.env.VERDICT_QASE_SPECS ?? fileURLToPath(new URL("../../shared/qase-specs", import.meta.url));
const present = fs.existsSync(path.join(SPECS, "testops-api", "v1", "src.yaml"));
if (!present) console.warn(`qase-conformance: no Qase specs at ${SPECS}; set VERDICT_QASE_SPECS`);

/**
 * Known departures, each with its reason. A run's external issue is stored as Qase takes it, a key such as
 * "OPS-2"; Qase's `link` is the tracker's URL for it, which a server with no tracker connected cannot build.
 */
const KNOWN: Record<string, RegExp> = {
  "get-run": /^\/result\/external_issue\/link must match format "uri"/,
  "get-runs": /^\/result\/entities\/\d+\/external_issue\/link must match format "uri"/,
};

const CODE = "QC";
const HASH = "0123456789abcdef0123456789abcdef01234567";

/** A multipart body with one `file[]` part, as the reporters send it. */
function multipart(filename: string, content: string) {
  const b = "----verdictconformance";
  return {
    payload: Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="file[]"; filename="${filename}"\r\n` +
        `Content-Type: text/plain\r\n\r\n${content}\r\n--${b}--\r\n`,
    ),
    headers: { "content-type": `multipart/form-data; boundary=${b}` },
  };
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are read for ids and checked by the spec's schemas
  body: any;
}

describe.skipIf(!present).each(dialects)("Qase spec conformance on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let dataDir = "";
  let ops: SpecOperation[] = [];
  /** operationId -> what went wrong; an operation driven and valid maps to "". */
  const outcome = new Map<string, string>();

  beforeAll(async () => {
    ops = loadQaseSpecs(SPECS);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-conformance-"));
    t = await startApp(dialect, { dataDir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Calls the operation and checks the answer against the spec; returns it for the ids that follow. */
  async function op(
    id: string,
    url: string,
    payload?: unknown,
    extra: { headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const spec = ops.find((o) => o.id === id);
    if (!spec) throw new Error(`no operation ${id} in the spec`);
    const prefix = `/${spec.version}`;
    const res = await t.app.inject({
      method: spec.method as "GET",
      url: `${prefix}${url}`,
      headers: { token, ...extra.headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    const body = res.body === "" ? null : res.json();
    const problems: string[] = [];
    if (res.statusCode >= 300 || !spec.statuses.includes(String(res.statusCode)))
      problems.push(`status ${res.statusCode} ${JSON.stringify(body).slice(0, 300)}`);
    else {
      const validate = spec.validator(res.statusCode);
      if (validate && !validate(body))
        problems.push(
          ...(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`),
        );
    }
    const known = KNOWN[id];
    const before = outcome.get(id);
    const kept = problems.filter((p) => !known?.test(p));
    outcome.set(id, [before, ...kept].filter(Boolean).join("; "));
    return { status: res.statusCode, body };
  }

  it("answers every operation of Qase's v1 and v2 specs as they declare", async () => {
    expect(ops.length).toBeGreaterThanOrEqual(93);
    const owner = await t.user("owner");
    const member = await t.user("member");
    token = await t.token(owner);

    // Projects and access.
    await op("create-project", "/project", { title: "Conformance", code: CODE, access: "all" });
    await op("create-project", "/project", { title: "Doomed", code: "QCX" });
    await op("get-projects", "/project");
    await op("get-project", `/project/${CODE}`);
    await op("grant-access-to-project", `/project/${CODE}/access`, { member_id: member.id });
    await op("revoke-access-to-project", `/project/${CODE}/access`, { member_id: member.id });

    // Workspace: users, authors, fields.
    await op("get-users", "/user");
    await op("get-user", `/user/${owner.id}`);
    const authors = await op("get-authors", "/author");
    await op("get-author", `/author/${authors.body?.result?.entities?.[0]?.id ?? owner.id}`);
    await op("get-system-fields", "/system_field");
    const field = await op("create-custom-field", "/custom_field", {
      title: "Layer",
      entity: 0,
      type: 3,
      value: [{ title: "UI" }, { title: "API" }],
      is_enabled_for_all_projects: true,
    });
    const fieldId = field.body?.result?.id;
    await op("create-custom-field", "/custom_field", { title: "Note", entity: 2, type: 1 });
    await op("update-custom-field", `/custom_field/${fieldId}`, { title: "Layers" });
    await op("get-custom-fields", "/custom_field");
    await op("get-custom-field", `/custom_field/${fieldId}`);
    await op("get-custom-fields-v2", "/custom_field");
    await op("get-custom-field-v2", `/custom_field/${fieldId}`);
    const param = await op("create-shared-parameter", "/shared_parameter", {
      title: "Browser",
      type: "single",
      is_enabled_for_all_projects: true,
      parameters: [{ title: "browser", values: ["chromium", "firefox"] }],
    });
    const paramId = param.body?.result?.id;
    await op("update-shared-parameter", `/shared_parameter/${paramId}`, { title: "Browsers" });
    await op("get-shared-parameters", "/shared_parameter");
    await op("get-shared-parameter", `/shared_parameter/${paramId}`);

    // Planning metadata.
    const milestone = await op("create-milestone", `/milestone/${CODE}`, { title: "M1" });
    const milestoneId = milestone.body?.result?.id;
    await op("update-milestone", `/milestone/${CODE}/${milestoneId}`, { description: "first" });
    await op("get-milestones", `/milestone/${CODE}`);
    await op("get-milestone", `/milestone/${CODE}/${milestoneId}`);
    const env = await op("create-environment", `/environment/${CODE}`, { title: "Staging", slug: "staging" });
    const envId = env.body?.result?.id;
    await op("update-environment", `/environment/${CODE}/${envId}`, { host: "staging.example.test" });
    await op("get-environments", `/environment/${CODE}`);
    await op("get-environment", `/environment/${CODE}/${envId}`);
    const group = await op("create-configuration-group", `/configuration/${CODE}/group`, { title: "OS" });
    await op("create-configuration", `/configuration/${CODE}`, {
      title: "Linux",
      group_id: group.body?.result?.id,
    });
    await op("get-configurations", `/configuration/${CODE}`);

    // Attachments.
    const log = multipart("log.txt", "hello");
    const uploaded = await op("upload-attachment", `/attachment/${CODE}`, log.payload, {
      headers: log.headers,
    });
    const hash = uploaded.body?.result?.[0]?.hash ?? HASH;
    const bye = multipart("b.txt", "bye");
    const spare = await op("upload-attachment", `/attachment/${CODE}`, bye.payload, { headers: bye.headers });
    await op("get-attachments", "/attachment");
    await op("get-attachment", `/attachment/${hash}`);

    // Repository.
    const suite = await op("create-suite", `/suite/${CODE}`, { title: "Login" });
    const suiteId = suite.body?.result?.id;
    await op("update-suite", `/suite/${CODE}/${suiteId}`, { description: "sign-in" });
    await op("get-suites", `/suite/${CODE}`);
    await op("get-suite", `/suite/${CODE}/${suiteId}`);
    const shared = await op("create-shared-step", `/shared_step/${CODE}`, {
      title: "Open the app",
      steps: [{ action: "open" }, { action: "look", expected_result: "page" }],
    });
    const sharedHash = shared.body?.result?.hash;
    await op("update-shared-step", `/shared_step/${CODE}/${sharedHash}`, {
      title: "Open it",
      steps: [{ action: "open" }],
    });
    await op("get-shared-steps", `/shared_step/${CODE}`);
    await op("get-shared-step", `/shared_step/${CODE}/${sharedHash}`);
    const kase = await op("create-case", `/case/${CODE}`, {
      title: "Signs in",
      suite_id: suiteId,
      milestone_id: milestoneId,
      description: "a user signs in",
      tags: ["auth"],
      attachments: [hash],
      custom_field: { [String(fieldId)]: "1" },
      steps: [{ action: "type the password", expected_result: "signed in", attachments: [hash] }],
    });
    const caseId = kase.body?.result?.id;
    await op("update-case", `/case/${CODE}/${caseId}`, { severity: 2 });
    const bulk = await op("bulk", `/case/${CODE}/bulk`, {
      cases: [{ title: "Signs out" }, { title: "Gone" }],
    });
    const spareCase = bulk.body?.result?.ids?.[1];
    await op("case-attach-external-issue", `/case/${CODE}/external-issue/attach`, {
      type: "jira-cloud",
      links: [{ case_id: caseId, external_issues: ["OPS-1"] }],
    });
    await op("case-detach-external-issue", `/case/${CODE}/external-issue/detach`, {
      type: "jira-cloud",
      links: [{ case_id: caseId, external_issues: ["OPS-1"] }],
    });
    await op("get-cases", `/case/${CODE}`);
    await op("get-case", `/case/${CODE}/${caseId}`);
    const review = await op("create-review", `/review/${CODE}`, {
      title: "Tighten sign-in",
      case_id: caseId,
      proposed_case: { description: "stricter" },
    });
    const reviewId = review.body?.result?.id;
    await op("update-review", `/review/${CODE}/${reviewId}`, { title: "Tighten it" });
    await op("bulk-create-reviews", `/review/${CODE}/bulk`, {
      reviews: [{ title: "Another", case_id: caseId, proposed_case: { description: "x" } }],
    });
    await op("get-reviews", `/review/${CODE}`);
    await op("get-review", `/review/${CODE}/${reviewId}`);

    // Plans, runs, results.
    const plan = await op("create-plan", `/plan/${CODE}`, { title: "Smoke", cases: [caseId] });
    const planId = plan.body?.result?.id;
    await op("update-plan", `/plan/${CODE}/${planId}`, { description: "daily" });
    await op("get-plans", `/plan/${CODE}`);
    await op("get-plan", `/plan/${CODE}/${planId}`);
    const run = await op("create-run", `/run/${CODE}`, {
      title: "Nightly",
      cases: [caseId],
      environment_id: envId,
      milestone_id: milestoneId,
    });
    const runId = run.body?.result?.id;
    await op("update-run", `/run/${CODE}/${runId}`, { description: "nightly build" });
    await op("run-update-external-issue", `/run/${CODE}/external-issue`, {
      type: "jira-cloud",
      links: [{ run_id: runId, external_issue: "OPS-2" }],
    });
    await op("update-run-publicity", `/run/${CODE}/${runId}/public`, { status: true });
    const result = await op("create-result", `/result/${CODE}/${runId}`, {
      case_id: caseId,
      status: "failed",
      comment: "broke",
      attachments: [hash],
      steps: [{ position: 1, status: "failed", attachments: [hash] }],
    });
    const resultHash = result.body?.result?.hash;
    await op("create-result-bulk", `/result/${CODE}/${runId}/bulk`, {
      results: [{ case_id: caseId, status: "passed", steps: [{ position: 1, status: "passed" }] }],
    });
    await op("update-result", `/result/${CODE}/${runId}/${resultHash}`, {
      status: "failed",
      comment: "still",
    });
    await op("create-result-v2", `/${CODE}/run/${runId}/result`, {
      title: "Signs in",
      testops_ids: [caseId],
      execution: { status: "failed" },
      steps: [{ data: { action: "type" }, execution: { status: "failed" } }],
    });
    await op("create-results-v2", `/${CODE}/run/${runId}/results`, {
      results: [{ title: "Auto", execution: { status: "passed" } }],
    });
    await op("get-results", `/result/${CODE}`);
    await op("get-result", `/result/${CODE}/${resultHash}`);
    await op("get-runs", `/run/${CODE}?include=cases`);
    await op("get-run", `/run/${CODE}/${runId}?include=cases`);

    // Defects.
    const defect = await op("create-defect", `/defect/${CODE}`, {
      title: "Sign-in breaks",
      actual_result: "500",
      severity: 2,
      attachments: [hash],
    });
    const defectId = defect.body?.result?.id;
    await op("update-defect", `/defect/${CODE}/${defectId}`, { title: "Sign-in fails" });
    await op("update-defect-status", `/defect/${CODE}/status/${defectId}`, { status: "in_progress" });
    await op("resolve-defect", `/defect/${CODE}/resolve/${defectId}`);
    await op("get-defects", `/defect/${CODE}`);
    await op("get-defect", `/defect/${CODE}/${defectId}`);

    await op("search", `/search?query=${encodeURIComponent(`entity = "case" and project = "${CODE}"`)}`);

    // Deletions, last.
    await op("complete-run", `/run/${CODE}/${runId}/complete`);
    await op("delete-result", `/result/${CODE}/${runId}/${resultHash}`);
    await op("delete-run", `/run/${CODE}/${runId}`);
    await op("delete-defect", `/defect/${CODE}/${defectId}`);
    await op("delete-plan", `/plan/${CODE}/${planId}`);
    await op("delete-review", `/review/${CODE}/${reviewId}`);
    await op("delete-case", `/case/${CODE}/${spareCase}`);
    await op("delete-shared-step", `/shared_step/${CODE}/${sharedHash}`);
    await op("delete-suite", `/suite/${CODE}/${suiteId}`);
    await op("delete-attachment", `/attachment/${spare.body?.result?.[0]?.hash ?? HASH}`);
    await op("delete-environment", `/environment/${CODE}/${envId}`);
    await op("delete-milestone", `/milestone/${CODE}/${milestoneId}`);
    await op("delete-shared-parameter", `/shared_parameter/${paramId}`);
    await op("delete-custom-field", `/custom_field/${fieldId}`);
    await op("delete-project", "/project/QCX");

    const undriven = ops.map((o) => o.id).filter((id) => !outcome.has(id));
    const failing = [...outcome].filter(([, p]) => p !== "").map(([id, p]) => `${id}: ${p}`);
    expect({ undriven, failing }).toEqual({ undriven: [], failing: [] });
  });
});
