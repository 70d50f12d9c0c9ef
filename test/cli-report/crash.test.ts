import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verdict } from "./cli.js";

/**
 * The server dies (SIGKILL) in the middle of an upload; once it is back, the same command is run again
 * and every result is stored exactly once. A real `verdict serve` process on SQLite, since it must die.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-crash-"));
const reportFile = path.join(dataDir, "big.xml");
const TESTS = 6000;
let server: ChildProcess | null = null;
let base = "";
let token = "";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(port: number) {
  server = spawn(
    process.execPath,
    ["--import", "tsx", "src/main.ts", "serve", "--port", String(port), "--data-dir", dataDir],
    { env: { ...process.env, DATABASE_URL: "", VERDICT_RATE_LIMIT: "1000000" }, stdio: "ignore" },
  );
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the server did not come up");
}

async function api<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    ...init,
    headers: { Token: token, "content-type": "application/json" },
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { result: T }).result;
}

beforeAll(async () => {
  const cases = Array.from(
    { length: TESTS },
    (_, i) => `<testcase classname="crash.Suite${i % 7}" name="test ${i}" time="0.01"/>`,
  );
  fs.writeFileSync(
    reportFile,
    `<testsuites><testsuite name="crash">${cases.join("")}</testsuite></testsuites>`,
  );
  await verdict([
    "users",
    "create",
    "--email",
    "ci@example.test",
    "--name",
    "CI",
    "--role",
    "owner",
    "--data-dir",
    dataDir,
  ]);
  token = (
    await verdict([
      "tokens",
      "create",
      "--user",
      "ci@example.test",
      "--name",
      "ci",
      "--expires-in",
      "never",
      "--data-dir",
      dataDir,
    ])
  ).stdout.trim();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await startServer(port);
  await api("/v1/project", { method: "POST", body: JSON.stringify({ title: "Crash", code: "CR" }) });
}, 60_000);

afterAll(() => {
  server?.kill("SIGKILL");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("an upload interrupted by a server crash", () => {
  it("re-run after the restart stores every result exactly once", async () => {
    const args = [
      "report",
      reportFile,
      "--server",
      base,
      "--project",
      "CR",
      "--build-id",
      "crash-1",
      "--batch-size",
      "40",
      "--concurrency",
      "2",
      "--retries",
      "1",
      "--retry-delay",
      "10",
    ];
    const first = verdict(args, { VERDICT_TOKEN: token });
    // Wait until part of the report is in, then kill the server without warning.
    let runId = 0;
    let stored = 0;
    for (let i = 0; i < 2400 && (stored === 0 || runId === 0); i++) {
      await new Promise((r) => setTimeout(r, 25));
      const runs = await api<{ entities: { id: number }[] }>("/v1/run/CR?build_id=crash-1").catch(() => null);
      runId = runs?.entities[0]?.id ?? 0;
      if (runId) stored = (await api<{ filtered: number }>(`/v1/result/CR?run=${runId}&limit=1`)).filtered;
    }
    server?.kill("SIGKILL");
    const killed = await first;
    expect(stored).toBeGreaterThan(0);
    expect(killed.code, killed.stderr).toBe(5);
    expect(killed.stderr).toMatch(/ECONNREFUSED|ECONNRESET|other side closed|fetch failed|socket/);

    await startServer(Number(new URL(base).port));
    const partial = (await api<{ filtered: number }>(`/v1/result/CR?run=${runId}&limit=1`)).filtered;
    expect(partial).toBeLessThan(TESTS);

    const again = await verdict([...args, "--json"], { VERDICT_TOKEN: token });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ sent: TESTS, run: { id: runId } });

    const titles = new Set<string>();
    let count = 0;
    for (let offset = 0; offset < TESTS + 100; offset += 100) {
      const page = await api<{ entities: { title: string }[] }>(
        `/v1/result/CR?run=${runId}&limit=100&offset=${offset}`,
      );
      for (const r of page.entities) titles.add(r.title);
      count += page.entities.length;
      if (page.entities.length < 100) break;
    }
    expect(count).toBe(TESTS);
    expect(titles.size).toBe(TESTS);
    const run = await api<{ stats: { total: number; passed: number } }>(`/v1/run/CR/${runId}`);
    expect(run.stats).toMatchObject({ total: TESTS, passed: TESTS });
  }, 180_000);
});
