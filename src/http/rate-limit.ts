import { MemoryRateLimiter } from "./rate-limit.memory.js";
import { RedisRateLimiter } from "./rate-limit.redis.js";

/** How many requests a key may make in any window of `windowMs` (a sliding window, not calendar minutes). */
export interface RateRule {
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  /** False past the limit; a refused request is not counted. */
  allowed: boolean;
  /** Requests the window ending now holds, this one included when allowed. */
  count: number;
  /** Until the oldest request counted leaves the window and frees a place (0: the window is empty). */
  resetInMs: number;
}

/** Failed sign-ins of one key (an account and address, or an address), for growing delays. */
export interface FailureRecord {
  failures: number;
  /** How long ago the last one happened, by the limiter's clock. */
  sinceLastMs: number;
}

/** Where the limiter says that it changed how it counts (Redis lost or back); Fastify's logger fits. */
export interface LimiterLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** What /readyz shows of the limiter. */
export type LimiterHealth = { state: "ok" } | { state: "degraded"; reason: string };

/**
 * Rate limits per key (a token, a user's session, an IP, a sign-in account and address), shared by
 * every node when they use one Redis. No window of `windowMs` ever holds more than `limit` requests;
 * a burst of up to `limit` at once is allowed.
 */
export interface RateLimiter {
  /** Counts one request if the rule allows it. */
  hit(key: string, rule: RateRule): Promise<RateDecision>;
  /** The same, synchronously, where the limiter lives in this process (not over Redis). */
  hitNow?(key: string, rule: RateRule): RateDecision;
  /** Whether the rule would allow one more request now, without counting it. */
  peek(key: string, rule: RateRule): Promise<RateDecision>;
  /** One more failure for the key, forgotten `ttlMs` after the last one. */
  addFailure(key: string, ttlMs: number): Promise<FailureRecord>;
  failures(key: string): Promise<FailureRecord | null>;
  clearFailures(key: string): Promise<void>;
  /** Lets the limiter report changes of state into the app's log. */
  reportTo?(log: LimiterLog): void;
  health?(): Promise<LimiterHealth>;
  close(): Promise<void>;
}

/** Where a limiter reads the time; tests pass a clock they move by hand. */
export type Clock = () => number;

export { MemoryRateLimiter, RedisRateLimiter };

export function createRateLimiter(redisUrl: string | undefined): RateLimiter {
  return redisUrl ? new RedisRateLimiter(redisUrl) : new MemoryRateLimiter();
}
