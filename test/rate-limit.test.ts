import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from "../src/http/rate-limit.js";
import type { App } from "../src/http/types.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

const redisUrl = process.env.VERDICT_TEST_REDIS_URL;
const LIMIT = 5;
const MINUTE = 60_000;

/** A clock the test moves by hand, so that no test depends on the real time. */
function manualClock(start = Date.now()) {
  let at = start;
  return {
    now: () => at,
    advance(ms: number) {
      at += ms;
    },
  };
}

interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  json(): unknown;
}

function expectQaseError(res: Answer) {
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const body = res.json() as Record<string, unknown>;
  expect(body.status).toBe(false);
  expect(typeof body.errorMessage).toBe("string");
  expect(Array.isArray(body.errorFields)).toBe(true);
  return body;
}

/** RateLimit-* headers as numbers, after checking they are all there and well formed. */
function rateHeaders(res: Answer) {
  const values = ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"].map((h) => {
    const raw = res.headers[h];
    expect(raw, `${h} header`).toMatch(/^\d+$/);
    return Number(raw);
  });
  const [limit = Number.NaN, remaining = Number.NaN, reset = Number.NaN] = values;
  expect(reset).toBeGreaterThanOrEqual(1);
  expect(reset).toBeLessThanOrEqual(60);
  return { limit, remaining, reset };
}

function get(app: App, url: string, opts: { token?: string; bearer?: string; ip?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token !== undefined) headers.token = opts.token;
  if (opts.bearer !== undefined) headers.authorization = `Bearer ${opts.bearer}`;
  return app.inject({ method: "GET", url, headers, remoteAddress: opts.ip ?? "127.0.0.1" });
}

const prefix = `verdict-test:${process.pid}:${randomBytes(6).toString("hex")}:`;
let instances = 0;

/** The same suite runs on both limiters; Redis only where the tests have one. */
const limiters: {
  name: string;
  make(now: () => number, keyPrefix?: string): RateLimiter;
  shared: boolean;
}[] = [
  { name: "in-process", make: (now) => new MemoryRateLimiter({ now }), shared: false },
  ...(redisUrl
    ? [
        {
          name: "Redis",
          make: (now: () => number, keyPrefix?: string) =>
            new RedisRateLimiter(redisUrl, keyPrefix ?? `${prefix}${++instances}:`, { now }),
          shared: true,
        },
      ]
    : []),
];

