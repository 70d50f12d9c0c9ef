import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { needsBuild, writeStamp } from "../../scripts/build-if-stale.mjs";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

/** A checkout as `npm ci` leaves it: sources and both build outputs. */
function builtCheckout(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-build-"));
  roots.push(root);
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write("src/main.ts", "export {};\n");
  write("web/src/App.tsx", "export {};\n");
  write("dist/main.js", "");
  write("dist/cli/verdict.mjs", "");
  write("web/dist/index.html", "");
  return root;
}

describe("npm start builds only when a source changed", () => {
  it("skips the build after one was stamped, and builds again once a source changes", () => {
    const root = builtCheckout();
    expect(needsBuild(root)).toBe(true);
    writeStamp(root);
    expect(needsBuild(root)).toBe(false);
    fs.appendFileSync(path.join(root, "web/src/App.tsx"), "// edited\n");
    expect(needsBuild(root)).toBe(true);
    writeStamp(root);
    fs.writeFileSync(path.join(root, "src/new-file.ts"), "");
    expect(needsBuild(root)).toBe(true);
  });

  it("builds when an output is missing, whatever the stamp says", () => {
    const root = builtCheckout();
    writeStamp(root);
    fs.rmSync(path.join(root, "web/dist/index.html"));
    expect(needsBuild(root)).toBe(true);
  });
});
