// BENCH_ONLY=report-memory: peak RSS of `verdict report` uploading generated JUnit files to a real local
// server (bench/server.ts, SQLite): 20k and 200k test cases (the ratio should stay near 1, goal <= 1.5)
// and one case whose failure text is 200 MB (only the first 1 MiB is kept, so the peak should not
// follow the text). The CLI reports its own maxRSS at exit (bench/rss-probe.ts). Never pass/fail.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { start, stop } from "./harness.js";

const SMALL = Number(process.env.BENCH_REPORT_SMALL ?? 20_000);
const LARGE = Number(process.env.BENCH_REPORT_LARGE ?? 200_000);
const HUGE_TEXT_MB = Number(process.env.BENCH_REPORT_TEXT_MB ?? 200);

async function writeAll(file: string, parts: Iterable<string>): Promise<void> {
  const out = fs.createWriteStream(file);
  for (const s of parts) if (!out.write(s)) await new Promise<void>((r) => out.once("drain", () => r()));
  await new Promise<void>((r) => out.end(r));
}

/** A Surefire-like report: suites of 50 cases, one in ten failing with a short stack trace. */
function* cases(n: number): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench">\n`;
  for (let i = 0; i < n; i++) {
    const suite = Math.floor(i / 50);
    if (i % 50 === 0) yield `${i > 0 ? "</testsuite>\n" : ""}<testsuite name="com.bench.Suite${suite}">\n`;
    const failure =
      i % 10 === 7
        ? `<failure message="expected 1 but was 2">java.lang.AssertionError: expected 1 but was 2\n\tat com.bench.Suite.case${i}(Suite.java:${i % 500})</failure>`
        : "";
    yield `<testcase classname="com.bench.Suite${suite}" name="case ${i} does its thing" time="0.0${i % 10}">${failure}</testcase>\n`;
  }
  yield "</testsuite>\n</testsuites>\n";
}

/** One failing case whose failure text is `mb` MB of stack-trace-like lines. */
function* hugeText(mb: number): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="huge">\n`;
  yield `<testcase classname="huge" name="prints a lot"><failure message="boom">`;
  const line = "\tat com.bench.Huge.frame(Huge.java:42) and some more words to make the line long\n";
  const block = line.repeat(Math.ceil((1024 * 1024) / line.length));
  for (let i = 0; i < mb; i++) yield block;
  yield `</failure></testcase>\n<testcase classname="huge" name="passes"/>\n</testsuite></testsuites>\n`;
}

async function report(file: string, base: string, token: string, tmp: string) {
  const rssFile = path.join(tmp, "rss");
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "./bench/rss-probe.ts",
      "src/main.ts",
      "report",
      file,
      "--project",
      "BENCH",
    ].concat(["--title", path.basename(file), "--json", "--batch-size", "2000"]),
    {
      env: { ...process.env, VERDICT_URL: base, VERDICT_TOKEN: token, BENCH_RSS_FILE: rssFile },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let stdout = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  const code = await new Promise<number | null>((r) => child.once("exit", r));
  if (code !== 0) throw new Error(`verdict report ${file} exited with ${code}`);
  const sent = (JSON.parse(stdout) as { sent: number }).sent;
  return {
    sent,
    seconds: (performance.now() - started) / 1000,
    peakMb: Number(fs.readFileSync(rssFile, "utf8")) / 1024,
  };
}

export async function benchReportMemory() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-bench-report-memory-"));
  const server = await start("verdict");
  const base = `http://127.0.0.1:${server.port}`;
  try {
    console.log("verdict report: peak RSS of the CLI uploading to a local server (SQLite)");
    console.log("  report                      file MB   sent     seconds   peak RSS MB");
    const rows: Record<string, { sent: number; seconds: number; peakMb: number; fileMb: number }> = {};
    const inputs: [string, () => Iterable<string>][] = [
      [`${SMALL} cases`, () => cases(SMALL)],
      [`${LARGE} cases`, () => cases(LARGE)],
      [`1 case, ${HUGE_TEXT_MB} MB failure`, () => hugeText(HUGE_TEXT_MB)],
    ];
    for (const [label, gen] of inputs) {
      const file = path.join(tmp, `${label.replace(/\W+/g, "-")}.xml`);
      await writeAll(file, gen());
      const fileMb = fs.statSync(file).size / 1024 / 1024;
      const r = await report(file, base, server.token, tmp);
      fs.rmSync(file);
      rows[label] = { ...r, fileMb };
      console.log(
        `  ${label.padEnd(26)} ${fileMb.toFixed(1).padStart(8)} ${String(r.sent).padStart(7)} ${r.seconds.toFixed(1).padStart(10)} ${r.peakMb.toFixed(0).padStart(12)}`,
      );
    }
    const ratio = (rows[`${LARGE} cases`]?.peakMb ?? 0) / (rows[`${SMALL} cases`]?.peakMb ?? 1);
    console.log(`  peak RSS ${LARGE} / ${SMALL} cases: ${ratio.toFixed(2)} (goal <= 1.5)`);
    console.log(JSON.stringify({ bench: "report-memory", rows, ratio }));
  } finally {
    await stop(server);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
