import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { RedisRateLimiter } from "../../src/http/rate-limit.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

const redisUrl = process.env.VERDICT_TEST_REDIS_URL;

/** Windows are fixed minutes: start counting well inside one so a boundary cannot reset the count mid-test. */
async function awayFromWindowEdge() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 50));
}

describe.each(dialects)("rate limits in memory on $name", (dialect) => {
  let t: TestApp;
  let a: string;
  let b: string;

  beforeAll(async () => {
    t = await startApp(dialect, { env: { VERDICT_RATE_LIMIT: "5" } });
    const owner = await t.user("owner");
    a = await t.token(owner);
    b = await t.token(owner);
  });
  afterAll(() => t.close());

  const get = (url: string, token?: string, ip = "127.0.0.1") =>
    t.app.inject({ method: "GET", url, headers: token ? { token } : {}, remoteAddress: ip });

  it("allows the limit per token, then answers 429 with Retry-After and the error body", async () => {
    await awayFromWindowEdge();
    for (let i = 1; i <= 5; i++) {
      const res = await get("/v1/project", a);
      expect(res.statusCode).toBe(200);
      expect(res.headers["ratelimit-limit"]).toBe("5");
      expect(res.headers["ratelimit-remaining"]).toBe(String(5 - i));
    }
    const over = await get("/v1/project", a);
    expect(over.statusCode).toBe(429);
    const retry = Number(over.headers["retry-after"]);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(over.json()).toMatchObject({ status: false, errorMessage: expect.stringContaining("Rate limit") });
    expect((await get("/v1/project", b)).statusCode).toBe(200);
  });

  it("limits unauthenticated calls and failed guesses per IP, never health checks", async () => {
    await awayFromWindowEdge();
    for (let i = 0; i < 5; i++)
      expect((await get("/v1/project", `vdt_guess${i}`, "10.0.0.7")).statusCode).toBe(401);
    const blocked = await get("/v1/project", "vdt_guess", "10.0.0.7");
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers["ratelimit-remaining"]).toBe("0");
    expect((await get("/v1/project", undefined, "10.0.0.8")).statusCode).toBe(401);
    for (let i = 0; i < 10; i++) expect((await get("/healthz", undefined, "10.0.0.7")).statusCode).toBe(200);
    expect((await get("/readyz", undefined, "10.0.0.7")).headers["ratelimit-limit"]).toBeUndefined();
  });
});

describe.skipIf(!redisUrl || dialects.length === 0)("rate limit shared through Redis", () => {
  it("gives two app instances on one Redis and one database a single budget per token", async () => {
    const dialect = dialects[dialects.length - 1];
    if (!dialect || !redisUrl) return;
    const prefix = `verdict-test:${randomBytes(4).toString("hex")}:`;
    const first = await startApp(dialect, {
      env: { VERDICT_RATE_LIMIT: "6" },
      limiter: new RedisRateLimiter(redisUrl, prefix),
    });
    const secondLimiter = new RedisRateLimiter(redisUrl, prefix);
    const second = await buildApp({
      config: loadConfig({ dataDir: "/nonexistent" }, { VERDICT_RATE_LIMIT: "6" }),
      store: first.store,
      limiter: secondLimiter,
      logger: false,
    });
    try {
      const token = await first.token(await first.user("owner"));
      await awayFromWindowEdge();
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const app = i % 2 === 0 ? first.app : second.app;
        statuses.push(
          (await app.inject({ method: "GET", url: "/v1/project", headers: { token } })).statusCode,
        );
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(6);
      expect(statuses.slice(6)).toEqual([429, 429, 429, 429]);
      expect((await second.app.inject({ method: "GET", url: "/readyz" })).json().checks.redis).toBe("ok");
    } finally {
      await second.app.close();
      await secondLimiter.close();
      await first.close();
      await (first.ctx.limiter as RedisRateLimiter).close();
    }
  });
});
