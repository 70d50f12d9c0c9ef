import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Set by the reporter bundle's build (scripts/build-cli.mjs); undefined in the server. */
declare const __VERDICT_VERSION__: string | undefined;

/** package.json sits two levels above this file both in src/ (tsx) and in dist/ (compiled). */
function packageVersion(): string {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** Verdict's version: the server's and its reporter CLI's, which must match. */
export const VERSION: string =
  typeof __VERDICT_VERSION__ === "string" ? __VERDICT_VERSION__ : packageVersion();
