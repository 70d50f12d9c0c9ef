// A server for the benchmark, run in its own process so it does not share an event loop with the load.
// Modes: "verdict" (the real app on a temp SQLite or PostgreSQL store) and "bare" (Fastify, one route).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Fastify from "fastify";
import { buildApp } from "../src/app.js";
import { cliPrincipal } from "../src/cli/shared.js";
import { loadConfig } from "../src/config.js";
import { migrateToLatest, openStore } from "../src/db/store.js";
import { createProject } from "../src/features/projects/projects.service.js";
import { createToken } from "../src/features/tokens/tokens.service.js";
import { createUser } from "../src/features/users/users.service.js";
import { seedLargeProject } from "./seed.js";

const [mode = "verdict", bodyFile = ""] = process.argv.slice(2);

async function verdict() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-bench-"));
  const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
  const schema = databaseUrl ? `bench_${process.pid}` : undefined;
  if (databaseUrl && schema) {
    const pg = await import("pg");
    const c = new pg.default.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade; create schema ${schema}`);
    await c.end();
  }
  // The limiter counts every request but never refuses: the benchmark measures its cost, not its limit.
  const config = loadConfig(
    { dataDir },
    {
      VERDICT_RATE_LIMIT: "100000000",
      VERDICT_LOG_LEVEL: "warn",
      VERDICT_RESPONSE_CACHE_MB: process.env.VERDICT_RESPONSE_CACHE_MB,
    },
  );
  const store = openStore({
    dataDir,
    databaseUrl,
    schema,
    responseCacheBytes: config.responseCacheBytes,
    backgroundCheckpoints: true, // as `verdict serve` opens it
    changeNotifications: true,
  });
  await migrateToLatest(store);
  const { app, ctx } = await buildApp({ config, store, logger: false });
  const user = await createUser(ctx, null, { email: "bench@example.test", name: "Bench", role: "member" });
  await createProject(ctx, cliPrincipal({ ...user, role: "admin" }), { title: "Benchmark", code: "BENCH" });
  const { secret } = await createToken(ctx, cliPrincipal(user), { title: "bench", expiresInDays: null });
  if (process.env.BENCH_SEED_CASES) {
    const project = await ctx.db
      .selectFrom("projects")
      .select("id")
      .where("code", "=", "BENCH")
      .executeTakeFirstOrThrow();
    await seedLargeProject(
      store,
      project.id,
      Number(process.env.BENCH_SEED_CASES),
      Number(process.env.BENCH_SEED_RESULTS ?? 0),
    );
  }
  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as { port: number }).port;
  process.stdout.write(`${JSON.stringify({ port, token: secret })}\n`);
  process.on("SIGTERM", async () => {
    await app.close();
    if (databaseUrl && schema) {
      const pg = await import("pg");
      const c = new pg.default.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
}

async function bare() {
  const body = fs.readFileSync(bodyFile);
  const app = Fastify({ logger: false });
  // Any path: the same bytes whatever the route under test.
  app.get("/*", async (_req, reply) => reply.type("application/json; charset=utf-8").send(body));
  await app.listen({ port: 0, host: "127.0.0.1" });
  process.stdout.write(
    `${JSON.stringify({ port: (app.server.address() as { port: number }).port, token: "" })}\n`,
  );
  process.on("SIGTERM", async () => {
    await app.close();
    process.exit(0);
  });
}

await (mode === "bare" ? bare() : verdict());
