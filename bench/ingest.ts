// Results per second through POST /v2/{code}/run/{id}/results in batches of 2000 realistic results, against
// the same rows written by a bare loop (better-sqlite3 prepared inserts; pg multi-row inserts) into the same
// schema, in this run, on this machine: every row Verdict stores for a result (on a first run its new case
// too, and its run entry), and, for comparison with earlier figures, its result row alone. A first run,
// a rerun, and a rerun from SHARDS clients at once (the shards of one CI build). BENCH_ROUNDS
// rounds (default 3) of the bare loops then Verdict; the medians are printed, each round's ratio beside
// them. Never pass/fail.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrateToLatest, openStore, type Store } from "../src/db/store.js";
import { blankCaseRow } from "../src/features/cases/cases.service.js";
import { enumId } from "../src/features/system-fields/system-fields.catalog.js";
import { start, stop } from "./harness.js";

const RESULTS = Number(process.env.BENCH_RESULTS ?? 20_000);
const BATCH = 2000;

/** A result as playwright-qase-reporter sends it: suite path, signature, three steps, fields; 1 in 10 fails. */
export function result(run: string, i: number, spec = "checkout") {
  const failed = i % 10 === 0;
  const t0 = 1_763_800_000 + i / 100;
  return {
    id: `${run}-${i}`,
    title: `${spec} keeps the basket when step ${i % 50} is retried (${i})`,
    signature: `e2e/shop/${spec}.spec.ts::${spec}::basket::test_${i}`,
    execution: {
      status: failed ? "failed" : "passed",
      start_time: t0,
      end_time: t0 + 0.35,
      duration: 350,
      thread: `worker-${i % 4}`,
      ...(failed
        ? {
            stacktrace: `Error: expect(received).toBe(expected)\n\nExpected: 3\nReceived: 2\n${"    at Object.<anonymous> (e2e/shop/checkout.spec.ts:41:23)\n".repeat(12)}`,
          }
        : {}),
    },
    fields: { severity: "normal", layer: "e2e", description: "The basket survives a retried payment step." },
    relations: { suite: { data: [{ title: "e2e" }, { title: "shop" }, { title: `${spec} ${i % 20}` }] } },
    steps: ["open the shop", "add two items", "pay"].map((action, s) => ({
      data: { action },
      execution: { status: failed && s === 2 ? "failed" : "passed", duration: 100 },
    })),
    params: {},
    attachments: [],
  };
}

/**
 * POSTs bytes over one kept-alive connection. The bodies are encoded before the clock starts, as they are
 * serialised: fetch measured the 1.6 MB body's UTF-8 length, encoded it and copied it again on every
 * request (~15 ms a batch, against a server batch of ~150 ms), and on this 2-core machine that client
 * work is time the server waits for its next batch. A reporter does it on its own machine.
 */
function poster(port: number, token: string, connections = 1) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const post = (path: string, body: Buffer) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          path,
          method: "POST",
          agent,
          headers: { token, "content-type": "application/json", "content-length": body.length },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

const jsonBytes = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Shards of one CI build reporting into one project at once, each over its own connection. */
const SHARDS = 4;

