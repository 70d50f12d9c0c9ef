import type { Clock, FailureRecord, RateDecision, RateLimiter, RateRule } from "./rate-limit.js";

const MAX_MEMORY_KEYS = 200_000;

/** The times of the requests a key made in the last window, oldest first, from `start` on. */
interface Log {
  times: number[];
  start: number;
  windowMs: number;
}

/** A sliding log per key: exact, and a place frees exactly one window after the request that took it. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly logs = new Map<string, Log>();
  private readonly fails = new Map<string, { failures: number; lastAt: number; expiresAt: number }>();
  private readonly now: Clock;

  constructor(opts: { now?: Clock } = {}) {
    this.now = opts.now ?? Date.now;
  }

  async hit(key: string, rule: RateRule): Promise<RateDecision> {
    return this.hitNow(key, rule);
  }

  hitNow(key: string, rule: RateRule): RateDecision {
    return this.decide(key, rule, true);
  }

  async peek(key: string, rule: RateRule): Promise<RateDecision> {
    return this.decide(key, rule, false);
  }

  private decide(key: string, rule: RateRule, take: boolean): RateDecision {
    const at = this.now();
    const k = `${key}:${rule.windowMs}`;
    let log = this.logs.get(k);
    if (!log) {
      if (!take) return { allowed: rule.limit > 0, count: 0, resetInMs: 0 };
      if (this.logs.size >= MAX_MEMORY_KEYS) this.sweep(at);
      log = { times: [], start: 0, windowMs: rule.windowMs };
      this.logs.set(k, log);
    }
    const { times } = log;
    const edge = at - rule.windowMs;
    while (log.start < times.length && (times[log.start] as number) <= edge) log.start++;
    if (log.start > 64 && log.start * 2 > times.length) {
      times.splice(0, log.start);
      log.start = 0;
    }
    let count = times.length - log.start;
    const allowed = count < rule.limit;
    if (allowed && take) {
      times.push(at);
      count++;
    }
    const oldest = times[log.start];
    return { allowed, count, resetInMs: oldest === undefined ? 0 : oldest + rule.windowMs - at };
  }

  async addFailure(key: string, ttlMs: number): Promise<FailureRecord> {
    const at = this.now();
    const known = await this.failures(key);
    if (!known && this.fails.size >= MAX_MEMORY_KEYS) this.sweep(at);
    const record = { failures: (known?.failures ?? 0) + 1, lastAt: at, expiresAt: at + ttlMs };
    this.fails.set(key, record);
    return { failures: record.failures, sinceLastMs: 0 };
  }

  async failures(key: string): Promise<FailureRecord | null> {
    const r = this.fails.get(key);
    if (!r) return null;
    const at = this.now();
    if (r.expiresAt <= at) {
      this.fails.delete(key);
      return null;
    }
    return { failures: r.failures, sinceLastMs: at - r.lastAt };
  }

  async clearFailures(key: string): Promise<void> {
    this.fails.delete(key);
  }

  /** Drops what has expired; a flood of distinct IPs cannot grow the maps without bound. */
  private sweep(at: number) {
    for (const [k, log] of this.logs) {
      const last = log.times[log.times.length - 1];
      if (last === undefined || last <= at - log.windowMs) this.logs.delete(k);
    }
    for (const [k, r] of this.fails) if (r.expiresAt <= at) this.fails.delete(k);
    if (this.logs.size >= MAX_MEMORY_KEYS) this.logs.clear();
    if (this.fails.size >= MAX_MEMORY_KEYS) this.fails.clear();
  }

  async close() {
    this.logs.clear();
    this.fails.clear();
  }
}
