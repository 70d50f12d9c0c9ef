// npm run bench:report (tsx bench/report.ts): the reporter CLI on generated JUnit files.
// 1. `verdict report --dry-run` on 10k / 100k / 1M test cases: wall time and peak RSS (must stay flat:
//    the reports are streamed, never held whole).
// 2. Upload of 100k test cases to a real server, against the server's own bulk-ingestion rate (the same
//    results posted directly as v2 batches of 2000, 4 at a time): prints the ratio. Never pass/fail.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

const SIZES = (process.env.BENCH_REPORT_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const UPLOAD = Number(process.env.BENCH_REPORT_UPLOAD ?? 100_000);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-bench-report-"));

/** A Surefire-like report: suites of 50 cases, one in ten failing with a stack trace. */
async function generate(n: number): Promise<string> {
  const file = path.join(tmp, `junit-${n}.xml`);
  const out = fs.createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r()));
  await write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench">\n`);
  for (let i = 0; i < n; i++) {
    if (i % 50 === 0)
      await write(`${i > 0 ? "</testsuite>\n" : ""}<testsuite name="com.bench.Suite${i / 50}">\n`);
    const failing = i % 10 === 7;
    await write(
      `<testcase classname="com.bench.Suite${Math.floor(i / 50)}" name="case ${i} does its thing" time="0.0${i % 10}">${
        failing
          ? `<failure message="expected 1 but was 2">java.lang.AssertionError: expected 1 but was 2\n\tat com.bench.Suite.case${i}(Suite.java:${i % 500})</failure>`
          : ""
      }</testcase>\n`,
    );
  }
  await write("</testsuite>\n</testsuites>\n");
  await new Promise<void>((r) => out.end(r));
  return file;
}

/** Runs the CLI and samples its peak resident set (VmHWM) from /proc until it exits. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let peakKb = 0;
  const sample = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // exited between samples
    }
  };
  const timer = setInterval(sample, 20);
  let stdout = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  clearInterval(timer);
  if (code !== 0) throw new Error(`verdict ${args[0]} exited with ${code}`);
  return { seconds: (performance.now() - started) / 1000, peakMb: peakKb / 1024, stdout };
}

async function startServer(): Promise<{ child: ChildProcess; base: string; token: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join("bench", "server.ts"), "verdict"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve);
    child.once("exit", (c) => reject(new Error(`bench server exited with ${c}`)));
  });
  const { port, token } = JSON.parse(line) as { port: number; token: string };
  return { child, base: `http://127.0.0.1:${port}`, token };
}

async function post(base: string, token: string, url: string, body: unknown) {
  const res = await fetch(`${base}${url}`, {
    method: "POST",
    headers: { Token: token, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { result?: { id: number } };
}

/** The server alone: the same results as v2 batches of 2000, 4 requests in flight, no parsing. */
async function directIngest(base: string, token: string, n: number): Promise<number> {
  const run = await post(base, token, "/v1/run/BENCH", { title: "direct", is_autotest: true });
  const id = run.result?.id ?? 0;
  const batches: unknown[][] = [];
  for (let i = 0; i < n; i += 2000)
    batches.push(
      Array.from({ length: Math.min(2000, n - i) }, (_, k) => {
        const j = i + k;
        return {
          id: randomUUID(),
          title: `case ${j} does its thing`,
          signature: `com.bench.Suite${Math.floor(j / 50)}::case ${j} does its thing`,
          testops_id: null,
          execution: {
            status: j % 10 === 7 ? "failed" : "passed",
            duration: (j % 10) * 10,
            stacktrace: null,
          },
          relations: { suite: { data: [{ title: `com.bench.Suite${Math.floor(j / 50)}` }] } },
        };
      }),
    );
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        await post(base, token, `/v2/BENCH/run/${id}/results`, { results: batch });
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

try {
  console.log("verdict report --dry-run on generated JUnit (peak RSS must stay flat)");
  console.log("  test cases   file MB   seconds   peak RSS MB");
  const dry: Record<string, { seconds: number; peakMb: number }> = {};
  for (const n of SIZES) {
    const file = await generate(n);
    const mb = fs.statSync(file).size / 1024 / 1024;
    const r = await cli(["report", "--dry-run", "--json", file]);
    if ((JSON.parse(r.stdout) as { results: number }).results !== n) throw new Error("wrong count");
    dry[n] = { seconds: r.seconds, peakMb: r.peakMb };
    console.log(
      `  ${String(n).padStart(10)}  ${mb.toFixed(1).padStart(8)}  ${r.seconds.toFixed(1).padStart(8)}  ${r.peakMb.toFixed(0).padStart(12)}`,
    );
    if (n !== UPLOAD) fs.rmSync(file);
  }

  const server = await startServer();
  try {
    const file = path.join(tmp, `junit-${UPLOAD}.xml`);
    if (!fs.existsSync(file)) await generate(UPLOAD);
    const upload = await cli(
      ["report", file, "--project", "BENCH", "--title", "bench", "--json", "--batch-size", "2000"],
      { VERDICT_URL: server.base, VERDICT_TOKEN: server.token },
    );
    const direct = await directIngest(server.base, server.token, UPLOAD);
    const cliRate = UPLOAD / upload.seconds;
    const serverRate = UPLOAD / direct;
    console.log(`\nupload of ${UPLOAD} test cases (batches of 2000, 4 in flight, SQLite, same machine)`);
    console.log(
      `  verdict report (parse twice + send)   ${upload.seconds.toFixed(1)} s  ${cliRate.toFixed(0)} results/s  peak RSS ${upload.peakMb.toFixed(0)} MB`,
    );
    console.log(
      `  server bulk ingestion (direct v2)     ${direct.toFixed(1)} s  ${serverRate.toFixed(0)} results/s`,
    );
    console.log(`  ratio                                 ${(cliRate / serverRate).toFixed(2)}`);
    console.log(
      JSON.stringify({
        bench: "report",
        dry_run: dry,
        upload: {
          n: UPLOAD,
          seconds: upload.seconds,
          peak_mb: upload.peakMb,
          direct_seconds: direct,
          ratio: cliRate / serverRate,
        },
      }),
    );
  } finally {
    const done = new Promise((r) => server.child.once("exit", r));
    server.child.kill("SIGTERM");
    await done;
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
