import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltApp, buildApp } from "../../src/app.js";
import { pgChangeFeed } from "../../src/db/pg-changes.js";
import { openStore, type Store } from "../../src/db/store.js";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

const postgres = dialects.find((d) => d.name === "postgres");
const pgUrl = process.env.VERDICT_TEST_DATABASE_URL ?? "";

/** A statement from outside Verdict (psql, a script), on the store's schema. */
async function psql(schema: string, text: string, values: unknown[] = []) {
  const c = new pg.Client({ connectionString: pgUrl, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    return (await c.query(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** Ends the connection a store listens on, as a restart of PostgreSQL or a network cut would. */
async function cutListener(schema: string) {
  const rows = await psql(
    schema,
    "select pg_terminate_backend(pid) as cut from pg_stat_activity where application_name = $1",
    [`verdict changes ${schema}`],
  );
  return rows.length;
}

describe.skipIf(!postgres)("kept answers on PostgreSQL follow every writer's changes", () => {
  // Node A is the test app; node B another API server on the same database and schema.
  let a: TestApp;
  let b: BuiltApp;
  let bStore: Store;
  let schema = "";
  let token = "";

  beforeAll(async () => {
    a = await startApp(postgres as NonNullable<typeof postgres>);
    schema = a.store.schema as string;
    const owner = await a.user("owner");
    token = await a.token(owner);
    await a.project("PC", owner);
    bStore = openStore({ dataDir: "", databaseUrl: pgUrl, schema, changeNotifications: true });
    b = await buildApp({ config: a.config, store: bStore, logger: false });
  });
  afterAll(async () => {
    await b.app.close();
    await bStore.close();
    await a.close();
  });

  const title = async (node: BuiltApp, auth = token) => {
    const res = await node.app.inject({ url: "/v1/project/PC", headers: { token: auth } });
    return res.statusCode === 200 ? (res.json().result.title as string) : res.statusCode;
  };
  /** Node B serves the project from memory: it is listening, and a read keeps what it loads. */
  const keptOnB = async () => {
    const first = await title(b);
    expect(first).toBeTypeOf("string");
    await expect
      .poll(
        async () => {
          const hits = b.ctx.responses.stats.hits;
          expect(await title(b)).toBe(first);
          return b.ctx.responses.stats.hits - hits;
        },
        { timeout: 5000, interval: 20 },
      )
      .toBe(1);
  };

  it("every table of the schema announces its changes", async () => {
    const missing = await psql(
      schema,
      `select t.table_name from information_schema.tables t
        where t.table_schema = $1 and t.table_type = 'BASE TABLE' and t.table_name not like 'kysely_migration%'
          and not exists (select 1 from pg_trigger g join pg_class c on c.oid = g.tgrelid
                           join pg_namespace n on n.oid = c.relnamespace
                          where n.nspname = t.table_schema and c.relname = t.table_name
                            and g.tgname = 'verdict_changes')`,
      [schema],
    );
    expect(missing).toEqual([]);
  });

  it("a change made through another API node reaches the answers this node keeps", async () => {
    await keptOnB();
    const res = await a.app.inject({
      method: "PATCH",
      url: "/v1/project/PC",
      headers: { token },
      payload: { title: "Renamed on A" },
    });
    expect(res.statusCode, res.body).toBe(200);
    // Node A answers with its own write at once; node B once the notice arrives.
    expect(await title(a)).toBe("Renamed on A");
    await expect.poll(() => title(b), { timeout: 2000, interval: 5 }).toBe("Renamed on A");
  });

  it("a change made outside Verdict (psql) reaches them too, and a revoked token stops working", async () => {
    await keptOnB();
    await psql(schema, "update projects set title = 'Renamed in psql' where code = 'PC'");
    await expect.poll(() => title(b), { timeout: 2000, interval: 5 }).toBe("Renamed in psql");

    await keptOnB();
    await psql(schema, "update api_tokens set revoked_at = 1");
    await expect.poll(() => title(b), { timeout: 2000, interval: 5 }).toBe(401);
    await psql(schema, "update api_tokens set revoked_at = null");
    await expect.poll(() => title(b), { timeout: 2000, interval: 5 }).toBe("Renamed in psql");
  });

  it("while it cannot listen, a node keeps nothing, and it keeps answers again once it listens", async () => {
    await keptOnB();
    expect(await cutListener(schema)).toBeGreaterThan(0);
    // Whatever is written while nobody listens, the node reads it: it serves nothing it kept.
    await expect
      .poll(async () => {
        const hits = b.ctx.responses.stats.hits;
        await title(b);
        return b.ctx.responses.stats.hits - hits;
      })
      .toBe(0);
    await psql(schema, "update projects set title = 'Renamed unheard' where code = 'PC'");
    expect(await title(b)).toBe("Renamed unheard");
    // Listening again (a second later), it keeps answers again.
    await keptOnB();
  });
});

describe.skipIf(!postgres)("the change feed", () => {
  it("moves at this server's writes and at every announced commit, and is null while not listening", async () => {
    const store = await (postgres as NonNullable<typeof postgres>).open();
    const schema = store.schema as string;
    const reasons: string[] = [];
    const feed = pgChangeFeed(pgUrl, schema, { onLost: (reason) => reasons.push(reason) });
    try {
      await expect.poll(() => feed.generation(), { timeout: 5000, interval: 5 }).not.toBeNull();
      const start = feed.generation() as number;
      await psql(schema, "insert into tags (title, created_at) values ('announced', 1)");
      await expect.poll(() => feed.generation(), { timeout: 2000, interval: 5 }).toBeGreaterThan(start);

      // Another schema's commits are not ours.
      const other = await (postgres as NonNullable<typeof postgres>).open();
      const quiet = feed.generation() as number;
      await psql(other.schema as string, "insert into tags (title, created_at) values ('elsewhere', 1)");
      await new Promise((r) => setTimeout(r, 100));
      expect(feed.generation()).toBe(quiet);
      await other.dispose();

      // A schema given by the URL's search_path (no schema option) is the one watched.
      const byUrl = pgChangeFeed(
        `${pgUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        undefined,
      );
      try {
        await expect.poll(() => byUrl.generation(), { timeout: 5000, interval: 5 }).not.toBeNull();
        const before = byUrl.generation() as number;
        await psql(schema, "insert into tags (title, created_at) values ('by url', 1)");
        await expect.poll(() => byUrl.generation(), { timeout: 2000, interval: 5 }).toBeGreaterThan(before);
      } finally {
        await byUrl.close();
      }

      await cutListener(schema);
      await expect.poll(() => feed.generation(), { timeout: 2000, interval: 5 }).toBeNull();
      await expect.poll(() => feed.generation(), { timeout: 5000, interval: 50 }).not.toBeNull();
      expect(feed.generation()).toBeGreaterThan(quiet);
      // The outage was reported once, for the operator; the reconnection is silent.
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(/terminat/i);
      expect(await cutListener(schema)).toBeGreaterThan(0);
      await expect.poll(() => reasons.length, { timeout: 2000, interval: 5 }).toBe(2);
    } finally {
      await feed.close();
      await store.dispose();
    }
  });
});

/** A TCP relay to PostgreSQL whose open connections can be frozen: data stops, nothing is closed. */
async function freezableRelay() {
  const target = new URL(pgUrl);
  const open: net.Socket[] = [];
  const server = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port || 5432), target.hostname);
    open.push(inbound, outbound);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on("error", drop);
    outbound.on("error", drop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(pgUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    /** As a NAT that forgot the connection: the relay's open connections go silent. */
    freeze() {
      for (const s of open.splice(0)) {
        s.unpipe();
        s.pause();
      }
    },
    close() {
      for (const s of open.splice(0)) s.destroy();
      server.close();
    },
  };
}

describe.skipIf(!postgres)("the change feed's heartbeat", () => {
  it("takes a connection that went silent for lost, keeps nothing, and listens again on a new one", async () => {
    const store = await (postgres as NonNullable<typeof postgres>).open();
    const relay = await freezableRelay();
    const reasons: string[] = [];
    const feed = pgChangeFeed(relay.url, store.schema, {
      onLost: (reason) => reasons.push(reason),
      heartbeatMs: 100,
      heartbeatTimeoutMs: 300,
    });
    try {
      await expect.poll(() => feed.generation(), { timeout: 5000, interval: 5 }).not.toBeNull();
      // Heartbeats come back while the connection is alive.
      await new Promise((r) => setTimeout(r, 500));
      expect(feed.generation()).not.toBeNull();
      expect(reasons).toEqual([]);
      relay.freeze();
      await expect.poll(() => feed.generation(), { timeout: 3000, interval: 10 }).toBeNull();
      expect(reasons).toEqual(["a heartbeat notice did not come back"]);
      // New connections through the relay work: it listens again.
      await expect.poll(() => feed.generation(), { timeout: 5000, interval: 50 }).not.toBeNull();
    } finally {
      await feed.close();
      relay.close();
      await store.dispose();
    }
  });
});
