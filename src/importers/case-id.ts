/**
 * Case ids written into test names, in the conventions users already have:
 *   "[PROJ-123] logs in", "PROJ-123: logs in" (Qase/TestRail style), "[48271] logs in" (TestKase, also after a describe prefix),
 *   "logs in (Qase ID: 12, 13)" (the Qase reporters' title marker).
 * Returns the ids and the title without the marks.
 */
export function extractCaseIds(title: string, projectCode?: string): { ids: number[]; title: string } {
  const ids: number[] = [];
  let rest = title;
  const take = (re: RegExp) => {
    rest = rest.replace(re, (_m, ...groups: unknown[]) => {
      for (const n of String(groups[0]).split(/\s*,\s*/)) if (/^\d+$/.test(n)) ids.push(Number(n));
      return " ";
    });
  };
  take(/\(\s*Qase\s+IDs?:\s*([\d\s,]+)\)/gi);
  if (projectCode && /^[A-Za-z]{2,10}$/.test(projectCode)) {
    take(new RegExp(`\\[\\s*${projectCode}-(\\d+)\\s*\\]`, "gi"));
    take(new RegExp(`(?<![\\w-])${projectCode}-(\\d+)(?![\\w-])\\s*:?`, "gi"));
  }
  // A bracketed number standing alone as a word; "test_x[1]" (pytest parameters) is not a mark.
  take(/(?:^|\s)\[(\d+)\](?=\s|$)/g);
  return { ids: [...new Set(ids)], title: rest.replace(/\s+/g, " ").trim() || title.trim() };
}

/** Ids from a property value such as "12", "12,13" or "PROJ-12". */
export function idsFromValue(value: string): number[] {
  const out: number[] = [];
  for (const part of value.split(/[\s,]+/)) {
    const m = /^(?:[A-Za-z]{2,10}-)?(\d+)$/.exec(part);
    if (m) out.push(Number(m[1]));
  }
  return out;
}

const CASE_ID_PROPERTIES = new Set([
  "qase_id",
  "qase-id",
  "qaseid",
  "testops_id",
  "testops-id",
  "case_id",
  "test_case_id",
]);

export function isCaseIdProperty(name: string): boolean {
  return CASE_ID_PROPERTIES.has(name.toLowerCase());
}
