/** When to try a request again, and how long to wait first (the Qase reporters' policy, bounded). */
export interface RetryPolicy {
  /** Extra attempts after the first. */
  retries: number;
  /** First backoff in ms; doubled per attempt. */
  baseDelayMs: number;
  /** No single wait is longer than this, Retry-After included. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 1000, maxDelayMs: 120_000 };

/** 408, 429 and 5xx are worth another try; 507 (storage full) and the other 4xx are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 507);
}

/** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 0): the server's Retry-After when it gave
 * one, otherwise exponential backoff capped at 30 s with up to 20% jitter so shards do not retry in step.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | null,
  random = Math.random,
): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, policy.maxDelayMs);
  const backoff = Math.min(policy.baseDelayMs * 2 ** attempt, 30_000, policy.maxDelayMs);
  return Math.round(backoff * (1 + 0.2 * random()));
}
