// Memory under sustained load: a real `verdict serve` (SQLite, temp data dir, Node flags as `npm start`)
// takes SOAK_SECONDS (default 90) of mixed traffic from SOAK_CLIENTS (default 4) clients: v2 result
// batches, v1 list reads at many offsets and filters (so the response cache sees many distinct keys),
// case creates and updates. Its RSS (/proc/<pid>/status) and V8 heap (bench/soak-probe.ts, over the
// child's IPC channel) are sampled every 5 s; printed are start, middle and end, and end/middle (about
// 1.00 when memory has flattened). Never pass/fail. SOAK_SEMI_SPACE (default 64, "0" for V8's own) and
// SOAK_NODE_FLAGS (e.g. --heapsnapshot-signal=SIGUSR2) change the server's Node flags.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { cliPrincipal } from "../src/cli/shared.js";
import { migrateToLatest, openStore } from "../src/db/store.js";
import { createProject } from "../src/features/projects/projects.service.js";
import { allocateIds } from "../src/features/projects/sequences.repository.js";
import { createToken } from "../src/features/tokens/tokens.service.js";
import { createUser } from "../src/features/users/users.service.js";
import { result } from "./ingest.js";
import { seedLargeProject } from "./seed.js";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 90);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 4);
const SEMI_SPACE = process.env.SOAK_SEMI_SPACE ?? "64";
const SAMPLE_MS = 5000;
const CASES = 5000;
const BATCH = 200;

