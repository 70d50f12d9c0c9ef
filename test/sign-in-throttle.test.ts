import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  LOGIN_ADDRESS_WINDOW_MS,
  LOGIN_FREE_FAILURES,
  LOGIN_MAX_DELAY_MS,
} from "../src/features/sessions/sessions.service.js";
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from "../src/http/rate-limit.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

const redisUrl = process.env.VERDICT_TEST_REDIS_URL;
/** Lower than the default 200 (VERDICT_SIGNIN_ADDRESS_LIMIT), as each failure checks a password hash. */
const ADDRESS_LIMIT = 30;
const prefix = `verdict-test:signin:${process.pid}:${randomBytes(4).toString("hex")}:`;

const limiters: { name: string; make(now: () => number): RateLimiter }[] = [
  { name: "in-process", make: (now) => new MemoryRateLimiter({ now }) },
  ...(redisUrl
    ? [{ name: "Redis", make: (now: () => number) => new RedisRateLimiter(redisUrl, prefix, { now }) }]
    : []),
];

const cases = dialects.flatMap((d) =>
  limiters.map((l) => ({ ...l, dialect: d, label: `${d.name}, ${l.name}` })),
);

describe.each(cases)("sign-in throttling ($label)", ({ dialect, make }) => {
  let t: TestApp;
  let at = Date.now();
  let limiter: RateLimiter;
  let n = 0;

  beforeAll(async () => {
    limiter = make(() => at);
    t = await startApp(dialect, { limiter, env: { VERDICT_SIGNIN_ADDRESS_LIMIT: String(ADDRESS_LIMIT) } });
  });
  afterAll(async () => {
    await t.close();
    await limiter.close();
  });

  const signIn = (email: string, password: string, ip: string) =>
    t.app.inject({ method: "POST", url: "/v1/auth/login", payload: { email, password }, remoteAddress: ip });
  const account = async () =>
    (await t.user("member", `throttle-${++n}-${randomBytes(3).toString("hex")}@example.test`)).email;

  it("never locks the owner out from another address, however many failures come from one", async () => {
    const email = await account();
    for (let i = 0; i < LOGIN_FREE_FAILURES + 3; i++) {
      const res = await signIn(email, `guess ${i}`, "10.9.0.1");
      expect([401, 429]).toContain(res.statusCode);
    }
    expect((await signIn(email, "password-123", "10.9.0.1")).statusCode).toBe(429);
    expect((await signIn(email, "password-123", "10.9.0.2")).statusCode).toBe(200);
  });

  it("makes each further attempt of a pair wait twice as long, without checking the password meanwhile", async () => {
    const email = await account();
    const ip = "10.9.1.1";
    for (let i = 0; i < LOGIN_FREE_FAILURES; i++)
      expect((await signIn(email, "wrong", ip)).statusCode).toBe(401);
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      const refused = await signIn(email, "password-123", ip); // the right one, yet refused unseen
      expect(refused.statusCode).toBe(429);
      const wait = Number(refused.headers["retry-after"]);
      waits.push(wait);
      at += wait * 1000 - 1000;
      expect((await signIn(email, "password-123", ip)).statusCode).toBe(429); // a second early
      at += 1000;
      expect((await signIn(email, "wrong again", ip)).statusCode).toBe(401);
    }
    expect(waits).toEqual([2, 4, 8, 16]);
    // Capped: after many more failures the wait is at most the maximum.
    for (let i = 0; i < 10; i++) {
      at += LOGIN_MAX_DELAY_MS;
      await signIn(email, "wrong", ip);
    }
    expect(Number((await signIn(email, "x", ip)).headers["retry-after"])).toBe(LOGIN_MAX_DELAY_MS / 1000);
    at += LOGIN_MAX_DELAY_MS;
    // After the wait the right password works, and it forgets the pair's failures.
    expect((await signIn(email, "password-123", ip)).statusCode).toBe(200);
    expect((await signIn(email, "wrong", ip)).statusCode).toBe(401);
    expect((await signIn(email, "password-123", ip)).statusCode).toBe(200);
  });

  it("slows down one address spraying many accounts past a high ceiling, and only that address", async () => {
    const ip = "10.9.2.1";
    const victim = await account();
    for (let i = 0; i < ADDRESS_LIMIT; i++) {
      expect((await signIn(`nobody-${i}@example.test`, "guess", ip)).statusCode).toBe(401);
    }
    const held = await signIn(victim, "password-123", ip);
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers["retry-after"])).toBeGreaterThan(0);
    expect((await signIn(victim, "password-123", "10.9.2.2")).statusCode).toBe(200);
    at += LOGIN_ADDRESS_WINDOW_MS;
    expect((await signIn(victim, "password-123", ip)).statusCode).toBe(200);
  }, 60_000);
});
