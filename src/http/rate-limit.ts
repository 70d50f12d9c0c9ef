import { Redis } from "ioredis";

/** Fixed one-minute windows counted per key: a token, a user's session, an IP, a login account. */
export interface RateLimiter {
  /** Counts one request and tells how many the window holds now and when it resets (epoch ms). */
  hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
  /** How many requests the current window holds, without counting one. */
  peek(key: string, windowMs: number): Promise<number>;
  close(): Promise<void>;
}

function windowOf(windowMs: number, at: number) {
  const start = Math.floor(at / windowMs) * windowMs;
  return { start, resetAt: start + windowMs };
}

const MAX_MEMORY_KEYS = 200_000;

export class MemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, { count: number; resetAt: number }>();

  async hit(key: string, windowMs: number) {
    const at = Date.now();
    const { start, resetAt } = windowOf(windowMs, at);
    const k = `${key}:${windowMs}:${start}`;
    const entry = this.counts.get(k);
    if (entry) {
      entry.count++;
      return { ...entry };
    }
    if (this.counts.size >= MAX_MEMORY_KEYS) this.sweep(at);
    this.counts.set(k, { count: 1, resetAt });
    return { count: 1, resetAt };
  }

  async peek(key: string, windowMs: number) {
    const { start } = windowOf(windowMs, Date.now());
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

/** Shared by every node behind the load balancer, so the limit is per token, not per node. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  constructor(
    url: string,
    private readonly prefix = "verdict:rl:",
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  }

  async hit(key: string, windowMs: number) {
    const { start, resetAt } = windowOf(windowMs, Date.now());
    const count = (await this.redis.eval(
      HIT_SCRIPT,
      1,
      `${this.prefix}${key}:${windowMs}:${start}`,
      windowMs + 1000,
    )) as number;
    return { count, resetAt };
  }

  async peek(key: string, windowMs: number) {
    const { start } = windowOf(windowMs, Date.now());
    const v = await this.redis.get(`${this.prefix}${key}:${windowMs}:${start}`);
    return v ? Number(v) : 0;
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === "PONG";
  }

  async close() {
    await this.redis.quit();
  }
}

export function createRateLimiter(redisUrl: string | undefined): RateLimiter {
  return redisUrl ? new RedisRateLimiter(redisUrl) : new MemoryRateLimiter();
}
