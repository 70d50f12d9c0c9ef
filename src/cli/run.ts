import fs from "node:fs";
import type { Command } from "commander";
import { runWithExitCodes, usageExitCodes, withConnectionOptions } from "./report/cli.js";
import { CliError, EXIT, usage } from "./report/exit.js";
import { ApiClient } from "./report/http.js";
import {
  type ConnectionFlags,
  type RunFlags,
  resolveConnection,
  resolveRunSettings,
} from "./report/options.js";
import { completeRun, createRun, findRunByBuild, getRun, runUrl } from "./report/runs.js";

const collect = (value: string, prev: string[] = []) => [...prev, value];

function clientFor(flags: ConnectionFlags) {
  const conn = resolveConnection(flags, process.env);
  const client = new ApiClient({
    ...conn,
    onRetry: (r) =>
      process.stderr.write(
        `retrying ${r.method} ${r.path} in ${(r.delayMs / 1000).toFixed(1)}s (attempt ${r.attempt}): ${r.reason}\n`,
      ),
  });
  return { conn, client };
}

/** `verdict run create` / `verdict run complete`: runs for sharded pipelines, over the public API. */
export function runCommand(program: Command) {
  const run = program
    .command("run")
    .description("create and complete test runs on a server (for CI pipelines)");

  usageExitCodes(withConnectionOptions(run.command("create")))
    .description("create a run (or find the one of --build-id) and print its id; -o writes it to an env file")
    .option("--title <title>", "run title (default: 'Automated run <time>')")
    .option("--description <text>", "run description")
    .option("--build-id <id>", "CI build id: creating again with the same id returns the same run")
    .option("--environment <slug>", "environment slug")
    .option("--milestone <id>", "milestone id")
    .option("--plan <id>", "test plan id")
    .option("--tags <tags>", "tags, comma-separated (repeatable)", collect)
    .option(
      "-o, --output <file>",
      "append VERDICT_RUN_ID=N and QASE_TESTOPS_RUN_ID=N to this env file (e.g. $GITHUB_ENV)",
    )
    .option("--json", "print {id, url} as JSON")
    .action(async (flags: ConnectionFlags & RunFlags & { output?: string; json?: boolean }) => {
      await runWithExitCodes(flags.json === true, async () => {
        const { conn, client } = clientFor(flags);
        const settings = resolveRunSettings(flags, process.env);
        const id = await createRun(client, conn.project, {
          ...settings,
          title: settings.title ?? `Automated run ${new Date().toISOString().slice(0, 19).replace("T", " ")}`,
        });
        if (flags.output) {
          try {
            fs.appendFileSync(flags.output, `VERDICT_RUN_ID=${id}\nQASE_TESTOPS_RUN_ID=${id}\n`);
          } catch (err) {
            throw new CliError(EXIT.usage, `cannot write ${flags.output}: ${(err as Error).message}`);
          }
        }
        const url = runUrl(conn.server, conn.project, id);
        process.stdout.write(flags.json ? `${JSON.stringify({ ok: true, id, url })}\n` : `${id}\n`);
        if (!flags.json) process.stderr.write(`run ${id}: ${url}\n`);
      });
    });

  usageExitCodes(withConnectionOptions(run.command("complete")))
    .description("complete a run, named by --id or by the --build-id its shards reported with")
    .option("--id <id>", "run id (env VERDICT_RUN_ID or QASE_TESTOPS_RUN_ID)")
    .option("--build-id <id>", "the CI build id the run was created with")
    .option("--json", "print the run's final stats as JSON")
    .action(async (flags: ConnectionFlags & { id?: string; buildId?: string; json?: boolean }) => {
      await runWithExitCodes(flags.json === true, async () => {
        if (flags.id !== undefined && flags.buildId !== undefined)
          throw usage("--id and --build-id are exclusive");
        const { conn, client } = clientFor(flags);
        let id: number;
        if (flags.buildId !== undefined) {
          const found = await findRunByBuild(client, conn.project, flags.buildId);
          if (!found) throw usage(`no run of build "${flags.buildId}" in project ${conn.project}`);
          id = found.id;
        } else {
          const raw = [flags.id, process.env.VERDICT_RUN_ID, process.env.QASE_TESTOPS_RUN_ID].find((v) => v);
          if (raw === undefined || !/^\d+$/.test(raw) || Number(raw) < 1)
            throw usage("name the run: --id N (or VERDICT_RUN_ID) or --build-id ID");
          id = Number(raw);
        }
        await getRun(client, conn.project, id);
        await completeRun(client, conn.project, id);
        const done = await getRun(client, conn.project, id);
        const url = runUrl(conn.server, conn.project, id);
        if (flags.json)
          process.stdout.write(`${JSON.stringify({ ok: true, id, url, stats: done.stats ?? null })}\n`);
        else {
          const stats = done.stats?.statuses ?? {};
          const line = Object.entries(stats)
            .map(([s, n]) => `${s} ${n}`)
            .join(", ");
          process.stdout.write(`completed run ${id}${line ? `: ${line}` : ""}\n${url}\n`);
        }
      });
    });
}
