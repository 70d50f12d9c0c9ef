import type { PostgresPool } from "kysely";
import pg from "pg";
import { interceptQueries } from "./pg-pool.js";

/**
 * When the data a PostgreSQL server reads may have changed, as a number that moves at each change, or
 * null while nobody can tell (the listening connection is down): db/read-cache.ts keeps answers only
 * while it stands still.
 *
 * Two sources move it:
 * - this server's own writes, at once: before and after every statement that is not a plain SELECT
 *   (COMMIT included), so a client reads its own write from the next request on;
 * - everyone's commits, through the NOTIFY of migration 0015's triggers, on a connection of its own:
 *   other API nodes, the CLI, psql. They reach this server within the notice's delivery time, usually
 *   a millisecond or two.
 */
export interface ChangeFeed {
  generation(): number | null;
  /** The pool, its clients' writes counted as changes. */
  track(pool: PostgresPool): PostgresPool;
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  /** Told once an outage that nothing is kept until the feed listens again (default: a process warning). */
  onLost?: (reason: string) => void;
  /** How often the listening connection checks that a notice still reaches it, in ms (default 5000). */
  heartbeatMs?: number;
  /** How long that notice may take before the connection is taken for lost, in ms (default 2000). */
  heartbeatTimeoutMs?: number;
}

/** How long to wait before listening again after the connection dropped, in ms. */
const RECONNECT_MS = 1000;

export function pgChangeFeed(
  connectionString: string,
  schema: string | undefined,
  opts: ChangeFeedOptions = {},
): ChangeFeed {
  const onLost =
    opts.onLost ??
    ((reason: string) =>
      process.emitWarning(
        `not listening for database changes (${reason}); nothing is cached until it listens again`,
      ));
  const heartbeatMs = opts.heartbeatMs ?? 5000;
  const heartbeatTimeoutMs = opts.heartbeatTimeoutMs ?? 2000;
  let generation = 0;
  let listening = false;
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let told = false;
  let beat: NodeJS.Timeout | null = null;
  let deadline: NodeJS.Timeout | null = null;
  const stopBeating = () => {
    if (beat) clearInterval(beat);
    if (deadline) clearTimeout(deadline);
    beat = null;
    deadline = null;
  };
  const bump = () => {
    generation++;
  };

  async function listen() {
    if (closed) return;
    // Named, so it can be told apart in pg_stat_activity; on the pool's search path, to learn its schema.
    const c = new pg.Client({
      connectionString,
      keepAlive: true,
      application_name: `verdict changes ${schema ?? "default"}`,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    client = c;
    // The schema Verdict's tables are in, which the notices name (a search_path in the URL may set it).
    let watched: string | null = null;
    // A connection can die without a word (a NAT or firewall dropping it, a pooler reassigning the
    // session that LISTENed): every heartbeatMs it sends itself a notice and must hear it back in time.
    const probe = `probe ${process.pid} ${Math.random().toString(36).slice(2)}`;

    // Whatever ends the connection ends the trust in kept answers until listening again.
    const lost = (err?: unknown) => {
      if (client !== c) return;
      // Said once an outage (not at each failed retry): the node serves correctly, but without its cache.
      if (!told) onLost(err instanceof Error ? err.message : "the connection ended");
      told = true;
      client = null;
      listening = false;
      bump();
      stopBeating();
      c.removeAllListeners("notification");
      void c.end().catch(() => {});
      if (!closed) {
        retry = setTimeout(() => void listen(), RECONNECT_MS);
        retry.unref();
      }
    };
    c.on("error", lost);
    c.on("end", lost);
    c.on("notification", (n) => {
      if (n.payload === watched) bump();
      else if (n.payload === probe && deadline) {
        clearTimeout(deadline);
        deadline = null;
      }
    });
    try {
      await c.connect();
      watched = (await c.query<{ s: string }>("select current_schema() as s")).rows[0]?.s ?? null;
      await c.query("listen verdict_changes");
      if (client !== c) return;
      // Changes made before LISTEN took effect were never announced: start from a new generation.
      bump();
      listening = true;
      told = false;
      beat = setInterval(() => {
        if (deadline) return;
        deadline = setTimeout(
          () => lost(new Error("a heartbeat notice did not come back")),
          heartbeatTimeoutMs,
        );
        deadline.unref();
        c.query("select pg_notify('verdict_changes', $1)", [probe]).catch(lost);
      }, heartbeatMs);
      beat.unref();
    } catch (err) {
      lost(err);
    }
  }
  void listen();

  return {
    generation: () => (listening ? generation : null),
    track: (pool) =>
      interceptQueries(pool, (run, sql, parameters) => {
        if (READ.test(sql)) return run(sql, parameters);
        bump();
        // After it too: a read that began while it ran may have seen the data before it.
        return run(sql, parameters).finally(bump);
      }),
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      listening = false;
      stopBeating();
      // A connection that went silent may never confirm its end: wait a second at most.
      if (c) await Promise.race([c.end().catch(() => {}), new Promise((r) => setTimeout(r, 1000).unref())]);
    },
  };
}

/** Statements that change nothing a cached answer holds (row locks and sequence reads included). */
const READ = /^\s*select\b/i;
