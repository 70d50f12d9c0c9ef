// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes are exactly what we strip
const ANSI = /\u001b\[[0-9;]*m/g;

/** Test runners colour their messages for terminals; a report should hold plain text. */
export function stripAnsi(s: string | null): string | null {
  return s === null ? null : s.replace(ANSI, "");
}

/** Epoch timestamps arrive in seconds or milliseconds depending on the producer. */
export function epochMs(n: number | null): number | null {
  if (n === null || n <= 0) return null;
  return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
}
