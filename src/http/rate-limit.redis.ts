import { Redis, type Result } from "ioredis";
import type {
  Clock,
  FailureRecord,
  LimiterHealth,
  LimiterLog,
  RateDecision,
  RateLimiter,
  RateRule,
} from "./rate-limit.js";
import { MemoryRateLimiter } from "./rate-limit.memory.js";

/**
 * The sliding log in one sorted set per key, atomically: drop what left the window, count, add this
 * request if there is room. ARGV: now, window, limit, take (1|0), a member unique to this request.
 */
const SLIDE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < tonumber(ARGV[3]) then
  allowed = 1
  if ARGV[4] == '1' then
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[5])
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    count = count + 1
  end
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local reset = 0
if oldest[2] then reset = tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1]) end
return {allowed, count, reset}`;

/** One more failure for a key, kept ARGV[2] ms after the last (ARGV[1]). */
const FAIL = `
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], 'at', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return n`;

declare module "ioredis" {
  interface RedisCommander<Context> {
    verdictSlide(
      key: string,
      now: number,
      windowMs: number,
      limit: number,
      take: 0 | 1,
      member: string,
    ): Result<[number, number, number], Context>;
    verdictFail(key: string, now: number, ttlMs: number): Result<number, Context>;
  }
}

export interface RedisRateLimiterOptions {
  now?: Clock;
  /** Longest wait for one Redis command, in ms: a Redis that connects but never answers. */
  commandTimeoutMs?: number;
  /** Longest wait for a connection, in ms. */
  connectTimeoutMs?: number;
  /** After a failed command, how long Redis is left alone before it is tried again, in ms. */
  cooldownMs?: number;
}

/**
 * Shared by every node behind the load balancer, so the limit is per token, not per node. While Redis
 * is unreachable (not connected, or a command failed in the last cooldown) the limiter counts in this
 * process at once instead of waiting for Redis: a circuit breaker, logged once as it opens and once as
 * it closes, and shown by /readyz.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly now: Clock;
  private readonly fallback: MemoryRateLimiter;
  private readonly cooldownMs: number;
  private retryAt = 0;
  private lastError = "";
  private open: string | null = null;
  private log: LimiterLog | null = null;
  private seq = 0;
  /** Settles on the first connection's outcome (or its timeout): only requests before it wait. */
  private firstConnect: Promise<void> | null;
  private readonly node = Math.random().toString(36).slice(2, 10);

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
    this.fallback = new MemoryRateLimiter({ now: this.now });
    this.cooldownMs = opts.cooldownMs ?? 5000;
    this.redis = new Redis(url, {
      // Fail at once while disconnected rather than queue: the breaker answers from memory instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: opts.connectTimeoutMs ?? 1000,
      commandTimeout: opts.commandTimeoutMs ?? 500,
      lazyConnect: false,
    });
    this.redis.defineCommand("verdictSlide", { numberOfKeys: 1, lua: SLIDE });
    this.redis.defineCommand("verdictFail", { numberOfKeys: 1, lua: FAIL });
    // Remembered for the breaker's reason; without a listener ioredis prints every failure to stderr.
    this.redis.on("error", (err: Error) => {
      this.lastError = err.message;
    });
    const connectTimeoutMs = opts.connectTimeoutMs ?? 1000;
    this.firstConnect = new Promise<void>((resolve) => {
      const settle = () => {
        this.firstConnect = null;
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(settle, connectTimeoutMs);
      timer.unref();
      for (const event of ["ready", "error", "end"]) this.redis.once(event, settle);
    });
  }

  reportTo(log: LimiterLog) {
    this.log = log;
  }

  private trip(reason: string) {
    if (this.open === null) {
      this.log?.warn(
        { reason },
        "Redis unavailable: rate limits are counted in this process until it is back",
      );
    }
    this.open = reason;
  }

  private mend() {
    if (this.open === null) return;
    this.open = null;
    this.log?.info({}, "Redis reachable again: rate limits are shared between nodes again");
  }

  /** Whether to ask Redis at all; if not, the breaker is open. */
  private usable(): boolean {
    if (this.redis.status === "ready" && Date.now() >= this.retryAt) return true;
    const why = this.lastError || this.redis.status;
    this.trip(this.redis.status === "ready" ? why : `not connected to Redis (${why})`);
    return false;
  }

  private async run<T>(viaRedis: () => Promise<T>, inMemory: () => Promise<T>): Promise<T> {
    if (this.firstConnect) await this.firstConnect;
    if (!this.usable()) return inMemory();
    try {
      const value = await viaRedis();
      this.mend();
      return value;
    } catch (err) {
      this.lastError = (err as Error).message;
      this.retryAt = Date.now() + this.cooldownMs;
      this.trip(this.lastError);
      return inMemory();
    }
  }

  private slide(key: string, rule: RateRule, take: 0 | 1): Promise<RateDecision> {
    return this.run(
      async () => {
        const [allowed, count, resetInMs] = await this.redis.verdictSlide(
          `${this.prefix}${key}:${rule.windowMs}`,
          this.now(),
          rule.windowMs,
          rule.limit,
          take,
          `${this.node}:${++this.seq}`,
        );
        return { allowed: allowed === 1, count, resetInMs };
      },
      () => (take ? this.fallback.hit(key, rule) : this.fallback.peek(key, rule)),
    );
  }

  hit(key: string, rule: RateRule) {
    return this.slide(key, rule, 1);
  }

  peek(key: string, rule: RateRule) {
    return this.slide(key, rule, 0);
  }

  addFailure(key: string, ttlMs: number): Promise<FailureRecord> {
    return this.run(
      async () => {
        const at = this.now();
        const failures = await this.redis.verdictFail(`${this.prefix}f:${key}`, at, ttlMs);
        return { failures, sinceLastMs: 0 };
      },
      () => this.fallback.addFailure(key, ttlMs),
    );
  }

  failures(key: string): Promise<FailureRecord | null> {
    return this.run(
      async () => {
        const [n, at] = await this.redis.hmget(`${this.prefix}f:${key}`, "n", "at");
        if (n === null || at === null) return null;
        return { failures: Number(n), sinceLastMs: this.now() - Number(at) };
      },
      () => this.fallback.failures(key),
    );
  }

  async clearFailures(key: string): Promise<void> {
    await this.fallback.clearFailures(key);
    await this.run(
      async () => {
        await this.redis.del(`${this.prefix}f:${key}`);
      },
      async () => {},
    );
  }

  async health(): Promise<LimiterHealth> {
    await this.run(
      () => this.redis.ping(),
      async () => "",
    );
    return this.open === null ? { state: "ok" } : { state: "degraded", reason: this.open };
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === "PONG";
  }

  async close() {
    await this.fallback.close();
    // QUIT needs an answer; a Redis that is down or mute would never give one.
    if (this.redis.status === "ready") await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}
