import { VERSION } from "../version.js";

/** How long the version question may hold up a report: it is advice, never a reason to fail. */
const ASK_TIMEOUT_MS = 3000;

/**
 * Tells the user on stderr when this reporter and the server it talks to are of different versions (a CI
 * image keeping an old verdict.mjs), with where to get the matching one. Says nothing when the server cannot
 * be asked: the command itself reports a server it cannot reach.
 */
export async function warnOnVersionMismatch(server: string | undefined): Promise<void> {
  const root = (server ?? process.env.VERDICT_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
  let theirs: string | undefined;
  try {
    const res = await fetch(`${root}/cli/version`, { signal: AbortSignal.timeout(ASK_TIMEOUT_MS) });
    if (!res.ok) return;
    theirs = ((await res.json()) as { version?: unknown }).version as string | undefined;
  } catch {
    return;
  }
  if (typeof theirs !== "string" || theirs === VERSION) return;
  process.stderr.write(
    `warning: this reporter is version ${VERSION} and the server ${theirs}; ` +
      `get the matching one with: curl -fsSLO ${root}/cli/verdict.mjs\n`,
  );
}
