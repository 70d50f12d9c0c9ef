import fs from "node:fs";
import path from "node:path";
import { FORMATS } from "../../importers/index.js";
import type { ReportFormat } from "../../importers/types.js";
import { usage } from "./exit.js";
import type { SkippedAs } from "./payload.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";

type Env = Record<string, string | undefined>;

/** The first value set: flags, then Verdict's variables, then the Qase reporters' ones. */
function pick(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v !== "");
}

function int(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max)
    throw usage(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return Number(raw);
}

function bool(name: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw usage(`${name} must be true or false, got "${raw}"`);
}

export const splitList = (raw: string | string[] | undefined): string[] =>
  (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .flatMap((v) => v.split(","))
    .map((s) => s.trim())
    .filter(Boolean);

export interface ConnectionFlags {
  server?: string;
  token?: string;
  project?: string;
  projectId?: string;
  retries?: string;
  retryDelay?: string;
  timeout?: string;
}

export interface Connection {
  server: string;
  token: string;
  project: string;
  retry: RetryPolicy;
  timeoutMs: number;
}

/** Where and as whom to talk: --server/VERDICT_URL, --token/VERDICT_TOKEN/QASE_TESTOPS_API_TOKEN, --project. */
export function resolveConnection(flags: ConnectionFlags, env: Env, required = true): Connection {
  const qaseHost = env.QASE_TESTOPS_API_HOST;
  const server = pick(
    flags.server,
    env.VERDICT_URL,
    qaseHost && /^https?:\/\//i.test(qaseHost) ? qaseHost : undefined,
  );
  const token = pick(flags.token, env.VERDICT_TOKEN, env.QASE_TESTOPS_API_TOKEN);
  const project = pick(flags.project, flags.projectId, env.VERDICT_PROJECT, env.QASE_TESTOPS_PROJECT);
  if (required && !token) throw usage("a token is required: --token or VERDICT_TOKEN");
  if (required && !project) throw usage("a project is required: --project CODE or VERDICT_PROJECT");
  if (project && !/^[A-Za-z0-9]{2,10}$/.test(project))
    throw usage(`--project must be a project code (2 to 10 letters), got "${project}"`);
  const finalServer = server ?? "http://127.0.0.1:8080";
  if (!/^https?:\/\/[^/\s]+/i.test(finalServer))
    throw usage(`--server must be an http(s) URL such as http://verdict.example:8080, got "${finalServer}"`);
  return {
    server: finalServer.replace(/\/+$/, ""),
    token: token ?? "",
    project: project ?? "",
    retry: {
      ...DEFAULT_RETRY,
      retries: int("--retries", flags.retries, 0, 20) ?? DEFAULT_RETRY.retries,
      baseDelayMs: int("--retry-delay", flags.retryDelay, 0, 60_000) ?? DEFAULT_RETRY.baseDelayMs,
    },
    timeoutMs: (int("--timeout", flags.timeout, 1, 3600) ?? 60) * 1000,
  };
}

export interface RunFlags {
  title?: string;
  description?: string;
  environment?: string;
  milestone?: string;
  plan?: string;
  tags?: string[];
  buildId?: string;
}

export interface RunSettings {
  title: string | undefined;
  description: string | undefined;
  environmentSlug: string | undefined;
  milestoneId: number | undefined;
  planId: number | undefined;
  tags: string[];
  buildId: string | undefined;
}

const MAX_ID = 2147483647;

export function resolveRunSettings(flags: RunFlags, env: Env): RunSettings {
  const buildId = pick(flags.buildId, env.VERDICT_BUILD_ID);
  if (buildId !== undefined && buildId.length > 200) throw usage("--build-id is longer than 200 characters");
  const title = pick(flags.title, env.QASE_TESTOPS_RUN_TITLE);
  if (title !== undefined && title.length > 255) throw usage("--title is longer than 255 characters");
  return {
    title,
    description: pick(flags.description, env.QASE_TESTOPS_RUN_DESCRIPTION),
    environmentSlug: pick(flags.environment, env.VERDICT_ENVIRONMENT, env.QASE_ENVIRONMENT),
    milestoneId: int("--milestone", pick(flags.milestone, env.QASE_MILESTONE), 1, MAX_ID),
    planId: int("--plan", pick(flags.plan, env.QASE_TESTOPS_PLAN_ID), 1, MAX_ID),
    tags: splitList(flags.tags && flags.tags.length > 0 ? flags.tags : env.QASE_TESTOPS_RUN_TAGS),
    buildId,
  };
}

export interface ReportFlags extends ConnectionFlags, RunFlags {
  runId?: string;
  cycleId?: string;
  resultsFile?: string[];
  format?: string;
  rootSuite?: string;
  batchSize?: string;
  concurrency?: string;
  attachments?: boolean;
  attachmentsRoot?: string[];
  complete?: boolean;
  reportSkippedAs?: string;
  dryRun?: boolean;
  json?: boolean;
}

export interface ReportOptions {
  connection: Connection;
  run: RunSettings;
  /** An existing run to report into. */
  runId: number | undefined;
  paths: string[];
  format: ReportFormat | "auto";
  rootSuite: string | null;
  batchSize: number;
  concurrency: number;
  attachments: boolean;
  /** Directories attachments may also come from, besides each report's own (--attachments-root). */
  attachmentsRoots: string[];
  /** Complete the run at the end; undefined: only when this command created it for itself. */
  complete: boolean | undefined;
  skippedAs: SkippedAs;
  dryRun: boolean;
  json: boolean;
}

function attachmentsRoot(dir: string): string {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw usage(`--attachments-root ${dir} is not a directory`);
  return path.resolve(dir);
}

/** Flags and environment of `verdict report`, checked; every mistake is a usage error (exit 2). */
export function resolveReportOptions(args: string[], flags: ReportFlags, env: Env): ReportOptions {
  const dryRun = flags.dryRun === true;
  const connection = resolveConnection(flags, env, !dryRun);
  const run = resolveRunSettings(flags, env);
  const explicitRun = pick(flags.runId, flags.cycleId);
  if (explicitRun !== undefined && flags.title !== undefined)
    throw usage("--run-id and --title are exclusive: report into an existing run, or create one");
  if (explicitRun !== undefined && flags.buildId !== undefined)
    throw usage("--run-id and --build-id are exclusive: the build id finds or creates the run");
  // A run id from the environment (written by `verdict run create`) applies unless the flags say otherwise.
  const runRaw =
    explicitRun ??
    (flags.title === undefined && run.buildId === undefined
      ? pick(env.VERDICT_RUN_ID, env.QASE_TESTOPS_RUN_ID)
      : undefined);
  const runId = int("--run-id", runRaw, 1, MAX_ID);

  const paths = [...args, ...(flags.resultsFile ?? [])];
  if (paths.length === 0) throw usage("name the report: verdict report PATH... or --results-file PATH");
  const format = (flags.format ?? "auto").toLowerCase();
  if (format !== "auto" && !(FORMATS as readonly string[]).includes(format))
    throw usage(`--format must be auto or one of ${FORMATS.join(", ")}, got "${flags.format}"`);
  const skippedAs = flags.reportSkippedAs ?? "skipped";
  if (skippedAs !== "skipped" && skippedAs !== "blocked" && skippedAs !== "ignore")
    throw usage(`--report-skipped-as must be skipped, blocked or ignore, got "${skippedAs}"`);
  const attachmentsEnv = bool("QASE_TESTOPS_UPLOAD_ATTACHMENTS", env.QASE_TESTOPS_UPLOAD_ATTACHMENTS);
  const rootSuite = pick(flags.rootSuite, env.QASE_ROOT_SUITE)?.trim();
  return {
    connection,
    run,
    runId,
    paths,
    format: format as ReportFormat | "auto",
    rootSuite: rootSuite ? rootSuite : null,
    batchSize: int("--batch-size", pick(flags.batchSize, env.QASE_TESTOPS_BATCH_SIZE), 1, 2000) ?? 200,
    concurrency: int("--concurrency", flags.concurrency, 1, 16) ?? 4,
    attachments: flags.attachments === false ? false : (attachmentsEnv ?? true),
    attachmentsRoots: (flags.attachmentsRoot ?? []).map(attachmentsRoot),
    complete: flags.complete ?? bool("QASE_TESTOPS_RUN_COMPLETE", env.QASE_TESTOPS_RUN_COMPLETE),
    skippedAs,
    dryRun,
    json: flags.json === true,
  };
}
