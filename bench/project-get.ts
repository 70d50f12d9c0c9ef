// GET /v1/project/{code} (token auth, rate limit, one project lookup) against a bare Fastify route that
// returns the same bytes, on this machine, in this run. Prints figures and ratios; never pass/fail.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { type Started, start, stop } from "./harness.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

async function load(port: number, token: string, duration: number) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/v1/project/BENCH`,
    connections: CONNECTIONS,
    duration,
    headers: token ? { token } : {},
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`non-2xx: ${result.non2xx}, errors: ${result.errors}`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

type Measured = Awaited<ReturnType<typeof load>>;

/** The median round by requests per second. */
function median(xs: Measured[]): Measured {
  const sorted = [...xs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)] as Measured;
}

export async function benchProjectGet() {
  const sqlite = await start("verdict");
  const sample = await fetch(`http://127.0.0.1:${sqlite.port}/v1/project/BENCH`, {
    headers: { token: sqlite.token },
  });
  const bodyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-body-")), "body.json");
  fs.writeFileSync(bodyFile, Buffer.from(await sample.arrayBuffer()));
  const bareServer = await start("bare", [bodyFile]);
  const pg = process.env.BENCH_DATABASE_URL
    ? await start("verdict", [], { BENCH_DATABASE_URL: process.env.BENCH_DATABASE_URL })
    : null;
  const servers: [string, Started][] = [
    ["sqlite", sqlite],
    ["bare", bareServer],
    ...(pg ? ([["pg", pg]] as [string, Started][]) : []),
  ];
  for (const [, s] of servers) await load(s.port, s.token, 2); // warm-up: JIT, caches, SQLite pages
  // Rounds alternate between the servers, so a burst of load from elsewhere on the machine lands on
  // both sides of the ratio rather than on whichever happened to be measured at that moment.
  const rounds = new Map<string, Measured[]>(servers.map(([name]) => [name, []]));
  for (let i = 0; i < ROUNDS; i++)
    for (const [name, s] of servers) rounds.get(name)?.push(await load(s.port, s.token, SECONDS / ROUNDS));
  for (const [, s] of servers) await stop(s);
  const bare = median(rounds.get("bare") ?? []);
  const verdictSqlite = median(rounds.get("sqlite") ?? []);
  const verdictPg = pg ? median(rounds.get("pg") ?? []) : null;

  const ratio = (x: number) => (x / bare.rps).toFixed(2);
  const row = (name: string, m: { rps: number; p50: number; p99: number }) =>
    `${name.padEnd(44)} ${m.rps.toFixed(0).padStart(8)} ${String(m.p50).padStart(6)} ${String(m.p99).padStart(6)} ${ratio(m.rps).padStart(6)}`;
  console.log(
    `\nGET /v1/project/{code}, ${CONNECTIONS} connections, ${SECONDS} s each in ${ROUNDS} alternating rounds (median), ${os.cpus().length} cores`,
  );
  console.log(
    `${"".padEnd(44)} ${"req/s".padStart(8)} ${"p50ms".padStart(6)} ${"p99ms".padStart(6)} ${"ratio".padStart(6)}`,
  );
  console.log(row("bare Fastify route, same bytes", bare));
  console.log(row("Verdict on SQLite (token auth + rate limit)", verdictSqlite));
  if (verdictPg) console.log(row("Verdict on PostgreSQL", verdictPg));
  else console.log("Verdict on PostgreSQL: skipped (set BENCH_DATABASE_URL)");
  console.log(
    JSON.stringify({
      bench: "project-get",
      bare_rps: Math.round(bare.rps),
      sqlite_rps: Math.round(verdictSqlite.rps),
      sqlite_ratio: Number(ratio(verdictSqlite.rps)),
      ...(verdictPg ? { pg_rps: Math.round(verdictPg.rps), pg_ratio: Number(ratio(verdictPg.rps)) } : {}),
    }),
  );
  fs.rmSync(path.dirname(bodyFile), { recursive: true, force: true });
}
