import type { Command } from "commander";
import { buildApp } from "../app.js";
import { loadConfig } from "../config.js";
import { migrateToLatest, openStore } from "../db/store.js";
import { countUsers } from "../features/users/users.repository.js";

/** Readable lines on a terminal (pino-pretty, in pino's worker thread), JSON lines for a log collector. */
function terminalLogger(format: "auto" | "pretty" | "json") {
  const pretty = format === "pretty" || (format === "auto" && process.stdout.isTTY === true);
  if (!pretty) return undefined;
  return {
    transport: {
      target: "pino-pretty",
      options: { translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname", singleLine: true },
    },
  };
}

export function serveCommand(program: Command) {
  program
    .command("serve")
    .description("serve the API and the web app")
    .option("--port <n>", "port to listen on (default 8080)")
    .option("--host <h>", "address to bind (default 127.0.0.1)")
    .option("--data-dir <dir>", "data directory (default ./data)")
    .action(async (flags: { port?: string; host?: string; dataDir?: string }) => {
      const config = loadConfig(flags);
      const store = openStore({
        dataDir: config.dataDir,
        databaseUrl: config.databaseUrl,
        responseCacheBytes: config.responseCacheBytes,
        backgroundCheckpoints: true,
        changeNotifications: true,
      });
      await migrateToLatest(store);
      const { app } = await buildApp({ config, store, logger: terminalLogger(config.logFormat) });
      const scheme = config.tlsCert ? "https" : "http";
      await app.listen({ port: config.port, host: config.host });
      const where = config.databaseUrl ? "PostgreSQL" : `SQLite in ${config.dataDir}`;
      app.log.info(`Verdict serving on ${scheme}://${config.host}:${config.port} with ${where}`);
      if ((await countUsers(store.db)) === 0) {
        console.log(
          [
            "",
            "First run: no user exists yet. Create the owner with",
            `  npm run verdict -- users create --email you@example.com --name "Your Name" --role owner --password-stdin${flags.dataDir ? ` --data-dir ${flags.dataDir}` : ""}`,
            `or open ${scheme}://${config.host}:${config.port}/ and follow the setup page.`,
            `From another machine the setup page asks for this one-time setup code: ${config.setupCode}`,
            "",
          ].join("\n"),
        );
      }
      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        app.log.info(`${signal} received: finishing in-flight requests, then stopping`);
        const timer = setTimeout(() => process.exit(1), 30_000);
        timer.unref();
        await app.close();
        await store.close();
        process.exit(0);
      };
      process.once("SIGTERM", () => void shutdown("SIGTERM"));
      process.once("SIGINT", () => void shutdown("SIGINT"));
    });
}
