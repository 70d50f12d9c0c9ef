import { setTimeout as sleep } from "node:timers/promises";
import { CliError, EXIT } from "./exit.js";
import { DEFAULT_RETRY, isRetryableStatus, parseRetryAfter, type RetryPolicy, retryDelay } from "./retry.js";

export const CLIENT_VERSION = "0.1.0";

/** An answer the server gave that was not a success, or no answer at all (status null). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number | null,
    message: string,
    readonly method: string,
    readonly path: string,
    /** Qase's errorFields, when the server named the fields it refused. */
    readonly fields: { field: string; error: string }[] = [],
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** Server root, e.g. http://127.0.0.1:8080 (the API lives at /v1 and /v2 below it). */
  server: string;
  token: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  /** Told before each wait, so the user sees why nothing moves. */
  onRetry?: (info: {
    method: string;
    path: string;
    reason: string;
    delayMs: number;
    attempt: number;
  }) => void;
  wait?: (ms: number) => Promise<unknown>;
}

export interface RequestOptions {
  json?: unknown;
  /** Multipart bodies are rebuilt per attempt: a FormData's streams are spent once sent. */
  form?: () => FormData;
  /**
   * Whether repeating the request is harmless once the server may have acted on it. When false, only
   * answers that prove nothing was done (429, 503, connection refused) are retried.
   */
  idempotent?: boolean;
}

/** Qase puts the reason in errorMessage (+ errorFields); other shapes use error or message. */
function fieldsOf(text: string): { field: string; error: string }[] {
  try {
    const body = JSON.parse(text) as { errorFields?: unknown };
    return Array.isArray(body.errorFields)
      ? body.errorFields.filter(
          (f): f is { field: string; error: string } =>
            typeof f?.field === "string" && typeof f?.error === "string",
        )
      : [];
  } catch {
    return [];
  }
}

function reasonOf(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as {
      errorMessage?: string;
      error?: string;
      message?: string;
      errorFields?: { field: string; error: string }[];
    };
    const main = body.errorMessage ?? body.error ?? body.message ?? `HTTP ${status}`;
    const fields = (body.errorFields ?? []).slice(0, 10).map((f) => `${f.field}: ${f.error}`);
    return fields.length > 0 ? `${main} (${fields.join("; ")})` : main;
  } catch {
    return text.trim() ? `HTTP ${status}: ${text.trim().slice(0, 300)}` : `HTTP ${status}`;
  }
}

function networkReason(err: unknown): { reason: string; refused: boolean } {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return { reason: "the request timed out", refused: false };
  const code = e?.cause?.code;
  return {
    reason: code ? `${code} ${e.cause?.message ?? ""}`.trim() : (e?.message ?? String(err)),
    refused: code === "ECONNREFUSED",
  };
}

/** A small client for the Qase-compatible API: Token header, JSON envelopes, retries with backoff. */
export class ApiClient {
  readonly server: string;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly opts: ClientOptions) {
    this.server = opts.server.replace(/\/+$/, "");
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const idempotent = options.idempotent ?? true;
    for (let attempt = 0; ; attempt++) {
      let retryable: boolean;
      let retryAfter: number | null = null;
      let reason: string;
      let status: number | null = null;
      let fields: { field: string; error: string }[] = [];
      // A timer cleared once the answer is read, not AbortSignal.timeout: that one keeps each request's
      // signal (and what fetch hangs on it) alive for the whole timeout after the request is done.
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new DOMException("the request timed out", "TimeoutError")),
        this.timeoutMs,
      );
      try {
        const res = await fetch(`${this.server}${path}`, {
          method,
          headers: {
            Token: this.opts.token,
            Accept: "application/json",
            "X-Client": `reporter=verdict-cli;reporter_version=${CLIENT_VERSION}`,
            ...(options.json !== undefined ? { "Content-Type": "application/json" } : {}),
          },
          body:
            options.json !== undefined
              ? JSON.stringify(options.json)
              : options.form
                ? options.form()
                : undefined,
          signal: controller.signal,
        });
        const text = await res.text();
        if (res.ok) {
          try {
            return (text ? JSON.parse(text) : {}) as T;
          } catch {
            // A proxy's login page or another service on that port: not worth retrying.
            throw new ApiFailure(
              res.status,
              `${method} ${path}: the answer is not JSON; is ${this.server} a Verdict (or Qase) API?`,
              method,
              path,
            );
          }
        }
        status = res.status;
        reason = reasonOf(res.status, text);
        fields = fieldsOf(text);
        retryAfter = parseRetryAfter(res.headers.get("retry-after"));
        retryable = idempotent ? isRetryableStatus(res.status) : res.status === 429 || res.status === 503;
      } catch (err) {
        if (err instanceof ApiFailure) throw err;
        const net = networkReason(err);
        reason = net.reason;
        retryable = idempotent || net.refused;
      } finally {
        clearTimeout(timer);
      }
      if (!retryable || attempt >= this.retry.retries)
        throw new ApiFailure(status, `${method} ${path}: ${reason}`, method, path, fields);
      const delayMs = retryDelay(this.retry, attempt, retryAfter);
      this.opts.onRetry?.({ method, path, reason, delayMs, attempt: attempt + 1 });
      await (this.opts.wait ?? sleep)(delayMs);
    }
  }
}

/**
 * What a failed call means for the exit code. `setup` calls (finding the project, the run, the
 * environment) fail on the user's input when the server answers 400/404/422; later ones are server trouble.
 */
export function cliErrorOf(err: unknown, stage: "setup" | "send"): unknown {
  if (!(err instanceof ApiFailure)) return err;
  if (err.status === 401)
    return new CliError(
      EXIT.auth,
      `${err.message}\nthe server refused the token: check --token / VERDICT_TOKEN`,
    );
  if (err.status === 403)
    return new CliError(
      EXIT.auth,
      `${err.message}\nthe token lacks the rights for this (role, scope or project)`,
    );
  if (stage === "setup" && (err.status === 400 || err.status === 404 || err.status === 422))
    return new CliError(EXIT.usage, err.message);
  return new CliError(EXIT.server, err.status === null ? `${err.message} (after retries)` : err.message);
}
