import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Copies the write-ahead log back into the database file from a worker thread, on a connection of its
 * own, so that the server's thread never does it.
 *
 * Why: SQLite checkpoints inside the commit that crosses wal_autocheckpoint, on the thread that
 * commits. A batch of 2000 results writes ~10 MB of pages, so every few batches one request paid for
 * copying ~40 MB (a ~150 ms stall on this machine). A PASSIVE checkpoint blocks neither writers nor
 * readers, so the worker can run it while the server writes; the log restarts from its beginning once
 * it has all been copied. The server's own auto-checkpoint stays on as a safety net, should the worker
 * ever fall behind or stop.
 */
export interface Checkpointer {
  stop(): Promise<void>;
}

/** The worker, as CommonJS source: it needs no build step and no loader (tests run TypeScript). */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (err) {
    parentPort.postMessage(String(err && err.message));
  }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(
  file: string,
  opts: { intervalMs?: number; onError?: (message: string) => void } = {},
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { file, driver, intervalMs: opts.intervalMs ?? 100 },
  });
  worker.on("message", (m: string) => opts.onError?.(m));
  worker.on("error", (err) => opts.onError?.(err.message));
  // Never what keeps the process alive (after the listeners: adding one refs the worker again).
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    async stop() {
      worker.postMessage("stop");
      const timeout = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
