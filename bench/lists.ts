// List endpoints on a large project: cases by suite and severity, results by run and status, at two sizes
// (default 10k cases / 100k results and 100k / 1M), each against a bare Fastify route returning the same
// bytes, in this run. Prints ratios and how the cost grows with the table; never pass/fail. SQLite, and
// PostgreSQL too when BENCH_DATABASE_URL is set.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { type Started, start, stop } from "./harness.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SIZES = (process.env.BENCH_LIST_SIZES ?? "10000:100000,100000:1000000").split(",").map((s) => {
  const [cases, results] = s.split(":").map(Number);
  return { cases: cases ?? 0, results: results ?? 0 };
});
const QUERIES = {
  "cases by suite+severity": "/v1/case/BENCH?suite_id=7&severity=critical&limit=100",
  "results by run+status": "/v1/result/BENCH?run=3&status=failed&limit=100",
};

async function rps(port: number, url: string, token: string) {
  const run = (duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}${url}`,
      connections: 10,
      duration,
      headers: token ? { token } : {},
    });
  await run(2);
  const r = await run(SECONDS);
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: non-2xx ${r.non2xx}, errors ${r.errors}`);
  return r.requests.average;
}

/** The same project served with the response cache (repeated identical requests) and without it. */
const MODES = { cached: {}, uncached: { VERDICT_RESPONSE_CACHE_MB: "0" } } as const;

export async function benchLists() {
  const rows: { size: string; db: string; query: string; mode: string; verdict: number; bare: number }[] = [];
  const pgUrl = process.env.BENCH_DATABASE_URL;
  const stores: Record<string, Record<string, string>> = {
    SQLite: {},
    ...(pgUrl ? { PostgreSQL: { BENCH_DATABASE_URL: pgUrl } } : {}),
  };
  for (const size of SIZES) {
    // One bare server per query, started on the first answer and kept for the size: each Verdict
    // measurement is followed by its bare one, seconds apart, as this VM's speed drifts by minutes.
    const bares = new Map<string, { server: Started; dir: string }>();
    for (const [db, dbEnv] of Object.entries(stores))
      for (const [mode, env] of Object.entries(MODES)) {
        const t0 = performance.now();
        const server = await start("verdict", [], {
          BENCH_SEED_CASES: String(size.cases),
          BENCH_SEED_RESULTS: String(size.results),
          ...dbEnv,
          ...env,
        });
        const seeded = ((performance.now() - t0) / 1000).toFixed(0);
        for (const [name, url] of Object.entries(QUERIES)) {
          const sample = await fetch(`http://127.0.0.1:${server.port}${url}`, {
            headers: { token: server.token },
          });
          if (!sample.ok) throw new Error(`${url}: ${sample.status} ${await sample.text()}`);
          let bare = bares.get(name);
          if (bare === undefined) {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-list-"));
            fs.writeFileSync(path.join(dir, "body.json"), Buffer.from(await sample.arrayBuffer()));
            bare = { server: await start("bare", [path.join(dir, "body.json")]), dir };
            bares.set(name, bare);
          }
          const verdict = await rps(server.port, url, server.token);
          rows.push({
            size: `${size.cases} cases / ${size.results} results (seeded in ${seeded} s)`,
            db,
            query: name,
            mode,
            verdict,
            bare: await rps(bare.server.port, url, ""),
          });
        }
        await stop(server);
      }
    for (const { server, dir } of bares.values()) {
      await stop(server);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\nList endpoints, limit 100, 10 connections, ${SECONDS} s each, ${os.cpus().length} cores`);
  for (const r of rows)
    console.log(
      `${r.size.padEnd(48)} ${r.db.padEnd(10)} ${r.query.padEnd(24)} ${r.mode.padEnd(9)} ${r.verdict.toFixed(0).padStart(7)} req/s  bare ${r.bare.toFixed(0).padStart(6)}  ratio ${(r.verdict / r.bare).toFixed(2)}`,
    );
  const growth: Record<string, number> = {};
  for (const db of Object.keys(stores))
    for (const name of Object.keys(QUERIES))
      for (const mode of Object.keys(MODES)) {
        const [small, large] = rows.filter((r) => r.db === db && r.query === name && r.mode === mode);
        // Each size's cost as a multiple of its own bare route's, so the machine's drift between them cancels.
        if (small && large)
          growth[`${db}, ${name}, ${mode}`] = Number(
            (small.verdict / small.bare / (large.verdict / large.bare)).toFixed(2),
          );
      }
  console.log(
    "cost of the largest size relative to the smallest, each against its own bare route (1.00 = does not grow):",
    JSON.stringify(growth),
  );
  console.log(
    JSON.stringify({
      bench: "lists",
      rows: rows.map((r) => ({ ...r, ratio: Number((r.verdict / r.bare).toFixed(2)) })),
      growth,
    }),
  );
}
