import { detectFormat, readReports } from "../../importers/index.js";
import { type ImportedResult, ReportError, type ReportFormat } from "../../importers/types.js";
import { CliError, EXIT } from "./exit.js";

export interface SourcedResult {
  target: string;
  format: ReportFormat;
  /** Position of the result within its target (report file or Allure directory), from 0. */
  ordinal: number;
  result: ImportedResult;
}

/**
 * Every result of every target, in a stable order, with its position in its report. Both passes walk
 * the reports through here, so the positions (part of each result's id) agree between them.
 */
export async function* walkReports(
  targets: string[],
  format: ReportFormat | "auto",
  projectCode: string | undefined,
): AsyncGenerator<SourcedResult> {
  for (const target of targets) {
    const f = format === "auto" ? await detectFormat(target) : format;
    let ordinal = 0;
    for await (const result of readReports([target], f, { projectCode }))
      yield { target, format: f, ordinal: ordinal++, result };
  }
}

/** A report that cannot be read ends the command with exit code 3 and says where and why. */
export function reportFailure(err: unknown): unknown {
  if (err instanceof ReportError) return new CliError(EXIT.report, `cannot read the report: ${err.message}`);
  const e = err as NodeJS.ErrnoException;
  if (e?.code && e.syscall && typeof e.path === "string")
    return new CliError(EXIT.report, `cannot read the report: ${e.path}: ${e.code}`);
  return err;
}
