import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, openStore } from "../src/db/store.js";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects, rowCount, type TestDialect } from "./helpers/stores.js";

// Another process (a CLI command during ingestion) holding SQLite's write lock made API writes fail at
// once with "database is locked", a 500: a deferred transaction that read first could not wait for the
// lock. A write now waits for it up to the busy timeout and, past it, answers 503 with Retry-After.

const sqliteOn = dialects.some((d) => d.name === "sqlite");

/** A SQLite store in a file of its own, as `verdict serve` opens it, with the given busy timeout. */
function fileDialect(dir: string, busyMs: number): TestDialect & { file: string } {
  const file = path.join(dir, `busy-${busyMs}.db`);
  return {
    name: "sqlite",
    file,
    async open() {
      const store = openStore({ dataDir: dir, sqliteFile: file, sqliteBusyTimeoutMs: busyMs });
      await migrateToLatest(store);
      return { ...store, dispose: () => store.close() };
    },
  };
}

/**
 * Another connection, in a thread of its own as a CLI process would be, that takes the write lock
 * (BEGIN IMMEDIATE), writes, holds it for `ms` and commits. Resolves `locked` once it holds it.
 */
function holdWriteLock(file: string, ms: number) {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const Database = require("better-sqlite3");
     const db = new Database(workerData.file);
     db.exec("create table if not exists lock_probe (n integer)");
     db.exec("begin immediate");
     db.prepare("insert into lock_probe values (1)").run();
     parentPort.postMessage("locked");
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     db.exec("commit");
     db.close();
     parentPort.postMessage("released");`,
    { eval: true, workerData: { file, ms } },
  );
  const message = (m: string) =>
    new Promise<void>((resolve) => worker.on("message", (x) => x === m && resolve()));
  return { locked: message("locked"), released: message("released") };
}

describe.skipIf(!sqliteOn)("SQLite's write lock held by another process", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-busy-"));
  const patient = fileDialect(dir, 3000);
  const hasty = fileDialect(dir, 150);
  let a: TestApp;
  let b: TestApp;
  let tokenA = "";
  let tokenB = "";
  const callA = apiCaller(
    () => a.app,
    () => tokenA,
  );
  const callB = apiCaller(
    () => b.app,
    () => tokenB,
  );

  beforeAll(async () => {
    a = await startApp(patient);
    b = await startApp(hasty);
    for (const [t, set] of [
      [a, (s: string) => (tokenA = s)],
      [b, (s: string) => (tokenB = s)],
    ] as const) {
      const owner = await t.user("owner");
      await t.project("BZ", owner);
      set(await t.token(owner));
    }
    // Warm: the token and project are read, so the writes below meet the lock in their transaction.
    expect((await callA("POST", "/v1/case/BZ", { title: "warm" })).status).toBe(200);
    expect((await callB("POST", "/v1/case/BZ", { title: "warm" })).status).toBe(200);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a write waits for a lock held shorter than the busy timeout, and succeeds", async () => {
    const before = await rowCount(a.store, "cases");
    const hold = holdWriteLock(patient.file, 400);
    await hold.locked;
    const created = await callA("POST", "/v1/case/BZ", { title: "written after the lock" });
    expect(created.status).toBe(200);
    await hold.released;
    expect(await rowCount(a.store, "cases")).toBe(before + 1);
    const run = await callA("POST", "/v1/run/BZ", { title: "run", is_autotest: true });
    const hold2 = holdWriteLock(patient.file, 400);
    await hold2.locked;
    const batch = await callA("POST", `/v2/BZ/run/${run.body.result.id}/results`, {
      results: [
        {
          id: "r1",
          title: "waits too",
          execution: { status: "passed", start_time: 1, end_time: 2, duration: 1000 },
          fields: {},
          steps: [],
          attachments: [],
          params: {},
        },
      ],
    });
    expect(batch.status).toBe(202);
    await hold2.released;
    expect(await rowCount(a.store, "results")).toBe(1);
  });

  it("past the busy timeout it answers 503 with Retry-After and stores nothing", async () => {
    const before = await rowCount(b.store, "cases");
    const hold = holdWriteLock(hasty.file, 1500);
    await hold.locked;
    const res = await b.app.inject({
      method: "POST",
      url: "/v1/case/BZ",
      payload: { title: "refused while locked" },
      headers: { token: tokenB },
    });
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(res.json()).toMatchObject({ status: false, errorMessage: expect.stringContaining("busy") });
    await hold.released;
    expect(await rowCount(b.store, "cases")).toBe(before);
    // Once the lock is free, the retry is stored.
    expect((await callB("POST", "/v1/case/BZ", { title: "refused while locked" })).status).toBe(200);
    expect(await rowCount(b.store, "cases")).toBe(before + 1);
  });
});
