import { randomBytes } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { migrateToLatest, openStore } from "../src/db/store.js";
import { apiCaller, type Reply } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import type { TestDialect } from "./helpers/stores.js";

// A PostgreSQL restart, a failover, idle_session_timeout or a proxy dropping idle connections ends the
// pool's connections under it. pg reports that as an 'error' event, which nobody heard: the process
// exited, and every node on the database with it. Now the node stays up, answers 503 with Retry-After
// while the database is away, and serves again as soon as it is back, without a restart.

const pgUrl = process.env.VERDICT_TEST_DATABASE_URL ?? "";

async function admin<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** A PostgreSQL test store as `verdict serve` opens it, named in pg_stat_activity, through `url`. */
function namedDialect(url: () => string): TestDialect & { schema: string } {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  return {
    name: "postgres",
    schema,
    async open() {
      await admin(`create schema ${schema}`);
      const store = openStore({
        dataDir: "",
        databaseUrl: url(),
        schema,
        changeNotifications: true,
        applicationName: `verdict outage ${schema}`,
        onConnectionLost: () => {},
      });
      await migrateToLatest(store);
      return {
        ...store,
        async dispose() {
          await store.close();
          await admin(`drop schema if exists ${schema} cascade`);
        },
      };
    },
  };
}

/** Ends this test's connections only (the pool's and the change feed's), as a PostgreSQL restart does. */
async function terminate(schema: string): Promise<number> {
  const rows = await admin(
    `select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and application_name in ($1, $2)`,
    [`verdict outage ${schema}`, `verdict changes ${schema}`],
  );
  return rows.length;
}

