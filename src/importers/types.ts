/** The one shape every report format is read into, whatever produced it. */
export type ResultStatus = "passed" | "failed" | "skipped" | "blocked" | "invalid";

export interface ImportedAttachment {
  name: string;
  mime: string;
  /** A file on disk (referenced by the report) or inline text captured from it. */
  path?: string;
  content?: string;
}

export interface ImportedStep {
  title: string;
  status: ResultStatus | "in_progress";
  durationMs: number | null;
  steps: ImportedStep[];
  attachments: ImportedAttachment[];
}

export interface ImportedResult {
  title: string;
  /** Suite titles, outermost first. */
  suitePath: string[];
  status: ResultStatus;
  /** Test case ids named by the report (marks in titles, properties, tms links). */
  caseIds: number[];
  /** Stable identity across runs and shards: the same test always yields the same signature. */
  signature: string;
  durationMs: number | null;
  /** Epoch milliseconds, when the report says. */
  startTime: number | null;
  message: string | null;
  stacktrace: string | null;
  /** Passed only after failing attempts in the same run. */
  flaky: boolean;
  attempts: number;
  params: Record<string, string>;
  fields: Record<string, string>;
  steps: ImportedStep[];
  attachments: ImportedAttachment[];
  /** Where in which report file this result came from. */
  source: { file: string; line: number | null };
}

/** A report that cannot be read: names the file, the line when known, and what is wrong. */
export class ReportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line !== null ? `:${line}` : ""}: ${reason}`);
  }
}

export interface ReadOptions {
  /** The project code, so that CODE-123 marks in titles are recognised. */
  projectCode?: string | undefined;
}

export type ReportFormat =
  | "junit"
  | "allure"
  | "ctrf"
  | "cucumber"
  | "playwright"
  | "trx"
  | "nunit"
  | "testng";
