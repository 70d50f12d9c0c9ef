#!/usr/bin/env node
import { Command } from "commander";
import { maintenanceCommand } from "./cli/maintenance.js";
import { migrateCommand } from "./cli/migrate.js";
import { reportCommand } from "./cli/report.js";
import { runCommand } from "./cli/run.js";
import { serveCommand } from "./cli/serve.js";
import { tokensCommand } from "./cli/tokens.js";
import { usersCommand } from "./cli/users.js";
import { ApiError } from "./http/errors.js";
import { VERSION } from "./version.js";

const program = new Command()
  .name("verdict")
  .description("Verdict: self-hosted test management with a Qase-compatible API")
  .version(VERSION);

serveCommand(program);
migrateCommand(program);
usersCommand(program);
tokensCommand(program);
maintenanceCommand(program);
reportCommand(program);
runCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ApiError) {
    const fields = err.fields.map((f) => `  ${f.field}: ${f.error}`).join("\n");
    console.error(`error: ${err.message}${fields ? `\n${fields}` : ""}`);
    process.exit(2);
  }
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
