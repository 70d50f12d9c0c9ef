import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { pingDatabase } from "../../db/store.js";
import { RedisRateLimiter } from "../../http/rate-limit.js";
import type { App } from "../../http/types.js";

const Health = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
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
      if (ctx.limiter instanceof RedisRateLimiter) {
        checks.redis = await ctx.limiter.ping().then(
          (ok) => (ok ? "ok" : "unreachable"),
          () => "unreachable",
        );
      }
      const ready = Object.values(checks).every((v) => v === "ok");
      return reply.code(ready ? 200 : 503).send({ status: ready ? "ok" : "unavailable", checks });
    },
  );

  app.get("/openapi.json", { config: { access: "public" }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
