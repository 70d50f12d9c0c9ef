import { CliError, EXIT } from "./exit.js";
import { type ApiClient, cliErrorOf } from "./http.js";

export interface RunInfo {
  id: number;
  title: string;
  status: number;
  status_text?: string;
  build_id?: string | null;
  stats?: { total: number; statuses?: Record<string, number> } & Record<string, unknown>;
}

export interface RunCreate {
  title: string;
  description?: string | undefined;
  environmentSlug?: string | undefined;
  milestoneId?: number | undefined;
  planId?: number | undefined;
  tags?: string[] | undefined;
  buildId?: string | undefined;
  /** Epoch ms; the run's start as the server shows it. */
  startTime?: number | undefined;
}

/** "YYYY-MM-DD HH:MM:SS" in UTC, the form every Qase client sends. */
export function qaseTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

export const runUrl = (server: string, code: string, id: number) =>
  `${server.replace(/\/+$/, "")}/projects/${encodeURIComponent(code.toUpperCase())}/runs/${id}`;

/**
 * Creates a run. With a build id the server returns the build's run if it exists (atomically, so
 * racing shards share one run), which also makes the call safe to retry; without one it is not.
 */
export async function createRun(client: ApiClient, code: string, run: RunCreate): Promise<number> {
  try {
    const res = await client.request<{ result: { id: number } }>(
      "POST",
      `/v1/run/${encodeURIComponent(code)}`,
      {
        json: {
          title: run.title,
          ...(run.description ? { description: run.description } : {}),
          is_autotest: true,
          start_time: qaseTime(run.startTime ?? Date.now()),
          ...(run.environmentSlug ? { environment_slug: run.environmentSlug } : {}),
          ...(run.milestoneId !== undefined ? { milestone_id: run.milestoneId } : {}),
          ...(run.planId !== undefined ? { plan_id: run.planId } : {}),
          ...(run.tags && run.tags.length > 0 ? { tags: run.tags } : {}),
          ...(run.buildId ? { build_id: run.buildId } : {}),
        },
        idempotent: run.buildId !== undefined,
      },
    );
    const id = res.result?.id;
    if (typeof id !== "number")
      throw new CliError(EXIT.server, `POST /v1/run/${code}: the answer has no run id`);
    return id;
  } catch (err) {
    throw cliErrorOf(err, "setup");
  }
}

export async function getRun(client: ApiClient, code: string, id: number): Promise<RunInfo> {
  try {
    const res = await client.request<{ result: RunInfo }>("GET", `/v1/run/${encodeURIComponent(code)}/${id}`);
    return res.result;
  } catch (err) {
    throw cliErrorOf(err, "setup");
  }
}

/** The run of a CI build (Verdict's build_id filter); null when the build has none yet. */
export async function findRunByBuild(
  client: ApiClient,
  code: string,
  buildId: string,
): Promise<RunInfo | null> {
  try {
    const res = await client.request<{ result: { entities: RunInfo[] } }>(
      "GET",
      `/v1/run/${encodeURIComponent(code)}?build_id=${encodeURIComponent(buildId)}&limit=100`,
    );
    // A server that ignores the filter (Qase) lists every run: only an exact match counts.
    return res.result.entities.find((r) => r.build_id === buildId) ?? null;
  } catch (err) {
    throw cliErrorOf(err, "setup");
  }
}

export async function completeRun(client: ApiClient, code: string, id: number): Promise<void> {
  try {
    await client.request("POST", `/v1/run/${encodeURIComponent(code)}/${id}/complete`, { json: {} });
  } catch (err) {
    throw cliErrorOf(err, "send");
  }
}