async function verdictRate(env: Record<string, string>) {
  const server = await start("verdict", [], env);
  const { post, close } = poster(server.port, server.token, SHARDS);
  const newRun = async (title: string) => {
    const res = await post("/v1/run/BENCH", jsonBytes({ title, is_autotest: true }));
    return (JSON.parse(res.text) as { result: { id: number } }).result.id;
  };
  const passes: number[] = [];
  // A server in use has compiled its hot paths: warm it up with two batches of another spec (their
  // cases and suites are not those of the measured passes), as project-get and lists warm up too.
  const warmRun = await newRun("warm-up");
  for (let b = 0; b < 2; b++) {
    const body = jsonBytes({
      results: Array.from({ length: BATCH }, (_, k) => result("warm", b * BATCH + k, "warmup")),
    });
    const res = await post(`/v2/BENCH/run/${warmRun}/results`, body);
    if (res.status !== 202) throw new Error(`warm-up answered ${res.status}: ${res.text}`);
  }
  // Pass 1 creates every case and suite; pass 2 (a rerun) matches them; pass 3 reruns them again from
  // SHARDS clients at once, each taking the next batch: all three are real CI traffic.
  for (const pass of [1, 2, 3]) {
    const runId = await newRun(`bench ${pass}`);
    const bodies: Buffer[] = [];
    for (let b = 0; b < RESULTS / BATCH; b++)
      bodies.push(
        jsonBytes({ results: Array.from({ length: BATCH }, (_, k) => result(`p${pass}`, b * BATCH + k)) }),
      );
    let next = 0;
    const client = async () => {
      for (let body = bodies[next++]; body; body = bodies[next++]) {
        const res = await post(`/v2/BENCH/run/${runId}/results`, body);
        if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${res.text}`);
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: pass === 3 ? SHARDS : 1 }, client));
    passes.push(RESULTS / ((performance.now() - t0) / 1000));
  }
  close();
  await stop(server);
  return { create: passes[0] ?? 0, rerun: passes[1] ?? 0, shards: passes[2] ?? 0 };
}

/** The same rows a batch stores in `results`, as plain column values. */
function rows(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const r = result("bare", i);
    return {
      hash: `${i}`.padStart(40, "0"),
      project_id: 1,
      run_id: 1,
      entry_key: `c:${i}`,
      case_id: i + 1,
      idem_key: r.id,
      status: r.execution.status,
      title: r.title,
      signature: r.signature,
      stacktrace: r.execution.stacktrace ?? null,
      start_time: Math.round(r.execution.start_time * 1000),
      end_time: Math.round(r.execution.end_time * 1000),
      duration_ms: 350,
      thread: r.execution.thread,
      steps: JSON.stringify(r.steps),
      fields: JSON.stringify(r.fields),
      suite_path: JSON.stringify(r.relations.suite.data.map((s) => s.title)),
      created_at: 1,
      updated_at: 1,
    };
  });
}

/** The real schema, migrated, with the one project the bare rows belong to. */
async function schemaWithProject(store: Store) {
  await migrateToLatest(store);
  await store.db
    .insertInto("projects")
    .values({
      code: "B",
      title: "B",
      description: null,
      access: "all",
      settings: "{}",
      created_by: null,
      created_at: 1,
      updated_at: 1,
      deleted_at: null,
    })
    .execute();
}

/** A better-sqlite3 connection to a fresh copy of the schema, set up as Verdict's (WAL, NORMAL sync). */
async function bareSqlite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-bare-"));
  const store = openStore({ dataDir: dir });
  await schemaWithProject(store);
  await store.close();
  const Database = (await import("better-sqlite3")).default;
  const db = new Database(path.join(dir, "verdict.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  return { dir, db };
}

async function bareSqliteRate(): Promise<number> {
  const { dir, db } = await bareSqlite();
  const all = rows(RESULTS);
  const cols = Object.keys(all[0] as object);
  const insert = db.prepare(
    `insert into results (${cols.join(",")}) values (${cols.map((c) => `@${c}`).join(",")})`,
  );
  const batch = db.transaction((chunk: typeof all) => {
    for (const r of chunk) insert.run(r);
  });
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += BATCH) batch(all.slice(i, i + BATCH));
  const rate = RESULTS / ((performance.now() - t0) / 1000);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return rate;
}

/** The case row the matcher creates for bare row i (automated, in one of 20 suites, severity and layer set). */
function caseRow(i: number) {
  const r = result("bare", i);
  const row = blankCaseRow(1, i + 1, (i % 20) + 1, Math.floor(i / 20) + 1, null);
  row.title = r.title;
  row.signature = r.signature;
  row.description = r.fields.description;
  row.automation = enumId("automation", "automated") ?? 0;
  row.severity = enumId("severity", r.fields.severity) ?? 0;
  row.layer = enumId("layer", r.fields.layer) ?? 0;
  return row;
}

/** The run entry each result gets (every test is new to the run): its status, attempts and last result. */
function entryRows(results: ReturnType<typeof rows>) {
  return results.map((r) => ({
    project_id: 1,
    run_id: 1,
    entry_key: r.entry_key,
    case_id: r.case_id,
    title: r.title,
    status: r.status,
    last_result_hash: r.hash,
    attempts: 1,
    failed_attempts: r.status === "failed" ? 1 : 0,
    updated_at: 1,
  }));
}

/**
 * The same rows Verdict stores, written by a bare loop: every row a batch stores per result (on a first run
 * its case too, with the case indexes and the live-case counter; its result; its run entry, with the run's
 * status counts), in the same transactions of 2000. No implementation on this schema can beat it.
 */
async function bareSqliteAllRowsRate(withCases: boolean): Promise<number> {
  const { dir, db } = await bareSqlite();
  // As Verdict's store: the counter triggers' statement journals in memory.
  db.pragma("temp_store = MEMORY");
  const results = rows(RESULTS);
  const cases = Array.from({ length: RESULTS }, (_, i) => caseRow(i));
  const entries = entryRows(results);
  const insertOf = (table: string, row: object, n = 1) => {
    const cols = Object.keys(row);
    const tuple = `(${cols.map(() => "?").join(",")})`;
    return {
      cols,
      stmt: db.prepare(`insert into ${table} (${cols.join(",")}) values ${Array(n).fill(tuple).join(",")}`),
    };
  };
  // Cases 50 rows a statement, as the app writes them (the counter trigger makes one-row statements dear).
  const caseInsert = insertOf("cases", cases[0] as object, 50);
  const resultInsert = insertOf("results", results[0] as object);
  const entryInsert = insertOf("run_entries", entries[0] as object);
  const valuesOf = (cols: string[], row: object) => cols.map((c) => (row as Record<string, unknown>)[c]);
  const batch = db.transaction((from: number) => {
    if (withCases)
      for (let i = from; i < from + BATCH; i += 50)
        caseInsert.stmt.run(cases.slice(i, i + 50).flatMap((c) => valuesOf(caseInsert.cols, c)));
    for (let i = from; i < from + BATCH; i++) {
      resultInsert.stmt.run(valuesOf(resultInsert.cols, results[i] as object));
      entryInsert.stmt.run(valuesOf(entryInsert.cols, entries[i] as object));
    }
  });
  const t0 = performance.now();
  for (let i = 0; i < RESULTS; i += BATCH) batch(i);
  const rate = RESULTS / ((performance.now() - t0) / 1000);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return rate;
}

/** Which rows a bare loop writes per result: the result alone, or every row of a first run or a rerun. */
type Stored = "results" | "first" | "rerun";

async function barePgRate(url: string, stored: Stored): Promise<number> {
  const schema = `bench_bare_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop schema if exists ${schema} cascade; create schema ${schema}`);
  const store = openStore({ dataDir: "", databaseUrl: url, schema });
  await schemaWithProject(store);
  await store.close();
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await c.connect();
  const all = rows(RESULTS);
  const cases = stored === "first" ? Array.from({ length: RESULTS }, (_, i) => caseRow(i)) : [];
  const entries = stored === "results" ? [] : entryRows(all);
  /** Rows i..i+BATCH of a table, 200 to a statement. */
  const insert = async (table: string, list: object[], i: number) => {
    const cols = Object.keys(list[0] ?? {});
    for (let j = i; j < Math.min(i + BATCH, list.length); j += 200) {
      const values: unknown[] = [];
      const tuples = list.slice(j, j + 200).map((r) => {
        const start = values.length;
        values.push(...cols.map((k) => (r as Record<string, unknown>)[k]));
        return `(${cols.map((_, n) => `$${start + n + 1}`).join(",")})`;
      });
      await c.query(`insert into ${table} (${cols.join(",")}) values ${tuples.join(",")}`, values);
    }
  };
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += BATCH) {
    await c.query("begin");
    await insert("cases", cases, i);
    await insert("results", all, i);
    await insert("run_entries", entries, i);
    await c.query("commit");
  }
  const rate = RESULTS / ((performance.now() - t0) / 1000);
  await c.end();
  await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.end();
  return rate;
}

/** Rounds of (bare loops, Verdict) measurements; each ratio pairs measurements taken minutes apart at most. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** One round: the bare loops (result rows only; every row of a first run; of a rerun) and Verdict's two passes. */
interface Round {
  bare: number;
  bareFirst: number;
  bareRerun: number;
  create: number;
  rerun: number;
  shards: number;
}

/**
 * Medians over the rounds. Ratios are the median of each round's own ratio: this VM's speed drifts by a
 * third from one minute to the next, and a bare loop measured once at the start made the ratio swing.
 */
function ratioOf(rounds: Round[], of: "create" | "rerun" | "shards", to: "bare" | "bareFirst" | "bareRerun") {
  const each = rounds.map((r) => r[of] / r[to]);
  return { ratio: median(each), spread: each.map((x) => x.toFixed(2)).join(" / ") };
}

async function sqliteRound(): Promise<Round> {
  return {
    bare: await bareSqliteRate(),
    bareFirst: await bareSqliteAllRowsRate(true),
    bareRerun: await bareSqliteAllRowsRate(false),
    ...(await verdictRate({})),
  };
}

async function pgRound(url: string): Promise<Round> {
  return {
    bare: await barePgRate(url, "results"),
    bareFirst: await barePgRate(url, "first"),
    bareRerun: await barePgRate(url, "rerun"),
    ...(await verdictRate({ BENCH_DATABASE_URL: url })),
  };
}

export async function benchIngest() {
  const pgUrl = process.env.BENCH_DATABASE_URL;
  const sqliteRounds: Round[] = [];
  const pgRounds: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    sqliteRounds.push(await sqliteRound());
    if (pgUrl) pgRounds.push(await pgRound(pgUrl));
  }

  const f = (n: number) => n.toFixed(0).padStart(9);
  const cell = (x: { ratio: number; spread: string }) => `${x.ratio.toFixed(2)} (${x.spread})`.padEnd(24);
  console.log(
    `\nPOST /v2/{code}/run/{id}/results, ${RESULTS} results in batches of ${BATCH}, ${os.cpus().length} cores, median of ${ROUNDS} rounds`,
  );
  const figures: Record<string, number> = {};
  const report = (name: string, key: string, rounds: Round[]) => {
    const m = (k: keyof Round) => median(rounds.map((r) => r[k]));
    console.log(
      `\n${name.padEnd(44)} ${"results/s".padStart(9)}  ratio: to the same rows    to result rows only`,
    );
    console.log(`${"  bare loop, result rows only".padEnd(44)} ${f(m("bare"))}`);
    console.log(`${"  bare loop, every row a first run stores".padEnd(44)} ${f(m("bareFirst"))}`);
    console.log(`${"  bare loop, every row a rerun stores".padEnd(44)} ${f(m("bareRerun"))}`);
    for (const [of, to, label] of [
      ["create", "bareFirst", "  Verdict, first run (creates the cases)"],
      ["rerun", "bareRerun", "  Verdict, rerun (matches them)"],
      ["shards", "bareRerun", `  Verdict, rerun from ${SHARDS} shards at once`],
    ] as const) {
      const same = ratioOf(rounds, of, to);
      const only = ratioOf(rounds, of, "bare");
      console.log(`${label.padEnd(44)} ${f(m(of))}         ${cell(same)}  ${cell(only)}`);
      figures[`${key}_${of}_ratio`] = Number(same.ratio.toFixed(2));
      figures[`${key}_${of}_ratio_result_rows`] = Number(only.ratio.toFixed(2));
    }
  };
  report("SQLite (better-sqlite3)", "sqlite", sqliteRounds);
  if (pgUrl) report("PostgreSQL (pg, multi-row inserts)", "pg", pgRounds);
  else console.log("PostgreSQL: skipped (set BENCH_DATABASE_URL)");
  console.log(JSON.stringify({ bench: "ingest", results: RESULTS, rounds: ROUNDS, ...figures }));
}
