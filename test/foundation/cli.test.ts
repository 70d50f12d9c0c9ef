import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(".");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-cli-"));

function verdict(args: string[], input?: string, env: Record<string, string> = {}) {
  const res = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/main.ts", ...args, "--data-dir", dataDir],
    {
      cwd: root,
      input,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: "", ...env },
    },
  );
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

let server: ChildProcess | null = null;
afterAll(() => {
  server?.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the verdict command line", () => {
  let secret = "";

  it("creates users, prints a token's secret alone on stdout, lists without secrets", () => {
    const created = verdict(
      [
        "users",
        "create",
        "--email",
        "ci@example.test",
        "--name",
        "CI Bot",
        "--role",
        "owner",
        "--password-stdin",
      ],
      "a long password\n",
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("created user 1 ci@example.test (owner)");
    const bad = verdict(["users", "create", "--email", "nope", "--name", "X", "--role", "boss"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("email: must be an email address");
    expect(bad.stderr).toContain("role: must be one of owner, admin, member, viewer");

    const token = verdict([
      "tokens",
      "create",
      "--user",
      "ci@example.test",
      "--name",
      "nightly",
      "--expires-in",
      "7d",
      "--scope",
      "results",
    ]);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^vdt_[0-9A-Za-z]{38}\n$/);
    secret = token.stdout.trim();
    expect(
      verdict(["tokens", "create", "--user", "ci@example.test", "--name", "x", "--expires-in", "soon"]).code,
    ).toBe(1);
    const list = verdict(["tokens", "list"]);
    expect(list.stdout).toContain("nightly");
    expect(list.stdout).toContain("results");
    expect(list.stdout).not.toContain(secret);
    expect(verdict(["users", "list"]).stdout).toMatch(/ci@example\.test\s+CI Bot\s+owner\s+yes/);
  });

  it("serves the same store, answers with the CLI's token, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    server = spawn(
      process.execPath,
      ["--import", "tsx", "src/main.ts", "serve", "--port", String(port), "--data-dir", dataDir],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: "" },
        stdio: "ignore",
      },
    );
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await fetch(`${base}/v1/project`, { headers: { Token: secret } })).status).toBe(200);
    expect(
      (await fetch(`${base}/v1/project`, { headers: { Authorization: `Bearer ${secret}` } })).status,
    ).toBe(200);

    expect(verdict(["maintenance", "on"]).stdout).toContain("maintenance is on");
    await new Promise((r) => setTimeout(r, 1100));
    expect((await fetch(`${base}/v1/project`, { headers: { Token: secret } })).status).toBe(503);
    expect(verdict(["maintenance", "off"]).stdout).toContain("maintenance is off");
    await new Promise((r) => setTimeout(r, 1100));

    const id = verdict(["tokens", "list"]).stdout.split("\n")[1]?.split(/\s+/)[0] ?? "";
    expect(verdict(["tokens", "revoke", id]).code).toBe(0);
    expect((await fetch(`${base}/v1/project`, { headers: { Token: secret } })).status).toBe(401);

    const exited = new Promise<number | null>((resolve) => server?.once("exit", (code) => resolve(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
    server = null;
  }, 60_000);

  it("changes roles and deactivates users, and migrate reports the schema current", () => {
    verdict(["users", "create", "--email", "m@example.test", "--name", "M", "--role", "member"]);
    expect(verdict(["users", "set-role", "m@example.test", "viewer"]).stdout).toContain(
      "m@example.test is now viewer",
    );
    expect(verdict(["users", "deactivate", "m@example.test"]).code).toBe(0);
    expect(verdict(["users", "list"]).stdout).toMatch(/m@example\.test\s+M\s+viewer\s+no/);
    expect(verdict(["users", "deactivate", "ci@example.test"]).stderr).toContain(
      "the last active owner cannot be deactivated",
    );
    expect(verdict(["migrate"]).stdout).toContain("already up to date");
  });
});
