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

/** Text kept per element (a failure, a system-out): more than the 1,000,000 characters a result keeps. */
export const MAX_TEXT = 1024 * 1024;

/**
 * `kept` followed by as much of `more` as fits in `max` characters. The XML reader hands text over in
 * chunk-sized pieces, so past the cap nothing more is held: a 200 MB failure costs 1 MiB.
 */
export function appendCapped(kept: string, more: string, max = MAX_TEXT): string {
  if (kept.length >= max) return kept;
  return kept + (more.length > max - kept.length ? more.slice(0, max - kept.length) : more);
}
