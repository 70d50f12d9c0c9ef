import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { random } from "./helpers/fuzz.js";
import { dialects } from "./helpers/stores.js";

// Every list and read a script or a browser can call takes query parameters; whatever they hold, the
// answer is 200 or a Qase client error, never a 500. The routes and their parameters come from the
// OpenAPI document the server publishes, so a new filter is fuzzed from the day it is added.

const SEEDS = Number(process.env.FUZZ_N ?? 25);

const ODD = [
  "",
  " ",
  "0",
  "-1",
  "1",
  "1.5",
  "2147483648",
  "99999999999999999999",
  "1,2,3",
  "1,,x",
  ",",
  "x",
  "\u0000",
  "%",
  "_",
  "😀",
  "true",
  "false",
  "null",
  "[]",
  "{}",
  "x".repeat(5000),
  "passed,failed",
  "passed",
  "failed",
  "in_progress",
  "open",
  "critical",
  "case",
  "2026-11-30",
  "2026-11-30 10:00:00",
  "1763800000",
  "-99999999999999",
  "1e3",
  "NaN",
  "Infinity",
  "cases,defects",
  'entity = "case"',
];

interface Operation {
  path: string;
  query: string[];
}

describe.each(dialects)("query parameters on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let operations: Operation[] = [];
  const values: Record<string, string> = {};
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("QZ", owner);
    token = await t.token(owner);
    const post = async (url: string, body: object) => (await call("POST", url, body)).body.result;
    const suite = (await post("/v1/suite/QZ", { title: "Checkout" })).id;
    const caseId = (await post("/v1/case/QZ", { title: "Pays", suite_id: suite, tags: ["smoke"] })).id;
    const run = (await post("/v1/run/QZ", { title: "Nightly", cases: [caseId] })).id;
    const hash = (await post(`/v1/result/QZ/${run}`, { case_id: caseId, status: "failed" })).hash;
    await post("/v1/defect/QZ", { title: "Declined", actual_result: "declined", severity: "major" });
    await post("/v1/plan/QZ", { title: "Release", cases: [caseId] });
    // Path parameters: the project, and ids and hashes of rows that exist (others answer 404, also fine).
    Object.assign(values, { code: "QZ", project_code: "QZ", id: String(caseId), hash, run_id: String(run) });
    await t.app.ready();
    const spec = t.app.swagger() as {
      paths: Record<string, { get?: { parameters?: { in: string; name: string }[] } }>;
    };
    operations = Object.entries(spec.paths).flatMap(([path, ops]) => {
      const query = (ops.get?.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
      return query.length > 0 ? [{ path, query }] : [];
    });
  });
  afterAll(async () => t?.close());

  it("answers a client error to odd path parameters on every route, whatever the method", async () => {
    const spec = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const odd = ["0", "-1", "abc", "1.5", "1e3", "%20", "%00", "%F0%9F%98%80", "x".repeat(300), "%2F"];
    const json = { "content-type": "application/json" };
    const wrong: string[] = [];
    let asked = 0;
    for (const [p, ops] of Object.entries(spec.paths))
      for (const method of Object.keys(ops).filter((m) =>
        ["get", "post", "patch", "put", "delete"].includes(m),
      ))
        for (const name of p.match(/\{(\w+)\}/g) ?? [])
          for (const value of odd) {
            const url = p.replace(/\{(\w+)\}/g, (whole, n: string) =>
              whole === name ? value : (values[n] ?? "1"),
            );
            const res = await t.app.inject({
              method: method.toUpperCase() as "GET",
              url,
              ...(method === "get" || method === "delete"
                ? {}
                : { payload: "{}", headers: { ...json, token } }),
              ...(method === "get" || method === "delete" ? { headers: { token } } : {}),
            });
            asked++;
            if (res.statusCode >= 500)
              wrong.push(
                `${method.toUpperCase()} ${url.slice(0, 120)} -> ${res.statusCode} ${res.body.slice(0, 200)}`,
              );
          }
    expect(asked).toBeGreaterThan(1000);
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it("answers 200 or a client error to any query parameters of any GET route", async () => {
    // The filters the API is known for must be among them, or the document stopped describing them.
    const paths = operations.map((o) => o.path);
    for (const p of ["/v1/case/{code}", "/v1/result/{code}", "/v1/run/{code}", "/v1/search", "/v1/audit"])
      expect(paths).toContain(p);
    const wrong: string[] = [];
    const answers = new Map<number, number>();
    for (const op of operations) {
      const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "1");
      // Each parameter alone with each value, then random combinations of them.
      const single = op.query.flatMap((name) => ODD.map((v) => new URLSearchParams([[name, v]])));
      const mixed = Array.from({ length: SEEDS }, (_, seed) => {
        const rnd = random(seed * 104729 + op.path.length);
        const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
        const params = new URLSearchParams();
        for (const name of op.query) {
          if (rnd() < 0.5) continue;
          params.append(name, pick(ODD));
          // The same parameter twice arrives as an array.
          if (rnd() < 0.1) params.append(name, pick(ODD));
        }
        return params;
      });
      for (const params of [...single, ...mixed]) {
        const target = `${url}?${params.toString()}`;
        const res = await call("GET", target);
        answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
        const fine =
          res.status === 200
            ? res.body?.status === true
            : [400, 403, 404, 422].includes(res.status) && typeof res.body?.errorMessage === "string";
        if (!fine)
          wrong.push(
            `GET ${target.slice(0, 300)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
          );
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(answers.get(200) ?? 0).toBeGreaterThan(operations.length);
    expect(answers.get(422) ?? 0).toBeGreaterThan(operations.length);
  });
});
