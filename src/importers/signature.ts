/**
 * A test's identity across runs and CI shards: format-independent parts only (never the report's
 * file name or run time), so re-running or re-sharding a suite lands on the same cases.
 */
export function signatureOf(parts: {
  file?: string | null | undefined;
  suitePath: string[];
  className?: string | null | undefined;
  title: string;
  params?: Record<string, string>;
}): string {
  const norm = (s: string) => s.trim().replace(/\s+/g, " ");
  const segments = [
    parts.file ? norm(parts.file.replaceAll("\\", "/")) : "",
    ...parts.suitePath.map(norm),
    parts.className ? norm(parts.className) : "",
    norm(parts.title),
  ].filter(Boolean);
  const params = Object.entries(parts.params ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (params.length > 0) segments.push(params.map(([k, v]) => `${k}=${v}`).join("&"));
  return segments.join("::");
}
