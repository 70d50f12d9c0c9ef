import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { pingDatabase } from "../../db/store.js";
import type { App } from "../../http/types.js";

const Health = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** Why a check is degraded. */
  reasons: Type.Optional(Type.Record(Type.String(), Type.String())),
});

export async function systemRoutes(app: App, ctx: AppContext) {
  app.get(
    "/healthz",
    { config: { access: "public", operational: false }, schema: { hide: true, response: { 200: Health } } },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/readyz",
    {
      config: { access: "public", operational: false },
      schema: { hide: true, response: { 200: Health, 503: Health } },
    },
    async (_req, reply) => {
      const checks: Record<string, string> = {};
      try {
        await pingDatabase(ctx.db);
        checks.database = "ok";
      } catch {
        checks.database = "unreachable";
      }
      // Redis down leaves the node serving, with rate limits counted per node: degraded, still ready.
      const redis = await ctx.limiter.health?.();
      if (redis) checks.redis = redis.state;
      const reasons = redis?.state === "degraded" ? { reasons: { redis: redis.reason } } : {};
      const ready = Object.values(checks).every((v) => v === "ok" || v === "degraded");
      const status = !ready ? "unavailable" : redis?.state === "degraded" ? "degraded" : "ok";
      return reply.code(ready ? 200 : 503).send({ status, checks, ...reasons });
    },
  );

  app.get("/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
