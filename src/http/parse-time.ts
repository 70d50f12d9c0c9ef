/** Qase's "YYYY-MM-DD HH:MM:SS" (UTC) or an ISO 8601 time, to epoch ms. */
export function parseTime(text: string): number | undefined {
  const t = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(" ", "T")}Z` : text;
  if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}
