#!/usr/bin/env node
// Bundles the reporter CLI (src/cli/reporter-main.ts) into one self-contained ES module that runs on the
// Node a CI image already has: no node_modules, no install. `npm run build` writes dist/cli/verdict.mjs,
// which the server serves at /cli/verdict.mjs; packages/reporter publishes the same file.
// Usage: node scripts/build-cli.mjs [--out FILE] [--version V]
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Builds the bundle to `out`; `version` overrides package.json's (tests build a mismatched one). */
export async function buildReporter({ out = path.join(root, "dist/cli/verdict.mjs"), version } = {}) {
  const pkgVersion = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
  await build({
    entryPoints: [path.join(root, "src/cli/reporter-main.ts")],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    legalComments: "eof",
    define: { __VERDICT_VERSION__: JSON.stringify(version ?? pkgVersion) },
    // The bundled CommonJS packages (cli-progress) require Node's built-ins; an ES module has no require.
    banner: {
      js: "import { createRequire as __verdictRequire } from 'node:module';\nconst require = __verdictRequire(import.meta.url);",
    },
    logLevel: "warning",
  });
  fs.chmodSync(out, 0o755);
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const out = arg("--out");
  await buildReporter({ out: out ? path.resolve(out) : undefined, version: arg("--version") });
}
