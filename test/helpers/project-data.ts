import { expect } from "vitest";
import type { Reply } from "./api.js";
import type { TestApp } from "./app.js";

type Call = (method: string, url: string, payload?: unknown, auth?: string) => Promise<Reply>;

/** Uploads one small text file to a project (the app needs a data directory) and returns its hash. */
export async function uploadAttachment(
  t: TestApp,
  token: string,
  code: string,
  text: string,
): Promise<string> {
  const boundary = "----verdicthelper";
  const payload = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file[]"; filename="note.txt"\r\n` +
      `Content-Type: text/plain\r\n\r\n${text}\r\n--${boundary}--\r\n`,
  );
  const res = await t.app.inject({
    method: "POST",
    url: `/v1/attachment/${code}`,
    payload,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}`, token },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().result[0].hash as string;
}

/**
 * Fills a project through the API with one of everything a project holds: suite, case (with a custom
 * field value, an attachment, a shared step, tags and a second version), milestone, environment,
 * configuration, plan, runs with results (v1 and v2, a defect opened by a failed result), a public link,
 * an external issue, a review, a shared parameter enabled for it, a member and a token restricted to it.
 */
export async function fillProject(t: TestApp, call: Call, token: string, code: string) {
  const ok = async (method: string, url: string, body?: unknown) => {
    const r = await call(method, url, body);
    expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body?.result;
  };
  const hash = await uploadAttachment(t, token, code, `evidence of ${code}`);
  const field = (
    await ok("POST", "/v1/custom_field", { title: `F ${code}`, entity: 0, type: 1, projects_codes: [code] })
  ).id;
  await ok("POST", "/v1/shared_parameter", {
    title: `P ${code}`,
    type: "single",
    project_codes: [code],
    is_enabled_for_all_projects: false,
    parameters: [{ title: "browser", values: ["chrome"] }],
  });
  const sharedStep = (
    await ok("POST", `/v1/shared_step/${code}`, { title: "Log in", steps: [{ action: "go" }] })
  ).hash;
  const suite = (await ok("POST", `/v1/suite/${code}`, { title: "Suite" })).id;
  const milestone = (await ok("POST", `/v1/milestone/${code}`, { title: "M1" })).id;
  const environment = (await ok("POST", `/v1/environment/${code}`, { title: "Staging", slug: "staging" })).id;
  const group = (await ok("POST", `/v1/configuration/${code}/group`, { title: "Browser" })).id;
  const configuration = (await ok("POST", `/v1/configuration/${code}`, { title: "Chrome", group_id: group }))
    .id;
  const caseId = (
    await ok("POST", `/v1/case/${code}`, {
      title: "Case",
      suite_id: suite,
      milestone_id: milestone,
      tags: ["smoke"],
      attachments: [hash],
      custom_field: { [field]: "value" },
      steps: [{ action: "do", attachments: [hash] }, { shared: sharedStep }],
    })
  ).id;
  await ok("PATCH", `/v1/case/${code}/${caseId}`, { title: "Case v2" });
  await ok("POST", `/v1/case/${code}/external-issue/attach`, {
    type: "jira-cloud",
    links: [{ case_id: caseId, external_issues: ["JIRA-1"] }],
  });
  const plan = (await ok("POST", `/v1/plan/${code}`, { title: "Plan", cases: [caseId] })).id;
  const run = (
    await ok("POST", `/v1/run/${code}`, {
      title: "Run",
      cases: [caseId],
      environment_id: environment,
      milestone_id: milestone,
      plan_id: plan,
      configurations: [configuration],
      tags: ["nightly"],
    })
  ).id;
  await ok("POST", `/v1/result/${code}/${run}`, {
    case_id: caseId,
    status: "failed",
    defect: true,
    attachments: [hash],
    comment: "broke",
  });
  await ok("POST", `/v2/${code}/run/${run}/results`, {
    results: [{ title: "Reported", execution: { status: "passed" } }],
  });
  await ok("PATCH", `/v1/run/${code}/${run}/public`, { status: true });
  await ok("POST", `/v1/run/${code}/external-issue`, {
    type: "jira-cloud",
    links: [{ run_id: run, external_issue: "JIRA-2" }],
  });
  await ok("POST", `/v1/run/${code}/${run}/complete`);
  await ok("POST", `/v1/run/${code}`, { title: "Open run", cases: [caseId] });
  await ok("POST", `/v1/defect/${code}`, {
    title: "Defect",
    actual_result: "wrong",
    severity: "major",
    attachments: [hash],
  });
  await ok("POST", `/v1/review/${code}`, { case_id: caseId, proposed_case: { title: "Better" } });
  const member = await t.user("member");
  await ok("POST", `/v1/project/${code}/access`, { member_id: member.id });
  const restricted = await t.token(member, { projects: [code] });
  return { hash, caseId, run, member, restricted };
}
