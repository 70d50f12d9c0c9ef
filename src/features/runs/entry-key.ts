import { createHash } from "node:crypto";

/** Parameters in a canonical form (sorted keys), so {a,b} and {b,a} name the same entry. */
export function canonicalParams(params: Record<string, string>): string {
  const keys = Object.keys(params).sort();
  return keys.length === 0 ? "" : JSON.stringify(keys.map((k) => [k, params[k]]));
}

/**
 * The key of a run entry: one per case and parameter set, so parameterized results never overwrite each
 * other; a result linked to no case gets an entry of its own, named by its signature.
 */
export function entryKey(
  caseId: number | null,
  params: Record<string, string>,
  unlinkedIdentity = "",
): string {
  const p = canonicalParams(params);
  if (caseId !== null) return p === "" ? `c:${caseId}` : `c:${caseId}|${digest(p)}`;
  return `u:${digest(`${unlinkedIdentity}\n${p}`)}`;
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}
