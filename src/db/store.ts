import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { startCheckpointer } from "./checkpointer.js";
import type { Database, Dialect } from "./database.js";
import { migrations } from "./migrations/index.js";
import { pgChangeFeed } from "./pg-changes.js";
import { nulSafePool, storableParams, storableValue } from "./pg-text.js";
import { generationCache, noReadCache, type ReadCache, sqliteGeneration } from "./read-cache.js";
import { reportingPool, surviveLostConnections } from "./unavailable.js";

// int8 (counts, epoch-millisecond columns) as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL schema the store works in, when not the default. */
  schema?: string | undefined;
  /**
   * SQLite only: a cached prepared statement on the store's one connection. Hot bulk writes loop over it
   * inside a Kysely transaction (same connection, so the same transaction) instead of building
   * multi-row statements.
   */
  prepare?: ((sql: string) => PreparedStatement) | undefined;
  /** Hot small reads kept until the database changes (SQLite only; a pass-through on PostgreSQL). */
  cache: ReadCache;
  /** Serialised GET answers kept until the database changes (SQLite only; see http/response-cache.ts). */
  responses: ReadCache;
  close(): Promise<void>;
}

/** A cached SQLite statement (Store.prepare), its string parameters made storable (pg-text.ts). */
export interface PreparedStatement {
  run(...params: unknown[]): SqliteDatabase.RunResult;
  all(...params: unknown[]): unknown[];
}

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PostgreSQL only: a schema to work in (tests use one each). */
  schema?: string | undefined;
  /** SQLite only: ":memory:" or a file path overriding dataDir/verdict.db. */
  sqliteFile?: string | undefined;
  /** SQLite only: most bytes of serialised answers kept (default 32 MiB; 0 keeps none). */
  responseCacheBytes?: number | undefined;
  /** SQLite file only: checkpoint from a worker thread (see checkpointer.ts); the server turns it on. */
  backgroundCheckpoints?: boolean | undefined;
  /**
   * PostgreSQL only: listen for changes (db/pg-changes.ts) and keep small reads and GET answers until
   * one comes; the server turns it on. Without it, a PostgreSQL store keeps nothing.
   */
  changeNotifications?: boolean | undefined;
  /**
   * SQLite only: how long a write waits for another process's write lock (a CLI command) before it
   * fails with SQLITE_BUSY, answered 503 with Retry-After (default 5000 ms).
   */
  sqliteBusyTimeoutMs?: number | undefined;
  /** PostgreSQL only: the pool's application_name, as pg_stat_activity shows it. */
  applicationName?: string | undefined;
  /** PostgreSQL only: told when an idle connection is lost (default: a process warning, once a second). */
  onConnectionLost?: ((err: Error) => void) | undefined;
}

