import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildReporter } from "../../scripts/build-cli.mjs";
import { VERSION } from "../../src/version.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";
import { fixture } from "./cli.js";

vi.setConfig({ testTimeout: 120_000 });

/** Runs a downloaded verdict.mjs as a CI job would: plain `node`, from a folder with no node_modules. */
function node(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: cwd, NODE_PATH: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

// The bundle only talks HTTP; one dialect is enough to prove the served file works on its own.
describe.each(dialects.slice(0, 1))("the reporter CLI served at /cli/verdict.mjs ($name)", (dialect) => {
  const ci = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-ci-job-"));
  let t: TestApp;
  let base = "";
  let token = "";

  beforeAll(async () => {
    await buildReporter();
    t = await startApp(dialect);
    const owner = await t.user("owner");
    token = await t.token(owner, { scopes: ["results"] });
    await t.project("CLI", owner);
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    fs.copyFileSync(fixture("junit/jest.xml"), path.join(ci, "junit.xml"));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(ci, { recursive: true, force: true });
  });

  const report = (file: string) =>
    node(ci, [file, "report", "junit.xml", "--server", base, "--token", token, "--project", "CLI", "--json"]);

  it("downloads without a token and uploads a report from a folder with no node_modules", async () => {
    let dir = ci;
    for (; path.dirname(dir) !== dir; dir = path.dirname(dir))
      expect(fs.existsSync(path.join(dir, "node_modules"))).toBe(false);

    const res = await fetch(`${base}/cli/verdict.mjs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(res.headers.get("x-verdict-version")).toBe(VERSION);
    fs.writeFileSync(path.join(ci, "verdict.mjs"), Buffer.from(await res.arrayBuffer()));

    const version = await node(ci, ["verdict.mjs", "--version"]);
    expect(version.stdout.trim()).toBe(VERSION);

    const run = await report("verdict.mjs");
    expect(run.stderr).not.toMatch(/^error:|this reporter is version/m);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { run: { id: number }; sent: number };
    expect(out.sent).toBe(3);
    const stored = await fetch(`${base}/v1/run/CLI/${out.run.id}`, { headers: { Token: token } });
    const body = (await stored.json()) as { result: { stats: { total: number } } };
    expect(body.result.stats.total).toBe(3);
  });

  it("answers 304 to a copy the pipeline already holds", async () => {
    const first = await fetch(`${base}/cli/verdict.mjs`);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    const again = await fetch(`${base}/cli/verdict.mjs`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
  });

  it("warns when the downloaded copy is of another version than the server, and still reports", async () => {
    await buildReporter({ out: path.join(ci, "old.mjs"), version: "0.0.1-old" });
    const run = await report("old.mjs");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`this reporter is version 0.0.1-old and the server ${VERSION}`);
    expect(run.stderr).toContain(`curl -fsSLO ${base}/cli/verdict.mjs`);
  });
});
