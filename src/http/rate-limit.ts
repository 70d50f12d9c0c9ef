import { Redis } from "ioredis";

export interface RateLimitHit {
  /** Requests the window holds, this one included. */
  count: number;
  /** When the window ends (epoch ms, by the limiter's clock). */
  resetAt: number;
  /** How long until then, measured on the limiter's clock (not the caller's). */
  resetInMs: number;
}

/** Fixed one-minute windows counted per key: a token, a user's session, an IP, a login account. */
export interface RateLimiter {
  /** Counts one request and tells how many the window holds now and when it resets. */
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
  /** The same count, synchronously, where the limiter lives in this process (not over Redis). */
  hitNow?(key: string, windowMs: number): RateLimitHit;
  /** How many requests the current window holds, without counting one. */
  peek(key: string, windowMs: number): Promise<number>;
  close(): Promise<void>;
}

function windowOf(windowMs: number, at: number) {
  const start = Math.floor(at / windowMs) * windowMs;
  return { start, resetAt: start + windowMs };
}

const MAX_MEMORY_KEYS = 200_000;

/** Where a limiter reads the time; tests pass a clock they move by hand. */
export type Clock = () => number;

export class MemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, { count: number; resetAt: number }>();
  private readonly now: Clock;

  constructor(opts: { now?: Clock } = {}) {
    this.now = opts.now ?? Date.now;
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    return this.hitNow(key, windowMs);
  }

  hitNow(key: string, windowMs: number): RateLimitHit {
    const at = this.now();
    const { start, resetAt } = windowOf(windowMs, at);
    const k = `${key}:${windowMs}:${start}`;
    const entry = this.counts.get(k);
    if (entry) {
      entry.count++;
      return { count: entry.count, resetAt, resetInMs: resetAt - at };
    }
    if (this.counts.size >= MAX_MEMORY_KEYS) this.sweep(at);
    this.counts.set(k, { count: 1, resetAt });
    return { count: 1, resetAt, resetInMs: resetAt - at };
  }

  async peek(key: string, windowMs: number) {
    const { start } = windowOf(windowMs, this.now());
    return this.counts.get(`${key}:${windowMs}:${start}`)?.count ?? 0;
  }

  /** Drops finished windows; a flood of distinct IPs cannot grow the map without bound. */
  private sweep(at: number) {
    for (const [k, v] of this.counts) if (v.resetAt <= at) this.counts.delete(k);
    if (this.counts.size >= MAX_MEMORY_KEYS) this.counts.clear();
  }

  async close() {
    this.counts.clear();
  }
}

const HIT_SCRIPT = `
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return c`;

export interface RedisRateLimiterOptions {
  now?: Clock;
  /**
   * Longest wait for one Redis command, in ms. A Redis that accepts connections but never answers
   * must not hang every API request (the hook lets requests through when the limiter fails) nor /readyz.
   */
  commandTimeoutMs?: number;
}

/** Shared by every node behind the load balancer, so the limit is per token, not per node. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly now: Clock;
  /**
   * @param prefix namespaces the keys, so that several deployments (or parallel test runs) can share
   *   one Redis database without counting each other's requests.
   */
  constructor(
    url: string,
    private readonly prefix = "verdict:rl:",
    opts: RedisRateLimiterOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      lazyConnect: false,
      commandTimeout: opts.commandTimeoutMs ?? 1000,
    });
    // Failures surface where they matter (hit() rejects and is logged, /readyz reports 503);
    // without a listener ioredis would also print every reconnect failure to stderr.
    this.redis.on("error", () => {});
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const at = this.now();
    const { start, resetAt } = windowOf(windowMs, at);
    const count = (await this.redis.eval(
      HIT_SCRIPT,
      1,
      `${this.prefix}${key}:${windowMs}:${start}`,
      windowMs + 1000,
    )) as number;
    return { count, resetAt, resetInMs: resetAt - at };
  }

  async peek(key: string, windowMs: number) {
    const { start } = windowOf(windowMs, this.now());
    const v = await this.redis.get(`${this.prefix}${key}:${windowMs}:${start}`);
    return v ? Number(v) : 0;
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === "PONG";
  }

  async close() {
    // QUIT needs an answer; a Redis that is down or mute would never give one.
    if (this.redis.status === "ready") await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

export function createRateLimiter(redisUrl: string | undefined): RateLimiter {
  return redisUrl ? new RedisRateLimiter(redisUrl) : new MemoryRateLimiter();
}
