import type SqliteDatabase from "better-sqlite3";

/**
 * Answers of the small reads every request makes (the caller's token, the project by code, its
 * membership and counts), kept only while the database is unchanged: any committed write empties it.
 * Values are frozen and shared between requests, so callers must not mutate them. A load reads through
 * the store's own `db`, never a transaction's: on PostgreSQL, other connections keep serving while a
 * transaction runs, and a load inside one could keep what it has not committed yet.
 */
export interface ReadCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /**
   * The kept answer, synchronously, or undefined when there is none (or the cache may be stale): lets
   * the per-request checks finish without a promise when everything they need is kept. A kept
   * `undefined` reads as none, so a caller falls back to `get`.
   */
  peek<T>(key: string): T | undefined;
  /** Answers served from the cache and loaded, since the start. */
  readonly stats: { hits: number; misses: number };
}

/** Nothing kept: a PostgreSQL store that does not listen for changes (the CLI's). */
export const noReadCache: ReadCache = {
  get: (_key, load) => load(),
  peek: () => undefined,
  stats: { hits: 0, misses: 0 },
};

export interface Bounds {
  /** Most entries kept; past it the cache starts over. */
  maxEntries: number;
  /** Most total weight kept (a response cache weighs its strings by length); past it the cache starts over. */
  maxWeight?: number;
  weigh?: (value: unknown) => number;
}

const LOOKUPS: Bounds = { maxEntries: 10_000 };
/** How often another process's commits (the CLI on the same file) are looked for, in ms. */
const FOREIGN_CHECK_MS = 1;

/**
 * SQLite: every write of this process goes through the one connection, so `total_changes()` (a counter
 * of rows written on it, rollbacks included) moves with each of them and is read on every lookup; it
 * costs a fraction of a microsecond. Another process's commits (a `verdict tokens revoke` from the
 * shell) move `PRAGMA data_version`, which costs as much as a query, so it is read at most once a
 * millisecond: such a write takes effect within that time, faster than that process can report it.
 */
export function sqliteGeneration(sqlite: SqliteDatabase.Database): () => number | null {
  const totalChanges = sqlite.prepare("select total_changes()").pluck();
  const dataVersion = sqlite.prepare("pragma data_version").pluck();
  let changes = -1;
  let version = -1;
  let checkedAt = 0;
  let generation = 0;
  return () => {
    // None inside a transaction: reads there may see writes that are not committed yet.
    if (sqlite.inTransaction) return null;
    const c = totalChanges.get() as number;
    const at = performance.now();
    let v = version;
    if (at - checkedAt >= FOREIGN_CHECK_MS) {
      v = dataVersion.get() as number;
      checkedAt = at;
    }
    if (c !== changes || v !== version) {
      generation++;
      changes = c;
      version = v;
    }
    return generation;
  };
}

/**
 * Answers kept while `generation()` returns the same number; a new number empties the cache, null
 * (nobody can tell whether the data changed) keeps and serves nothing. SQLite's comes from the
 * connection's change counters (sqliteGeneration), PostgreSQL's from db/pg-changes.ts.
 */
export function generationCache(generation: () => number | null, bounds: Bounds = LOOKUPS): ReadCache {
  const entries = new Map<string, unknown>();
  let weight = 0;
  let kept = -1;

  function fresh(): number | null {
    const g = generation();
    // While null, what is kept stays, unserved: the number moves before anything is served again.
    if (g !== null && g !== kept) {
      entries.clear();
      weight = 0;
      kept = g;
    }
    return g;
  }

  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    peek<T>(key: string): T | undefined {
      if (fresh() === null) return undefined;
      const value = entries.get(key) as T | undefined;
      if (value !== undefined) stats.hits++;
      return value;
    },
    async get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const at = fresh();
      if (at === null) {
        stats.misses++;
        return load();
      }
      if (entries.has(key)) {
        stats.hits++;
        return entries.get(key) as T;
      }
      stats.misses++;
      const value = await load();
      // Keep it only if nothing was written while it loaded; it was read after `at`, so it may be newer.
      if (fresh() === at) {
        const w = bounds.weigh?.(value) ?? 0;
        if (bounds.maxWeight !== undefined && w > bounds.maxWeight) return value;
        if (
          entries.size >= bounds.maxEntries ||
          weight + w > (bounds.maxWeight ?? Number.POSITIVE_INFINITY)
        ) {
          entries.clear();
          weight = 0;
        }
        weight += w;
        // Frozen against callers changing what others are served; bytes cannot be frozen, only sent.
        const keep = typeof value === "object" && value !== null && !ArrayBuffer.isView(value);
        entries.set(key, keep ? Object.freeze(value) : value);
      }
      return value;
    },
  };
}
