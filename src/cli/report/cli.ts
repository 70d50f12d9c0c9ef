import { type Command, type CommanderError, Option } from "commander";
import { CliError, EXIT } from "./exit.js";

/** Flags every command that talks to a server shares (with the Qase and TestKase spellings hidden). */
export function withConnectionOptions(cmd: Command): Command {
  return cmd
    .option(
      "--server <url>",
      "Verdict (or Qase) server root (env VERDICT_URL; default http://127.0.0.1:8080)",
    )
    .option("--token <token>", "API token (env VERDICT_TOKEN or QASE_TESTOPS_API_TOKEN)")
    .option("--project <code>", "project code (env VERDICT_PROJECT or QASE_TESTOPS_PROJECT)")
    .addOption(new Option("--project-id <code>", "alias of --project (TestKase)").hideHelp())
    .option("--retries <n>", "retries on network errors, 429 and 5xx (default 5)")
    .option("--retry-delay <ms>", "first backoff in ms, doubled per retry (default 1000)")
    .option("--timeout <seconds>", "per-request timeout (default 60)")
    .option("--data-dir <dir>", "accepted for symmetry with other commands; this command talks HTTP only");
}

/**
 * Commander exits with 1 on bad usage; these commands promise 2. Help and version still exit 0.
 */
export function usageExitCodes(cmd: Command): Command {
  return cmd.exitOverride((err: CommanderError) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT.usage);
  });
}

/** Runs a command body and turns its failure into a message and the documented exit code. */
export async function runWithExitCodes(json: boolean, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const code = err instanceof CliError ? err.exitCode : 1;
    const message = err instanceof Error ? err.message : String(err);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, exitCode: code, error: message })}\n`);
    process.stderr.write(`error: ${message}\n`);
    process.exit(code);
  }
}
