#!/usr/bin/env node
// The reporter CLI on its own: the client commands only (`report`, `run`), bundled into one file that the
// server serves at /cli/verdict.mjs and that packages/reporter publishes. Nothing here opens a database.
import { Command } from "commander";
import { VERSION } from "../version.js";
import { reportCommand } from "./report.js";
import { warnOnVersionMismatch } from "./reporter-version.js";
import { runCommand } from "./run.js";

const program = new Command()
  .name("verdict")
  .description("Verdict's reporter: upload test reports to a Verdict (or Qase) server and manage its runs")
  .version(VERSION);

reportCommand(program);
runCommand(program);
program.hook("preAction", (_program, action) =>
  warnOnVersionMismatch(action.opts<{ server?: string }>().server),
);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
