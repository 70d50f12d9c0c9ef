/** Exit codes of `verdict report` and `verdict run` (documented in the README, relied on by CI scripts). */
export const EXIT = {
  ok: 0,
  /** Bad flags or environment, or a project/run/environment the server says does not exist. */
  usage: 2,
  /** A report that cannot be read or is malformed: nothing was sent. */
  report: 3,
  /** The server refused the token (401) or its rights (403). */
  auth: 4,
  /** The server or the network failed, after retries. */
  server: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the command with a chosen exit code and a message for stderr. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

export const usage = (message: string) => new CliError(EXIT.usage, message);
