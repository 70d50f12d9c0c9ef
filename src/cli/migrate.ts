import type { Command } from "commander";
import { loadConfig } from "../config.js";
import { migrateToLatest, openStore } from "../db/store.js";

export function migrateCommand(program: Command) {
  program
    .command("migrate")
    .description("apply pending database migrations (serve also does this at start)")
    .option("--data-dir <dir>", "data directory (default ./data)")
    .action(async (flags: { dataDir?: string }) => {
      const config = loadConfig(flags);
      const store = openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
      try {
        const applied = await migrateToLatest(store);
        console.log(applied.length ? `applied: ${applied.join(", ")}` : "already up to date");
      } finally {
        await store.close();
      }
    });
}