/** A TCP relay to PostgreSQL that can go away (connections cut, new ones refused) and come back. */
async function relay() {
  const target = new URL(pgUrl);
  const open = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [inbound, outbound]) {
      open.add(s);
      s.on("close", () => open.delete(s));
      s.on("error", () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  const listen = (port: number) =>
    new Promise<number>((resolve) =>
      server.listen(port, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
    );
  const port = await listen(0);
  const url = new URL(pgUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    /** The database goes away: open connections are reset, new ones refused. */
    async stop() {
      const closed = new Promise((r) => server.close(r));
      for (const s of open) s.destroy();
      await closed;
    },
    start: () => listen(port),
  };
}

/** A v2 result as the official reporters build it. */
const v2 = (id: string, title: string) => ({
  id,
  title,
  execution: { status: "passed", start_time: 1763800000, end_time: 1763800001, duration: 1000 },
  relations: { suite: { data: [{ title: "Outage" }] } },
  fields: {},
  steps: [],
  attachments: [],
  params: {},
});

/** What an unheard 'error' event does: reaches the process as an uncaught exception. */
function uncaughtErrors() {
  const seen: unknown[] = [];
  const listener = (err: unknown) => seen.push(err);
  return {
    seen,
    start: () => process.on("uncaughtException", listener),
    stop: () => process.off("uncaughtException", listener),
  };
}

describe.skipIf(!pgUrl)("a PostgreSQL restart under a stream of result batches", () => {
  const dialect = namedDialect(() => pgUrl);
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const uncaught = uncaughtErrors();
  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("PG", owner);
    token = await t.token(owner);
  });
  afterAll(() => t?.close());
  beforeEach(uncaught.start);
  afterEach(uncaught.stop);

  it("stays up, stores every acknowledged result exactly once, and serves again without a restart", async () => {
    const run = (await call("POST", "/v1/run/PG", { title: "outage", is_autotest: true })).body.result.id;
    const refused: Reply[] = [];
    /** Sends a batch until it is acknowledged, as the reporters do with a 503 and its Retry-After. */
    const send = async (ids: string[]) => {
      for (;;) {
        const r = await call("POST", `/v2/PG/run/${run}/results`, {
          results: ids.map((id) => v2(id, `case ${Number(id.split("-")[1]) % 20}`)),
        });
        if (r.status === 202) return;
        refused.push(r);
        if (r.status !== 503) throw new Error(`batch answered ${r.status}: ${JSON.stringify(r.body)}`);
      }
    };
    const sent: string[] = [];
    let cuts = 0;
    let done = false;
    // Three reporters (shards) streaming batches of 25 while the database restarts six times.
    const shards = [0, 1, 2].map(async (shard) => {
      for (let b = 0; b < 12; b++) {
        const ids = Array.from({ length: 25 }, (_, i) => `s${shard}b${b}-${i}`);
        await send(ids);
        sent.push(...ids);
      }
    });
    const killer = (async () => {
      while (!done && cuts < 6) {
        await new Promise((r) => setTimeout(r, 150));
        cuts += (await terminate(dialect.schema)) > 0 ? 1 : 0;
      }
    })();
    await Promise.all(shards);
    done = true;
    await killer;

    expect(uncaught.seen).toEqual([]);
    expect(cuts).toBeGreaterThan(0);
    for (const r of refused) expect(r.status).toBe(503);
    const rows = await t.store.db
      .selectFrom("results")
      .select(["idem_key"])
      .where("run_id", "=", run)
      .execute();
    const stored = rows.map((r) => r.idem_key).sort();
    expect(stored).toEqual([...sent].sort());
    // Idle connections ended too (the case that killed the process): after it, requests just work.
    await new Promise((r) => setTimeout(r, 100));
    expect(await terminate(dialect.schema)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(uncaught.seen).toEqual([]);
    // The first request after it succeeds: the pool opened new connections by itself.
    const after = await call("POST", `/v2/PG/run/${run}/results`, { results: [v2("after-1", "after")] });
    expect(after.status).toBe(202);
    expect((await call("GET", `/v1/run/PG/${run}`)).body.result.stats).toMatchObject({ total: 21 });
    expect((await t.app.inject({ url: "/readyz" })).statusCode).toBe(200);
  });
});

describe.skipIf(!pgUrl)("while the database is away", () => {
  let proxy: Awaited<ReturnType<typeof relay>>;
  let dialect: ReturnType<typeof namedDialect>;
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const uncaught = uncaughtErrors();
  beforeAll(async () => {
    proxy = await relay();
    dialect = namedDialect(() => proxy.url);
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("AW", owner);
    token = await t.token(owner);
  });
  afterAll(async () => {
    await proxy.start().catch(() => {});
    await t?.close();
  });
  beforeEach(uncaught.start);
  afterEach(uncaught.stop);

  it("answers 503 with Retry-After and stores nothing, /readyz says so, and it recovers by itself", async () => {
    const run = (await call("POST", "/v1/run/AW", { title: "away", is_autotest: true })).body.result.id;
    // Kept in memory while the change feed listens.
    expect((await call("GET", "/v1/project/AW")).body.result.title).toBe("Project AW");

    await proxy.stop();
    const batch = { results: [v2("w-1", "written while away"), v2("w-2", "and this")] };
    const away = await call("POST", `/v2/AW/run/${run}/results`, batch);
    expect(away.status).toBe(503);
    expect(away.body).toMatchObject({ status: false, errorMessage: expect.stringContaining("database") });
    const raw = await t.app.inject({
      method: "POST",
      url: `/v2/AW/run/${run}/results`,
      payload: batch,
      headers: { token },
    });
    expect(raw.statusCode).toBe(503);
    expect(Number(raw.headers["retry-after"])).toBeGreaterThan(0);
    const ready = await t.app.inject({ url: "/readyz" });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: "unavailable", checks: { database: "unreachable" } });
    // Changed by another writer while this node cannot hear about it: it must not serve what it kept.
    await admin(`update ${dialect.schema}.projects set title = 'Renamed while away' where code = 'AW'`);

    await proxy.start();
    await expect
      .poll(async () => (await t.app.inject({ url: "/readyz" })).statusCode, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(200);
    expect((await call("GET", "/v1/project/AW")).body.result.title).toBe("Renamed while away");
    const counted = async () =>
      (await t.store.db.selectFrom("results").select("idem_key").where("run_id", "=", run).execute()).length;
    expect(await counted()).toBe(0);
    // The reporter's retry stores the batch once.
    expect((await call("POST", `/v2/AW/run/${run}/results`, batch)).status).toBe(202);
    expect((await call("POST", `/v2/AW/run/${run}/results`, batch)).status).toBe(202);
    expect(await counted()).toBe(2);
    expect(uncaught.seen).toEqual([]);
  });
});
