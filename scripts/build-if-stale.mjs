#!/usr/bin/env node
// `npm start` runs this first: it builds (server and web app) only when a source changed since the last
// build, so a start after `npm ci` (which already built) takes no 15 s rebuild.
// `node scripts/build-if-stale.mjs --stamp` records the current sources as built (the build script runs it).
import { execSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** What the build reads: a change to any of these needs a new build. */
const INPUTS = [
  "src",
  "web/src",
  "web/index.html",
  "web/vite.config.ts",
  "web/tsconfig.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "package-lock.json",
];
/** What the build writes: missing output needs a build whatever the stamp says. */
const OUTPUTS = ["dist/main.js", "dist/cli/verdict.mjs", "web/dist/index.html"];
const STAMP = "dist/.sources-stamp";

function* files(root, rel) {
  const full = path.join(root, rel);
  let stat;
  try {
    stat = fs.statSync(full);
  } catch {
    return;
  }
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(full).sort()) yield* files(root, path.join(rel, name));
  } else yield { rel, stat };
}

/** A fingerprint of the inputs' names, sizes and modification times: reading every byte is not needed. */
export function sourcesFingerprint(root) {
  const hash = createHash("sha256");
  for (const input of INPUTS)
    for (const { rel, stat } of files(root, input)) hash.update(`${rel}\0${stat.size}\0${stat.mtimeMs}\n`);
  return hash.digest("hex");
}

export function needsBuild(root) {
  if (OUTPUTS.some((o) => !fs.existsSync(path.join(root, o)))) return true;
  let stamp = "";
  try {
    stamp = fs.readFileSync(path.join(root, STAMP), "utf8").trim();
  } catch {
    return true;
  }
  return stamp !== sourcesFingerprint(root);
}

export function writeStamp(root) {
  fs.mkdirSync(path.join(root, path.dirname(STAMP)), { recursive: true });
  fs.writeFileSync(path.join(root, STAMP), `${sourcesFingerprint(root)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  if (process.argv.includes("--stamp")) writeStamp(root);
  else if (needsBuild(root)) execSync("npm run build", { cwd: root, stdio: "inherit" });
  else console.error("verdict: the build is up to date with the sources; starting");
}
