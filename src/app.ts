import { randomUUID } from "node:crypto";
import fs from "node:fs";
import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyServerOptions } from "fastify";
import type { Config } from "./config.js";
import type { AppContext } from "./context.js";
import type { Store } from "./db/store.js";
import { registerFeatures } from "./features/index.js";
import { acceptEmptyFormBodies } from "./http/empty-form-body.js";
import { frameworkErrors, registerErrorHandling } from "./http/error-handler.js";
import { loggerOptions } from "./http/log-redaction.js";
import { createRateLimiter, type RateLimiter } from "./http/rate-limit.js";
import { DebugRequestLog } from "./http/request-log.js";
import { declareRoutePolicy, type RegisteredRoute, registerSecurityHooks } from "./http/security.js";
import type { App } from "./http/types.js";
import { validatorCompiler } from "./http/validation.js";

export interface BuildOptions {
  config: Config;
  store: Store;
  /** Defaults to Redis when config.redisUrl is set, memory otherwise. */
  limiter?: RateLimiter;
  /** Pino options or a ready logger; tests pass a stream to read what is logged. */
  logger?: FastifyServerOptions["logger"];
  /**
   * Test-only: more routes or hooks, registered after the features and before the app is ready, so
   * that they run under the real security hooks and error handler (routes must declare config.access).
   */
  extend?: (app: App, ctx: AppContext) => void | Promise<void>;
}

export { REDACTED_PATHS } from "./http/log-redaction.js";

function requestIds(): () => string {
  const boot = randomUUID();
  let n = 0;
  return () => `${boot}-${(++n).toString(36)}`;
}

export interface BuiltApp {
  app: App;
  ctx: AppContext;
  routes: RegisteredRoute[];
}

export async function buildApp(opts: BuildOptions): Promise<BuiltApp> {
  const { config, store } = opts;
  const limiter = opts.limiter ?? createRateLimiter(config.redisUrl);
  const https =
    config.tlsCert && config.tlsKey
      ? { https: { cert: fs.readFileSync(config.tlsCert), key: fs.readFileSync(config.tlsKey) } }
      : {};
  const fastify = Fastify({
    ...https,
    // Whatever logger options a caller passes, the redaction of secrets is always part of them.
    logger: loggerOptions(config.logLevel, opts.logger),
    logController: new DebugRequestLog(),
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    bodyLimit: config.bodyLimit,
    requestIdHeader: false,
    // Unique across nodes and restarts, so the id a 500 answer names finds exactly one log line: a
    // random id per process and a counter (a UUID per request cost ~1 µs of a ~60 µs request).
    genReqId: requestIds(),
    // Errors Fastify raises before routing (a malformed URL) get the Qase body too.
    frameworkErrors,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  const ctx: AppContext = {
    db: store.db,
    dialect: store.dialect,
    config,
    limiter,
    prepare: store.prepare,
    cache: store.cache,
    responses: store.responses,
  };
  const routes: RegisteredRoute[] = [];

  app.setValidatorCompiler(validatorCompiler);
  acceptEmptyFormBodies(app);
  declareRoutePolicy(app, routes);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: "Verdict API", version: "0.1.0", description: "Qase-compatible test management API" },
      components: {
        securitySchemes: {
          TokenAuth: { type: "apiKey", in: "header", name: "Token" },
          BearerAuth: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ TokenAuth: [] }, { BearerAuth: [] }],
    },
  });
  registerSecurityHooks(app, ctx);
  registerErrorHandling(app, routes);
  await registerFeatures(app, ctx);
  if (opts.extend) await opts.extend(app, ctx);
  app.addHook("onClose", async () => {
    if (!opts.limiter) await limiter.close();
  });
  await app.ready();
  return { app, ctx, routes };
}
