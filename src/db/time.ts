/** Wall clock in epoch milliseconds; one place so tests can reason about it. */
export function now(): number {
  return Date.now();
}

/** A formatter that keeps the last instant it formatted: rows written together share their times. */
function lastFormatted(format: (ms: number) => string): (ms: number) => string {
  let lastMs = Number.NaN;
  let last = "";
  return (ms) => {
    if (ms !== lastMs) {
      last = format(ms);
      lastMs = ms;
    }
    return last;
  };
}

const isoOf = lastFormatted((ms) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`);

/** ISO 8601 with an explicit offset, as Qase prints created_at/updated_at. */
export function iso(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  return isoOf(ms);
}

/** Qase's "2021-12-30 19:23:59" (UTC), the form of the deprecated created/updated fields. */
export const plain = lastFormatted((ms) => new Date(ms).toISOString().slice(0, 19).replace("T", " "));
