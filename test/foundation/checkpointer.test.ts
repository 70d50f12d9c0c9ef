import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openStore } from "../../src/db/store.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Writes ~2 MB in one transaction: far below wal_autocheckpoint (10,000 pages), so the server's own
 * connection never checkpoints it and the database file only grows if someone else copies the log. */
async function writeAndWait(backgroundCheckpoints: boolean) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-ckpt-"));
  dirs.push(dataDir);
  const store = openStore({ dataDir, backgroundCheckpoints });
  await migrateToLatest(store);
  const file = path.join(dataDir, "verdict.db");
  await sql`create table filler (id integer primary key, v text not null)`.execute(store.db);
  const before = fs.statSync(file).size;
  await store.db.transaction().execute(async (tx) => {
    for (let i = 0; i < 500; i++) await sql`insert into filler (v) values (${"x".repeat(4000)})`.execute(tx);
  });
  let after = before;
  for (let i = 0; i < 40 && after - before < 1_000_000; i++) {
    await new Promise((r) => setTimeout(r, 50));
    after = fs.statSync(file).size;
  }
  const rows = await sql<{ n: number }>`select count(*) as n from filler`.execute(store.db);
  await store.close();
  return { grown: after - before, rows: rows.rows[0]?.n };
}

describe("background checkpoints (SQLite file, as `verdict serve` opens it)", () => {
  it("copies committed pages into the database file from the worker, and stops with the store", async () => {
    const on = await writeAndWait(true);
    expect(on.rows).toBe(500);
    expect(on.grown).toBeGreaterThan(1_000_000);
  });

  it("leaves them in the log without it (the control: the main connection did not checkpoint)", async () => {
    const off = await writeAndWait(false);
    expect(off.rows).toBe(500);
    expect(off.grown).toBeLessThan(1_000_000);
  });
});
