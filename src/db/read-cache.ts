import type SqliteDatabase from "better-sqlite3";

/**
 * Answers of the small reads every request makes (the caller's token, the project by code, its
 * membership and counts), kept only while the database is unchanged: any committed write empties it.
 * Values are frozen and shared between requests, so callers must not mutate them.
 */
export interface ReadCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** PostgreSQL: other nodes write without telling us, so nothing is kept. */
export const noReadCache: ReadCache = { get: (_key, load) => load() };

const MAX_ENTRIES = 10_000;
/** How often another process's commits (the CLI on the same file) are looked for, in ms. */
const FOREIGN_CHECK_MS = 1;

/**
 * SQLite: every write of this process goes through the one connection, so `total_changes()` (a counter
 * of rows written on it, rollbacks included) moves with each of them and is read on every lookup; it
 * costs a fraction of a microsecond. Another process's commits (a `verdict tokens revoke` from the
 * shell) move `PRAGMA data_version`, which costs as much as a query, so it is read at most once a
 * millisecond: such a write takes effect within that time, faster than that process can report it.
 */
export function sqliteReadCache(sqlite: SqliteDatabase.Database): ReadCache {
  const totalChanges = sqlite.prepare("select total_changes()").pluck();
  const dataVersion = sqlite.prepare("pragma data_version").pluck();
  const entries = new Map<string, unknown>();
  let changes = -1;
  let version = -1;
  let checkedAt = 0;

  /** False inside a transaction: reads there may see writes that are not committed yet. */
  function fresh(): boolean {
    if (sqlite.inTransaction) return false;
    const c = totalChanges.get() as number;
    const at = performance.now();
    let v = version;
    if (at - checkedAt >= FOREIGN_CHECK_MS) {
      v = dataVersion.get() as number;
      checkedAt = at;
    }
    if (c !== changes || v !== version) {
      entries.clear();
      changes = c;
      version = v;
    }
    return true;
  }

  return {
    async get<T>(key: string, load: () => Promise<T>): Promise<T> {
      if (!fresh()) return load();
      if (entries.has(key)) return entries.get(key) as T;
      const at = changes;
      const atVersion = version;
      const value = await load();
      // Keep it only if nothing was written while it loaded; it was read after `at`, so it may be newer.
      if (fresh() && changes === at && version === atVersion) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, typeof value === "object" && value !== null ? Object.freeze(value) : value);
      }
      return value;
    },
  };
}