/** A store seeded as bench/lists.ts seeds it, with a user and token, then closed for the server. */
async function prepareDataDir(dataDir: string) {
  const store = openStore({ dataDir });
  await migrateToLatest(store);
  const { buildApp } = await import("../src/app.js");
  const { loadConfig } = await import("../src/config.js");
  const { app, ctx } = await buildApp({ config: loadConfig({ dataDir }, {}), store, logger: false });
  const user = await createUser(ctx, null, { email: "soak@example.test", name: "Soak", role: "member" });
  const project = await createProject(ctx, cliPrincipal({ ...user, role: "admin" }), {
    title: "Soak",
    code: "BENCH",
  });
  const { secret } = await createToken(ctx, cliPrincipal(user), { title: "soak", expiresInDays: null });
  const { runs } = await seedLargeProject(store, project.id, CASES, 50_000);
  // The seed writes rows straight through SQL: move the id sequences past them, as the API would have.
  for (const [entity, n] of [
    ["suite", 10],
    ["case", CASES],
    ["run", runs],
  ] as const)
    await allocateIds(store.db, project.id, entity, n);
  await app.close();
  await store.close();
  return secret;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function serve(dataDir: string, port: number, log: number): ChildProcess {
  const flags = [
    ...(SEMI_SPACE === "0" ? [] : [`--max-semi-space-size=${SEMI_SPACE}`]),
    ...(process.env.SOAK_NODE_FLAGS ?? "").split(" ").filter(Boolean),
  ];
  return spawn(
    process.execPath,
    [
      ...flags,
      "--import",
      "tsx",
      "--import",
      pathToFileURL(path.resolve("bench/soak-probe.ts")).href,
      path.join("src", "main.ts"),
      "serve",
      "--data-dir",
      dataDir,
      "--port",
      String(port),
    ],
    {
      // Logs at the default level (info), as deployed, into a file (SOAK_LOG, or a temp file).
      env: { ...process.env, VERDICT_RATE_LIMIT: "100000000", DATABASE_URL: "", REDIS_URL: "" },
      stdio: ["ignore", log, "inherit", "ipc"],
    },
  );
}

interface Sample {
  t: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

function sample(child: ChildProcess, t: number): Promise<Sample> {
  return new Promise((resolve) => {
    child.once("message", (m) => {
      const u = m as NodeJS.MemoryUsage;
      resolve({ t, ...u, rss: rssOf(child.pid as number) });
    });
    child.send("memory");
  });
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;
const int = (n: number) => Math.floor(Math.random() * n);
const SEVERITIES = ["critical", "major", "normal", "minor", "trivial", "blocker"];
const STATUSES = ["passed", "failed", "skipped", "blocked", "invalid"];

/** One client's loop: a weighted mix of reads and writes until `until`. */
async function client(base: string, token: string, until: number, counts: Record<string, number>) {
  const headers = { token, "content-type": "application/json" };
  const call = async (name: string, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
    counts[name] = (counts[name] ?? 0) + 1;
    return text;
  };
  const newRun = async () =>
    (
      JSON.parse(await call("run create", "POST", "/v1/run/BENCH", { title: "soak", is_autotest: true })) as {
        result: { id: number };
      }
    ).result.id;
  let run = await newRun();
  let batches = 0;
  const ops: [number, () => Promise<unknown>][] = [
    [
      2,
      async () => {
        // A new run every 10 batches; signatures repeat across runs, as CI reruns do.
        if (++batches % 10 === 0) run = await newRun();
        const from = int(4000);
        const results = Array.from({ length: BATCH }, (_, k) => result(`s${run}`, from + k, `soak${k % 5}`));
        return call("v2 batch", "POST", `/v2/BENCH/run/${run}/results`, { results });
      },
    ],
    [
      4,
      () =>
        call(
          "case list",
          "GET",
          `/v1/case/BENCH?limit=${pick([10, 20, 50, 100])}&offset=${int(500) * 10}${Math.random() < 0.5 ? `&suite_id=${1 + int(10)}` : ""}${Math.random() < 0.3 ? `&severity=${pick(SEVERITIES)}` : ""}`,
        ),
    ],
    [
      3,
      () =>
        call(
          "result list",
          "GET",
          `/v1/result/BENCH?limit=${pick([10, 50, 100])}&offset=${int(100) * 10}&run=${1 + int(run)}${Math.random() < 0.5 ? `&status=${pick(STATUSES)}` : ""}`,
        ),
    ],
    [1, () => call("run list", "GET", `/v1/run/BENCH?limit=${pick([10, 50])}&offset=${int(run)}`)],
    [1, () => call("project get", "GET", "/v1/project/BENCH")],
    [
      1,
      () =>
        call("case create", "POST", "/v1/case/BENCH", {
          title: `soak case ${Date.now()} ${int(1e9)}`,
          suite_id: 1 + int(10),
          severity: 1 + int(6),
        }),
    ],
    [
      1,
      () =>
        call("case update", "PATCH", `/v1/case/BENCH/${1 + int(CASES)}`, {
          title: `updated ${int(1e9)}`,
          description: "x".repeat(int(2000)),
        }),
    ],
  ];
  const total = ops.reduce((s, [w]) => s + w, 0);
  while (Date.now() < until) {
    let r = Math.random() * total;
    for (const [w, op] of ops) {
      r -= w;
      if (r < 0) {
        await op();
        break;
      }
    }
  }
}

const mb = (n: number) => (n / 1024 / 1024).toFixed(0).padStart(5);

export async function benchSoak() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-soak-"));
  const token = await prepareDataDir(dataDir);
  const port = await freePort();
  const logFile = process.env.SOAK_LOG ?? path.join(os.tmpdir(), `verdict-soak-${process.pid}.log`);
  const child = serve(dataDir, port, fs.openSync(logFile, "w"));
  const exited = new Promise((r) => child.once("exit", r));
  try {
    return await load(child, port, token);
  } catch (e) {
    console.error(`soak failed; the server's log is in ${logFile}`);
    throw e;
  } finally {
    child.kill("SIGTERM");
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function load(child: ChildProcess, port: number, token: string) {
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 1200) throw new Error("soak server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const samples: Sample[] = [await sample(child, 0)];
  const t0 = Date.now();
  const until = t0 + SECONDS * 1000;
  const counts: Record<string, number> = {};
  const timer = setInterval(
    () => void sample(child, Math.round((Date.now() - t0) / 1000)).then((s) => samples.push(s)),
    SAMPLE_MS,
  );
  try {
    await Promise.all(Array.from({ length: CLIENTS }, () => client(base, token, until, counts)));
  } finally {
    clearInterval(timer);
  }
  samples.push(await sample(child, Math.round((Date.now() - t0) / 1000)));

  const start = samples[0] as Sample;
  const end = samples[samples.length - 1] as Sample;
  const middle = samples.reduce((best, s) =>
    Math.abs(s.t - end.t / 2) < Math.abs(best.t - end.t / 2) ? s : best,
  );
  const flags = `${SEMI_SPACE === "0" ? "" : `--max-semi-space-size=${SEMI_SPACE} `}${process.env.SOAK_NODE_FLAGS ?? ""}`;
  console.log(
    `\nSoak: ${SECONDS} s of mixed load from ${CLIENTS} clients on SQLite, node ${flags.trim() || "(defaults)"}${process.env.MALLOC_ARENA_MAX ? `, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX}` : ""}, ${os.cpus().length} cores`,
  );
  console.log(`requests: ${JSON.stringify(counts)}`);
  console.log("    t  rss MB  heapUsed  heapTotal  external  arrayBuffers");
  for (const s of samples)
    console.log(
      `${String(s.t).padStart(5)}  ${mb(s.rss)}     ${mb(s.heapUsed)}      ${mb(s.heapTotal)}     ${mb(s.external)}         ${mb(s.arrayBuffers)}`,
    );
  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  console.log(
    `start / middle / end RSS ${mb(start.rss)} /${mb(middle.rss)} /${mb(end.rss)} MB, heap used ${mb(start.heapUsed)} /${mb(middle.heapUsed)} /${mb(end.heapUsed)} MB; end/middle RSS ${ratio(end.rss, middle.rss)}, heap ${ratio(end.heapUsed, middle.heapUsed)}`,
  );
  const pick3 = (s: Sample) => ({
    t: s.t,
    rss_mb: Math.round(s.rss / 2 ** 20),
    heap_mb: Math.round(s.heapUsed / 2 ** 20),
  });
  console.log(
    JSON.stringify({
      bench: "soak",
      seconds: SECONDS,
      clients: CLIENTS,
      flags: flags.trim(),
      requests: counts,
      start: pick3(start),
      middle: pick3(middle),
      end: pick3(end),
      end_over_middle_rss: ratio(end.rss, middle.rss),
      end_over_middle_heap: ratio(end.heapUsed, middle.heapUsed),
    }),
  );
}