export function openStore(opts: StoreOptions): Store {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      // A database that does not answer fails the request (503, see unavailable.ts) instead of holding it.
      connectionTimeoutMillis: 10_000,
      ...(opts.applicationName ? { application_name: opts.applicationName } : {}),
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    surviveLostConnections(pool, opts.onConnectionLost ?? warnConnectionLost());
    const feed = opts.changeNotifications ? pgChangeFeed(opts.databaseUrl, opts.schema) : null;
    const safe = reportingPool(nulSafePool(pool));
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: feed ? feed.track(safe) : safe }),
    });
    return {
      db,
      dialect: "postgres",
      schema: opts.schema,
      cache: feed ? generationCache(feed.generation) : noReadCache,
      responses: feed ? responseCache(feed.generation, opts.responseCacheBytes) : noReadCache,
      async close() {
        await feed?.close();
        await db.destroy();
      },
    };
  }
  let file = opts.sqliteFile;
  if (!file) {
    fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    file = path.join(opts.dataDir, "verdict.db");
  }
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.sqliteBusyTimeoutMs ?? 5000))}`);
  sqlite.pragma("synchronous = NORMAL");
  // Checkpoint the WAL into the database every ~40 MB of log instead of SQLite's ~4 MB: a batch of
  // 2000 results writes more than 4 MB, so every batch paid a checkpoint (copy + two fsyncs) inside its
  // commit, rewriting the same hot index pages each time. Rarer checkpoints copy each page once.
  sqlite.pragma("wal_autocheckpoint = 10000");
  // A statement that fires a trigger (the live-case counter on every case insert) or may fail halfway
  // keeps a statement journal, a temporary file by default: created, written and deleted per statement.
  // In memory, creating 2000 cases took ~25 ms instead of ~110 ms. Sorts that spill stay in memory too;
  // our queries sort through indexes and pages of at most 100 rows.
  sqlite.pragma("temp_store = MEMORY");
  // Up to 64 MB of pages per connection instead of SQLite's 2 MB: a 100-row page of a large project
  // touches rows spread over as many table pages, and each page missing from the cache is a read()
  // from the OS cache. Uncached list pages of a 10k-case project came ~15% faster.
  sqlite.pragma("cache_size = -65536");
  const prepare = statementCache((q): PreparedStatement => {
    const stmt = sqlite.prepare(q);
    // better-sqlite3 takes values, or arrays of them, as arguments.
    const args = (params: unknown[]) =>
      params.map((p) => (Array.isArray(p) ? storableParams(p, false) : storableValue(p, false)));
    return {
      run: (...params) => stmt.run(...args(params)),
      all: (...params) => stmt.all(...args(params)),
    };
  });
  const changed = sqliteGeneration(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: forKysely(sqlite) }) });
  const checkpointer =
    opts.backgroundCheckpoints && !sqlite.memory
      ? startCheckpointer(file, {
          onError: (message) => process.emitWarning(`background checkpoint failed: ${message}`),
        })
      : null;
  return {
    db,
    dialect: "sqlite",
    prepare,
    cache: generationCache(changed),
    responses: responseCache(changed, opts.responseCacheBytes),
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/** A warning per lost connection would be ten at each restart: at most one a second. */
function warnConnectionLost(): (err: Error) => void {
  let last = 0;
  return (err) => {
    if (Date.now() - last < 1000) return;
    last = Date.now();
    process.emitWarning(`a database connection was lost (${err.message}); new ones are opened as needed`);
  };
}

function responseCache(generation: () => number | null, maxBytes = 32 * 1024 * 1024): ReadCache {
  if (maxBytes === 0) return noReadCache;
  // Answers are kept as strings or as their UTF-8 bytes (response-cache.ts); the bound is on bytes.
  const weigh = (v: unknown) =>
    Buffer.isBuffer(v) ? v.length : typeof v === "string" ? Buffer.byteLength(v) : 0;
  return generationCache(generation, { maxEntries: 10_000, maxWeight: maxBytes, weigh });
}

const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and preparing is most of
 * the cost of a small indexed query. Cache them by SQL text (queries bind values as parameters, so the
 * number of distinct texts is bounded by the code, not by the data). Two caches use this: store.prepare's
 * statements return row objects, Kysely's return arrays (raw mode), so they cannot share statements.
 */
function statementCache<S>(make: (sql: string) => S): (sql: string) => S {
  const cache = new Map<string, S>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (stmt === undefined) {
      stmt = make(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(sql, stmt);
    }
    return stmt;
  };
}

/** A statement as Kysely's SQLite driver uses it: rows come back as objects. */
interface KyselyStatement {
  reader: boolean;
  all(params: readonly unknown[]): unknown[];
  run(params: readonly unknown[]): SqliteDatabase.RunResult;
  iterate(params: readonly unknown[]): IterableIterator<unknown>;
}

/**
 * Kysely's transactions begin IMMEDIATE, taking the write lock first. A deferred one reads, then asks
 * for the lock to write: if another process (a CLI command) holds it or has written since that read,
 * SQLite cannot wait for it (the read would be stale) and fails at once with SQLITE_BUSY, the busy
 * timeout unused. Taking the lock at BEGIN waits for it, up to the busy timeout. This process has one
 * connection, whose transactions Kysely runs one at a time, so read-only ones lose nothing by it.
 *
 * better-sqlite3 builds each row object through V8's API one property at a time, which for our wide rows
 * (30 columns of a case) costs more than the query: a page of 100 cases took ~1.4 ms to convert against
 * ~0.5 ms as arrays. So reads fetch arrays and turn them into objects with a function compiled once per
 * statement from its column names (JSON-quoted; names come from our own SQL, and a repeated name keeps
 * its last value, as better-sqlite3 does).
 */
function forKysely(db: SqliteDatabase.Database) {
  return {
    close: () => db.close(),
    prepare: statementCache((sql) => kyselyStatement(db.prepare(sql === "begin" ? "begin immediate" : sql))),
  };
}

function kyselyStatement(stmt: SqliteDatabase.Statement): KyselyStatement {
  const run = (params: readonly unknown[]) => stmt.run(storableParams(params, false));
  if (!stmt.reader) return { reader: false, run, all: () => [], iterate: () => [][Symbol.iterator]() };
  const compile = () => {
    const body = stmt
      .columns()
      .map((c, i) => `${JSON.stringify(c.name)}: r[${i}]`)
      .join(", ");
    return { width: stmt.columns().length, build: new Function("r", `return { ${body} };`) };
  };
  let shape = compile();
  // A migration run by this process can change what `select *` returns: rebuild when the width moves.
  const toObject = (r: unknown[]) => {
    if (r.length !== shape.width) shape = compile();
    return shape.build(r) as unknown;
  };
  stmt.raw(true);
  return {
    reader: true,
    run,
    all: (params) => (stmt.all(storableParams(params, false)) as unknown[][]).map(toObject),
    *iterate(params) {
      for (const r of stmt.iterate(storableParams(params, false)) as IterableIterator<unknown[]>)
        yield toObject(r);
    },
  };
}

/** Throws when the database does not answer a trivial query (readiness probe). */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    // Kysely looks for its own tables in every schema; name ours, or another schema's tables hide them.
    ...(store.schema ? { migrationTableSchema: store.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
