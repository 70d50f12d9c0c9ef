import { spawn } from "node:child_process";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { startApp, type TestApp } from "../helpers/app.js";
import type { TestDialect } from "../helpers/stores.js";

export const root = path.resolve(".");

/** Per-test limit for tests that run a framework as a child (a few seconds each when the machine is idle). */
export const CHILD_RUN_TIMEOUT = 120_000;
export const projects = path.join(root, "test/fixtures/reporter-projects");

/**
 * A listening Verdict with one project, an owner's token for the checks, a CI token for the reporters
 * (a member's, scope `results`, this project only: what the README tells CI to use) and a scratch
 * directory for files.
 */
export interface Verdict {
  t: TestApp;
  base: string;
  token: string;
  ciToken: string;
  code: string;
  scratch: string;
  /** GET through the API (in process) with the token; fails on anything but 200. */
  get<T>(url: string): Promise<T>;
  post<T>(url: string, body: unknown): Promise<T>;
  /** The bytes of an attachment, as text, from its download route. */
  download(hash: string | undefined): Promise<string>;
  close(): Promise<void>;
}

export async function startVerdict(
  dialect: TestDialect,
  code: string,
  opts: { env?: Record<string, string> } = {},
): Promise<Verdict> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-reporters-"));
  const dataDir = path.join(scratch, "data");
  fs.mkdirSync(dataDir);
  const t = await startApp(dialect, { dataDir, ...(opts.env ? { env: opts.env } : {}) });
  const owner = await t.user("owner");
  await t.project(code, owner);
  const token = await t.token(owner);
  const ci = await t.user("member");
  const ciToken = await t.token(ci, { title: "CI", scopes: ["results"], projects: [code] });
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = t.app.server.address() as AddressInfo;
  const base = `${t.config.tlsCert ? "https" : "http"}://127.0.0.1:${port}`;
  // Reads go through inject: no socket, no certificate to trust, same routes and hooks.
  const call = async <T>(method: "GET" | "POST", url: string, body?: unknown): Promise<T> => {
    const res = await t.app.inject({
      method,
      url,
      headers: { Token: token },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    if (res.statusCode !== 200) throw new Error(`${method} ${url} -> ${res.statusCode} ${res.body}`);
    return res.json<T>();
  };
  return {
    t,
    base,
    token,
    ciToken,
    code,
    scratch,
    get: (url) => call("GET", url),
    post: (url, body) => call("POST", url, body),
    async download(hash) {
      const res = await t.app.inject({ url: `/v1/attachment/${hash}/download`, headers: { Token: token } });
      if (res.statusCode !== 200) throw new Error(`download ${hash} -> ${res.statusCode} ${res.body}`);
      return res.body;
    },
    async close() {
      await t.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * The child's environment: ours without any QASE_* setting (the reporters read those) or the outer
 * Vitest's worker variables, plus the reporter's documented settings for this Verdict.
 */
export function reporterEnv(v: Verdict, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, val] of Object.entries(process.env))
    if (!k.startsWith("QASE_") && !k.startsWith("VITEST") && k !== "NODE_OPTIONS") env[k] = val;
  return {
    ...env,
    FORCE_COLOR: "0",
    NO_COLOR: "1",
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1",
    QASE_MODE: "testops",
    QASE_TESTOPS_API_HOST: v.base,
    QASE_TESTOPS_API_TOKEN: v.ciToken,
    QASE_TESTOPS_PROJECT: v.code,
    QASE_TESTOPS_RUN_COMPLETE: "true",
    ...extra,
  };
}

export interface ChildResult {
  code: number | null;
  output: string;
}

/**
 * Runs a test framework as a child process without blocking our event loop (the server answering
 * the reporter lives in this process), and kills it if it outlives `timeoutMs`.
 */
export function runChild(
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env, stdio: "pipe" });
    let output = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? CHILD_RUN_TIMEOUT - 10_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

// ---- read models, as far as the checks need them ----

export interface Page<T> {
  status: boolean;
  result: { total: number; filtered: number; count: number; entities: T[] };
}
export interface One<T> {
  status: boolean;
  result: T;
}
export interface RunOut {
  id: number;
  title: string;
  status: number;
  status_text: string;
  is_autotest: boolean;
  reporter: string | null;
  environment: { slug: string } | null;
  stats: Record<string, number>;
}
export interface StepOut {
  status: number;
  action: string | null;
  attachments: { hash: string }[];
  steps: StepOut[];
}
export interface ResultOut {
  hash: string;
  case_id: number | null;
  status: string;
  title: string | null;
  signature: string | null;
  suite_path: string[];
  attempt: number;
  is_flaky: boolean;
  stacktrace: string | null;
  comment: string | null;
  steps: StepOut[] | null;
  attachments: { hash: string; filename: string; mime: string; url: string }[];
}
export interface CaseOut {
  id: number;
  title: string;
  suite_id: number | null;
  automation: number;
}
export interface SuiteOut {
  id: number;
  title: string;
  parent_id: number | null;
}

/** The run with the highest id, as GET /v1/run/{code}/{id} shows it. */
export async function latestRun(v: Verdict): Promise<RunOut> {
  const runs = await all<RunOut>(v, `/v1/run/${v.code}`);
  const newest = runs.reduce((a, b) => (b.id > a.id ? b : a));
  return (await v.get<One<RunOut>>(`/v1/run/${v.code}/${newest.id}`)).result;
}

/** Every page of a v1 list (limit 100). */
export async function all<T>(v: Verdict, url: string): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += 100) {
    const sep = url.includes("?") ? "&" : "?";
    const page = await v.get<Page<T>>(`${url}${sep}limit=100&offset=${offset}`);
    out.push(...page.result.entities);
    if (page.result.entities.length < 100) return out;
  }
}

/** The suite titles from the root down to the suite with this id. */
export function suitePath(suites: SuiteOut[], id: number | null): string[] {
  const byId = new Map(suites.map((s) => [s.id, s]));
  const out: string[] = [];
  for (
    let s = id === null ? undefined : byId.get(id);
    s;
    s = s.parent_id === null ? undefined : byId.get(s.parent_id)
  )
    out.unshift(s.title);
  return out;
}
