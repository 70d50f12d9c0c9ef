/** Wall clock in epoch milliseconds; one place so tests can reason about it. */
export function now(): number {
  return Date.now();
}

// The last instant formatted: rows written together (a batch of cases, a page of a list) share times.
let lastMs = Number.NaN;
let lastIso = "";

/** ISO 8601 with an explicit offset, as Qase prints created_at/updated_at. */
export function iso(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  if (ms !== lastMs) {
    lastIso = `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
    lastMs = ms;
  }
  return lastIso;
}
