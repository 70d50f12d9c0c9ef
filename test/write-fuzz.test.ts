import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { type Json, mutate, random } from "./helpers/fuzz.js";
import { dialects } from "./helpers/stores.js";

// Every write route the OpenAPI document lists, with bodies generated from its own request schema and
// then changed at random paths: the answer is a success or a Qase client error, never a 500. Routes
// come from the document, so a new one is fuzzed from the day it is added. FUZZ_N seeds each (20).

const SEEDS = Number(process.env.FUZZ_N ?? 20);

interface Schema {
  type?: string;
  enum?: Json[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
}

/** A value the schema describes, as a client following the document would send it. */
function sample(s: Schema, rnd: () => number, depth = 0): Json {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  if (s.enum) return pick(s.enum);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return sample(pick(variants), rnd, depth);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x) => sample(x, rnd, depth)));
  switch (s.type) {
    case "object": {
      const out: Record<string, Json> = {};
      for (const [k, p] of Object.entries(s.properties ?? {}))
        if (s.required?.includes(k) || (depth < 6 && rnd() < 0.8)) out[k] = sample(p, rnd, depth + 1);
      if (typeof s.additionalProperties === "object" && depth < 6)
        out.field_1 = sample(s.additionalProperties, rnd, depth + 1);
      return out;
    }
    case "array": {
      if (s.maxItems === 0 || depth >= 6) return [];
      const n = Math.max(s.minItems ?? 0, 1);
      return Array.from({ length: n }, () => sample(s.items ?? {}, rnd, depth + 1));
    }
    case "string":
      return "abc".padEnd(s.minLength ?? 0, "x");
    case "integer":
      return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 1, 1));
    case "number":
      return 1.5;
    case "boolean":
      return rnd() < 0.5;
    default:
      return "abc";
  }
}

interface Route {
  method: "POST" | "PATCH" | "PUT";
  path: string;
  schema: Schema | null;
}

/** Session and token lifecycle routes would sign the suite's own credential out; they have suites of their own. */
const SKIPPED = new Set(["/v1/auth/setup", "/v1/auth/login", "/v1/auth/logout", "/v1/token/{id}/rotate"]);

describe.each(dialects)("every write route on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let routes: Route[] = [];
  const path: Record<string, string> = {};
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    const other = await t.user("member");
    await t.project("WZ", owner);
    token = await t.token(owner);
    const post = async (url: string, body: object) => (await call("POST", url, body)).body.result;
    // One of everything, so that generated ids (1) and the path's ids name rows that exist.
    const suite = (await post("/v1/suite/WZ", { title: "Checkout" })).id;
    const caseId = (await post("/v1/case/WZ", { title: "Pays", suite_id: suite })).id;
    await post("/v1/milestone/WZ", { title: "1.0" });
    await post("/v1/environment/WZ", { title: "Staging", slug: "staging" });
    await post("/v1/plan/WZ", { title: "Release", cases: [caseId] });
    const run = (await post("/v1/run/WZ", { title: "Nightly", cases: [caseId] })).id;
    const result = (await post(`/v1/result/WZ/${run}`, { case_id: caseId, status: "failed" })).hash;
    await post("/v1/defect/WZ", { title: "Declined", actual_result: "declined", severity: "major" });
    const shared = (await post("/v1/shared_step/WZ", { title: "Log in", action: "log in" })).hash;
    Object.assign(path, {
      code: "WZ",
      project_code: "WZ",
      run_id: String(run),
      result_hash: result,
      shared_hash: shared,
      other_user: String(other.id),
    });
    await t.app.ready();
    const spec = t.app.swagger() as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>
      >;
    };
    routes = Object.entries(spec.paths).flatMap(([p, ops]) =>
      (["post", "patch", "put"] as const).flatMap((m) => {
        const op = ops[m];
        if (!op || SKIPPED.has(p)) return [];
        const schema = op.requestBody?.content?.["application/json"]?.schema ?? null;
        return [{ method: m.toUpperCase() as Route["method"], path: p, schema }];
      }),
    );
  });
  afterAll(async () => t?.close());

  const urlOf = (p: string) =>
    p.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (name === "hash") return (p.includes("/shared_step/") ? path.shared_hash : path.result_hash) ?? "";
      // Not the suite's own user: its role or activity must not change under it.
      if (name === "id" && p.startsWith("/v1/user/")) return path.other_user as string;
      if (name === "id" && p.startsWith("/v1/result/")) return path.run_id as string;
      return path[name] ?? "1";
    });

  it("answers a success or a client error to any body, generated from the schema or changed from it", async () => {
    expect(routes.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    const answers = new Map<number, number>();
    for (const route of routes) {
      const url = urlOf(route.path);
      for (let seed = 1; seed <= SEEDS; seed++) {
        const rnd = random(seed * 7907 + route.path.length * 31 + route.method.length);
        const body: Json = route.schema ? sample(route.schema, rnd) : {};
        // Seed 1 as the schema describes it; the others with one to three changes.
        const changes =
          seed === 1 || body === null || typeof body !== "object" || Array.isArray(body)
            ? []
            : Array.from({ length: 1 + Math.floor(rnd() * 3) }, () =>
                mutate(body as { [k: string]: Json }, rnd),
              );
        const res = await call(route.method, url, body);
        answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
        const fine =
          res.status < 300
            ? res.status === 204 || res.body?.status === true
            : [400, 403, 404, 409, 413, 422].includes(res.status) &&
              typeof res.body?.errorMessage === "string";
        if (!fine)
          wrong.push(
            `${route.method} ${url} seed ${seed} [${changes.join(", ")}] -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
          );
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    // Generated bodies are accepted often enough that the writes behind the schemas run, too.
    expect(answers.get(200) ?? 0).toBeGreaterThan(routes.length);
    expect((await call("GET", "/v1/project/WZ")).status).toBe(200);
  });

  it("answers sign-in and first-setup attempts with any body with a client error, or signs in", async () => {
    const wrong: string[] = [];
    const email = (await call("GET", `/v1/user/${path.other_user}`)).body.result.email as string;
    for (let seed = 1; seed <= SEEDS * 3; seed++) {
      const rnd = random(seed * 6151);
      const login: Json = { email: rnd() < 0.5 ? email : "nobody@example.test", password: "password-123" };
      const changes = seed === 1 ? [] : [mutate(login as { [k: string]: Json }, rnd)];
      for (const [url, body] of [
        ["/v1/auth/login", login],
        ["/v1/auth/setup", { ...(login as object), name: "Admin" }],
      ] as const) {
        const res = await t.app.inject({ method: "POST", url, payload: body as object });
        const json = res.json() as { status?: boolean; errorMessage?: unknown };
        // 401 a wrong password, 403 setup once done, 429 too many attempts: all client errors.
        const fine =
          res.statusCode === 200
            ? json.status === true
            : [400, 401, 403, 422, 429].includes(res.statusCode) && typeof json.errorMessage === "string";
        if (!fine)
          wrong.push(
            `${url} seed ${seed} [${changes.join(", ")}] -> ${res.statusCode} ${res.body.slice(0, 200)}`,
          );
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });
});