afterAll(async () => {
  if (!redisUrl) return;
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe.each(limiters)("$name limiter", ({ make, shared }) => {
  const rule = { limit: LIMIT, windowMs: MINUTE };
  const minute = 1_700_000_040_000; // a multiple of 60 000: a calendar minute starts here

  it("never lets a window of 60 s hold more than the limit, across a minute boundary", async () => {
    const clock = manualClock(minute - 1_000); // the last second of a calendar minute
    const keys = `${prefix}straddle:${shared}:`;
    const limiter = make(clock.now, keys);
    const sibling = make(clock.now, keys);
    try {
      for (let i = 1; i <= LIMIT; i++) {
        expect(await limiter.hit("k", rule)).toMatchObject({ allowed: true, count: i });
      }
      // Counted in Redis, not in the fallback: another instance sees them.
      expect((await sibling.peek("k", rule)).count).toBe(shared ? LIMIT : 0);
      clock.advance(2_000); // the next calendar minute: a fixed window would start counting afresh
      const over = await limiter.hit("k", rule);
      expect(over).toEqual({ allowed: false, count: LIMIT, resetInMs: MINUTE - 2_000 });
      clock.advance(MINUTE - 2_001); // 1 ms before the first requests leave the window
      expect((await limiter.hit("k", rule)).allowed).toBe(false);
      clock.advance(1);
      expect(await limiter.hit("k", rule)).toEqual({ allowed: true, count: 1, resetInMs: MINUTE });
    } finally {
      await Promise.all([limiter.close(), sibling.close()]);
    }
  });

  it("frees places one by one as the requests that took them leave the window", async () => {
    const clock = manualClock(minute + 5_000);
    const limiter = make(clock.now);
    try {
      for (let i = 0; i < LIMIT; i++) {
        await limiter.hit("k", rule);
        clock.advance(10_000);
      }
      // Requests at 0, 10, 20, 30, 40 s; now 50 s: full, the first frees a place in 10 s.
      expect(await limiter.peek("k", rule)).toEqual({ allowed: false, count: LIMIT, resetInMs: 10_000 });
      expect((await limiter.hit("k", rule)).allowed).toBe(false);
      clock.advance(10_000);
      expect(await limiter.hit("k", rule)).toEqual({ allowed: true, count: LIMIT, resetInMs: 10_000 });
      expect((await limiter.hit("k", rule)).allowed).toBe(false);
      // Refused requests are not counted: the next place is still the one of the 10 s request.
      clock.advance(10_000);
      expect((await limiter.hit("k", rule)).allowed).toBe(true);
    } finally {
      await limiter.close();
    }
  });

  it("counts keys and window lengths apart, and peek counts nothing", async () => {
    const clock = manualClock(minute);
    const limiter = make(clock.now);
    try {
      expect(await limiter.peek("a", rule)).toEqual({ allowed: true, count: 0, resetInMs: 0 });
      await limiter.hit("a", rule);
      await limiter.hit("a", rule);
      expect(await limiter.peek("a", rule)).toEqual({ allowed: true, count: 2, resetInMs: MINUTE });
      expect(await limiter.hit("b", rule)).toMatchObject({ count: 1 });
      expect(await limiter.hit("a", { limit: LIMIT, windowMs: 1_000 })).toMatchObject({ count: 1 });
      expect(await limiter.peek("a", rule)).toMatchObject({ count: 2 });
    } finally {
      await limiter.close();
    }
  });

  it("counts failures per key, says how long ago the last was, and forgets them when cleared", async () => {
    const clock = manualClock(minute);
    const limiter = make(clock.now);
    try {
      expect(await limiter.failures("f")).toBeNull();
      expect(await limiter.addFailure("f", MINUTE)).toEqual({ failures: 1, sinceLastMs: 0 });
      clock.advance(3_000);
      expect(await limiter.addFailure("f", MINUTE)).toEqual({ failures: 2, sinceLastMs: 0 });
      clock.advance(4_000);
      expect(await limiter.failures("f")).toEqual({ failures: 2, sinceLastMs: 4_000 });
      expect(await limiter.failures("g")).toBeNull();
      await limiter.clearFailures("f");
      expect(await limiter.failures("f")).toBeNull();
    } finally {
      await limiter.close();
    }
  });
});

it("the in-process limiter forgets failures their time after the last", async () => {
  const clock = manualClock();
  const limiter = new MemoryRateLimiter({ now: clock.now });
  await limiter.addFailure("f", MINUTE);
  clock.advance(MINUTE - 1);
  expect(await limiter.failures("f")).toMatchObject({ failures: 1 });
  clock.advance(1);
  expect(await limiter.failures("f")).toBeNull();
});

describe.each(dialects)("rate limits in memory on $name", (dialect) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp["user"]>>;
  const clock = manualClock();

  beforeAll(async () => {
    t = await startApp(dialect, {
      env: { VERDICT_RATE_LIMIT: String(LIMIT) },
      limiter: new MemoryRateLimiter({ now: clock.now }),
    });
    owner = await t.user("owner");
  });
  afterAll(() => t.close());

  it("allows the limit per token, then answers 429 with Retry-After and the error body until the window ends", async () => {
    const token = await t.token(owner);
    for (let i = 1; i <= LIMIT; i++) {
      const res = await get(t.app, "/v1/project", { token });
      expect(res.statusCode).toBe(200);
      expect(rateHeaders(res)).toMatchObject({ limit: LIMIT, remaining: LIMIT - i });
    }
    const over = await get(t.app, "/v1/project", { token });
    expect(over.statusCode).toBe(429);
    expect(over.headers["retry-after"]).toMatch(/^\d+$/);
    const retry = Number(over.headers["retry-after"]);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(rateHeaders(over)).toMatchObject({ limit: LIMIT, remaining: 0 });
    expect(expectQaseError(over).errorMessage).toMatch(/rate limit/i);
    // The Bearer form of the same token draws on the same budget.
    expect((await get(t.app, "/v1/project", { bearer: token })).statusCode).toBe(429);

    clock.advance(MINUTE);
    const next = await get(t.app, "/v1/project", { token });
    expect(next.statusCode).toBe(200);
    expect(rateHeaders(next).remaining).toBe(LIMIT - 1);
  });

  it("refuses the limit's next request inside any 60 s, also across a calendar minute's boundary", async () => {
    const token = await t.token(owner);
    clock.advance(MINUTE - (clock.now() % MINUTE) - 1_000); // one second before a minute ends
    for (let i = 0; i < LIMIT; i++) expect((await get(t.app, "/v1/project", { token })).statusCode).toBe(200);
    clock.advance(2_000);
    const over = await get(t.app, "/v1/project", { token });
    expect(over.statusCode).toBe(429);
    expect(over.headers["retry-after"]).toBe("58");
    clock.advance(MINUTE - 2_000);
    expect((await get(t.app, "/v1/project", { token })).statusCode).toBe(200);
  });

  it("gives every token a budget of its own", async () => {
    const a = await t.token(owner);
    const b = await t.token(owner);
    for (let i = 0; i < LIMIT; i++)
      expect((await get(t.app, "/v1/project", { token: a })).statusCode).toBe(200);
    expect((await get(t.app, "/v1/project", { token: a })).statusCode).toBe(429);
    const other = await get(t.app, "/v1/project", { token: b });
    expect(other.statusCode).toBe(200);
    expect(rateHeaders(other).remaining).toBe(LIMIT - 1);
  });

  it("sends RateLimit headers on 401s and limits unauthenticated calls and bad-token guesses per IP", async () => {
    const ip = "10.0.0.7";
    const guesses = [
      { ip },
      { ip, token: "vdt_notarealtoken000000000000000000000000" },
      { ip, bearer: "vdt_alsowrong" },
      { ip, token: "" },
      { ip, bearer: "x" },
    ];
    for (const [i, guess] of guesses.entries()) {
      const res = await get(t.app, "/v1/project", guess);
      expect(res.statusCode).toBe(401);
      expectQaseError(res);
      expect(rateHeaders(res)).toMatchObject({ limit: LIMIT, remaining: LIMIT - 1 - i });
    }
    const blocked = await get(t.app, "/v1/project", { ip, token: "vdt_onemoreguess" });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expectQaseError(blocked);

    // Another address has its own budget; a valid token from the blocked address is counted per token.
    const elsewhere = await get(t.app, "/v1/project", { ip: "10.0.0.8" });
    expect(elsewhere.statusCode).toBe(401);
    expect(rateHeaders(elsewhere).remaining).toBe(LIMIT - 1);
    const token = await t.token(owner);
    expect((await get(t.app, "/v1/project", { ip, token })).statusCode).toBe(200);
  });

  it("never limits nor counts /healthz and /readyz", async () => {
    const ip = "10.0.0.9";
    for (let i = 0; i < LIMIT + 3; i++) {
      for (const url of ["/healthz", "/readyz"]) {
        const res = await get(t.app, url, { ip });
        expect(res.statusCode).toBe(200);
        expect(res.headers["ratelimit-limit"]).toBeUndefined();
      }
    }
    // Those probes used none of the address's budget.
    expect(rateHeaders(await get(t.app, "/v1/project", { ip })).remaining).toBe(LIMIT - 1);
    for (let i = 1; i < LIMIT; i++) await get(t.app, "/v1/project", { ip });
    expect((await get(t.app, "/v1/project", { ip })).statusCode).toBe(429);
    expect((await get(t.app, "/healthz", { ip })).statusCode).toBe(200);
    expect((await get(t.app, "/readyz", { ip })).statusCode).toBe(200);
  });
});

describe.skipIf(!redisUrl)("RedisRateLimiter", () => {
  const url = redisUrl ?? "";

  it("shares counts between instances with one prefix and separates prefixes", async () => {
    const clock = manualClock();
    const rule = { limit: LIMIT, windowMs: MINUTE };
    const one = new RedisRateLimiter(url, `${prefix}unit:`, { now: clock.now });
    const two = new RedisRateLimiter(url, `${prefix}unit:`, { now: clock.now });
    const elsewhere = new RedisRateLimiter(url, `${prefix}other:`, { now: clock.now });
    try {
      expect(await one.hit("k", rule)).toEqual({ allowed: true, count: 1, resetInMs: MINUTE });
      expect(await two.hit("k", rule)).toMatchObject({ count: 2 });
      expect(await one.peek("k", rule)).toMatchObject({ count: 2 });
      expect(await elsewhere.hit("k", rule)).toMatchObject({ count: 1 });
      await one.addFailure("f", MINUTE);
      expect(await two.failures("f")).toMatchObject({ failures: 1 });
      expect(await one.ping()).toBe(true);
      expect(await one.health()).toEqual({ state: "ok" });
    } finally {
      await Promise.all([one.close(), two.close(), elsewhere.close()]);
    }
  });

  describe.each(dialects)("two app instances on one Redis and one $name database", (dialect) => {
    it("share one budget per token and per IP", async () => {
      const clock = manualClock();
      const nodePrefix = `${prefix}${dialect.name}:`;
      const firstLimiter = new RedisRateLimiter(url, nodePrefix, { now: clock.now });
      const secondLimiter = new RedisRateLimiter(url, nodePrefix, { now: clock.now });
      const env = { VERDICT_RATE_LIMIT: String(LIMIT) };
      const first = await startApp(dialect, { env, limiter: firstLimiter });
      const second = await buildApp({
        config: loadConfig({ dataDir: "/nonexistent" }, env),
        store: first.store,
        limiter: secondLimiter,
        logger: false,
      });
      try {
        const token = await first.token(await first.user("owner"));
        const nodes = [first.app, second.app];
        const statuses: number[] = [];
        const remaining: number[] = [];
        for (let i = 0; i < 2 * LIMIT; i++) {
          const res = await get(nodes[i % 2] as App, "/v1/project", { token });
          statuses.push(res.statusCode);
          remaining.push(rateHeaders(res).remaining);
        }
        expect(statuses).toEqual([...Array(LIMIT).fill(200), ...Array(LIMIT).fill(429)]);
        expect(remaining.slice(0, LIMIT)).toEqual([4, 3, 2, 1, 0]);

        const guesses: number[] = [];
        for (let i = 0; i < LIMIT + 1; i++) {
          guesses.push((await get(nodes[i % 2] as App, "/v1/project", { ip: "10.1.1.1" })).statusCode);
        }
        expect(guesses).toEqual([...Array(LIMIT).fill(401), 429]);

        const ready = await get(second.app, "/readyz");
        expect(ready.statusCode).toBe(200);
        expect(ready.json()).toMatchObject({ checks: { database: "ok", redis: "ok" } });
      } finally {
        await second.app.close();
        await first.close();
        await Promise.all([firstLimiter.close(), secondLimiter.close()]);
      }
    });
  });
});
