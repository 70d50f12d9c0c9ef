import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import type { Database } from "../../src/db/database.js";
import { migrateToLatest, openStore, type Store } from "../../src/db/store.js";

export interface TestStore extends Store {
  /** Drops what the store created (the PostgreSQL schema); closes the connections. */
  dispose(): Promise<void>;
}

export interface TestDialect {
  name: "sqlite" | "postgres";
  open(opts?: { migrate?: boolean }): Promise<TestStore>;
}

const pgUrl = process.env.VERDICT_TEST_DATABASE_URL;
const only = process.env.VERDICT_TEST_DIALECTS?.split(",").map((s) => s.trim());

const sqlite: TestDialect = {
  name: "sqlite",
  async open(opts = {}) {
    const store = openStore({ dataDir: "", sqliteFile: ":memory:" });
    if (opts.migrate !== false) await migrateToLatest(store);
    return { ...store, dispose: () => store.close() };
  },
};

/** Each PostgreSQL store lives in a schema of its own, so test files run in parallel without meeting. */
const postgres: TestDialect = {
  name: "postgres",
  async open(opts = {}) {
    const schema = `t_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    // As `verdict serve` opens it: reads and GET answers kept until a change is announced.
    const store = openStore({ dataDir: "", databaseUrl: pgUrl, schema, changeNotifications: true });
    if (opts.migrate !== false) await migrateToLatest(store);
    return {
      ...store,
      async dispose() {
        await store.close();
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`drop schema if exists ${schema} cascade`);
        await c.end();
      },
    };
  },
};

/** SQLite always; PostgreSQL when VERDICT_TEST_DATABASE_URL is set. VERDICT_TEST_DIALECTS narrows the list. */
export const dialects: TestDialect[] = [sqlite, ...(pgUrl ? [postgres] : [])].filter(
  (d) => !only || only.includes(d.name),
);

/** How many rows a table holds (deleted ones included): what a refused write must leave unchanged. */
export async function rowCount(store: Store, table: keyof Database): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A raw connection to a PostgreSQL test store's own schema: another session, to hold locks beside the app. */
export async function otherPgSession(store: Store): Promise<pg.Client> {
  const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(store.db);
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`set search_path to ${rows[0]?.s ?? "public"}`);
  return c;
}
