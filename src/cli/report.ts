import { type Command, Option } from "commander";
import { runWithExitCodes, usageExitCodes, withConnectionOptions } from "./report/cli.js";
import { type ReportFlags, resolveReportOptions } from "./report/options.js";
import { formatOutcome, runReport } from "./report/report-run.js";

const collect = (value: string, prev: string[] = []) => [...prev, value];

/** `verdict report`: uploads test reports (JUnit, Allure, CTRF, ...) to a run, through the public API only. */
export function reportCommand(program: Command) {
  const cmd = usageExitCodes(
    withConnectionOptions(
      program
        .command("report")
        .description(
          "upload test reports (junit, allure, ctrf, cucumber, playwright, trx, nunit, testng) to a run",
        )
        .argument(
          "[paths...]",
          "report files, directories or globs (an Allure results directory is one report)",
        ),
    ),
  )
    .option(
      "--results-file <path>",
      "a report file, directory or glob (repeatable; TestKase spelling)",
      collect,
    )
    .option(
      "--format <format>",
      "auto | junit | allure | ctrf | cucumber | playwright | trx | nunit | testng",
      "auto",
    )
    .option("--run-id <id>", "report into this existing run (env VERDICT_RUN_ID or QASE_TESTOPS_RUN_ID)")
    .addOption(new Option("--cycle-id <id>", "alias of --run-id (TestKase)").hideHelp())
    .option("--title <title>", "create a run with this title (default: 'Automated run <time>')")
    .option("--description <text>", "description of the created run")
    .option(
      "--build-id <id>",
      "CI build id kept on the run: shards with the same id report into one run (env VERDICT_BUILD_ID)",
    )
    .option("--environment <slug>", "environment slug of the created run (env QASE_ENVIRONMENT)")
    .option("--milestone <id>", "milestone id of the created run")
    .option("--plan <id>", "test plan id of the created run (env QASE_TESTOPS_PLAN_ID)")
    .option("--tags <tags>", "tags of the created run, comma-separated (repeatable)", collect)
    .option("--root-suite <title>", "suite prepended to every result's suite path (env QASE_ROOT_SUITE)")
    .option("--report-skipped-as <status>", "skipped | blocked | ignore", "skipped")
    .option("--batch-size <n>", "results per request, 1..2000 (default 200)")
    .option("--concurrency <n>", "requests in flight, 1..16 (default 4)")
    .option("--attachments", "upload the reports' attachments (default)")
    .option("--no-attachments", "do not upload attachments")
    .option(
      "--attachments-root <dir>",
      "also upload attachments from this directory (repeatable); by default only files under the report's own directory",
      collect,
    )
    .option(
      "--complete",
      "complete the run at the end (default only for a run this command created without --build-id)",
    )
    .option("--no-complete", "leave the run open")
    .option("--dry-run", "read and validate the reports, print the summary, send nothing")
    .option("--json", "print the outcome as JSON on stdout")
    .action(async (paths: string[], flags: ReportFlags) => {
      await runWithExitCodes(flags.json === true, async () => {
        const opts = resolveReportOptions(paths, flags, process.env);
        const outcome = await runReport(opts, {
          log: (line) => process.stderr.write(`${line}\n`),
          isTTY: process.stderr.isTTY === true,
        });
        if (opts.json) process.stdout.write(`${JSON.stringify({ ok: true, ...outcome })}\n`);
        else process.stdout.write(`${formatOutcome(outcome).join("\n")}\n`);
      });
    });
  return cmd;
}
