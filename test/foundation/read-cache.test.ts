import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { cliPrincipal } from "../../src/cli/shared.js";
import { loadConfig } from "../../src/config.js";
import { generationCache, sqliteGeneration } from "../../src/db/read-cache.js";
import { migrateToLatest, openStore } from "../../src/db/store.js";
import { createProject } from "../../src/features/projects/projects.service.js";
import { createToken } from "../../src/features/tokens/tokens.service.js";
import { createUser } from "../../src/features/users/users.service.js";

const dirs: string[] = [];
function tempFile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-cache-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const tick = () => new Promise((r) => setTimeout(r, 5)); // longer than the 1 ms foreign-write check

describe("read cache on SQLite", () => {
  function open() {
    const file = path.join(tempFile(), "c.db");
    const own = new SqliteDatabase(file);
    own.pragma("journal_mode = WAL");
    own.exec("create table t (id integer primary key, v text); insert into t values (1, 'a')");
    const other = new SqliteDatabase(file); // another process, as far as SQLite can tell
    const read = async () => own.prepare("select v from t where id = 1").pluck().get() as string;
    return { own, other, read, cache: generationCache(sqliteGeneration(own)) };
  }

  it("keeps an answer until this connection writes, then reloads it", async () => {
    const { own, read, cache } = open();
    let loads = 0;
    const counted = () => {
      loads++;
      return read();
    };
    const get = () => cache.get("k", counted);
    expect(await get()).toBe("a");
    expect(await get()).toBe("a");
    expect(loads).toBe(1);
    own.prepare("update t set v = 'b' where id = 1").run();
    expect(await get()).toBe("b");
    expect(loads).toBe(2);
  });

  it("sees another process's commit within the foreign-write check interval", async () => {
    const { other, read, cache } = open();
    expect(await cache.get("k", read)).toBe("a");
    other.prepare("update t set v = 'c' where id = 1").run();
    await tick();
    expect(await cache.get("k", read)).toBe("c");
  });

  it("reads through, keeping nothing, inside a transaction", async () => {
    const { own, read, cache } = open();
    own.exec("begin");
    own.prepare("update t set v = 'uncommitted' where id = 1").run();
    expect(await cache.get("k", read)).toBe("uncommitted");
    own.exec("rollback");
    expect(await cache.get("k", read)).toBe("a");
  });

  it("does not keep an answer when a write lands while it loads", async () => {
    const { own, read, cache } = open();
    let loads = 0;
    const racing = cache.get("k", async () => {
      loads++;
      const v = await read();
      own.prepare("update t set v = 'd' where id = 1").run();
      return v;
    });
    expect(await racing).toBe("a");
    expect(
      await cache.get("k", () => {
        loads++;
        return read();
      }),
    ).toBe("d");
    expect(loads).toBe(2);
  });
});

describe("a weighed read cache (the response cache)", () => {
  it("keeps answers up to the weight bound, never one heavier than the bound, and counts hits", async () => {
    const own = new SqliteDatabase(":memory:");
    const cache = generationCache(sqliteGeneration(own), {
      maxEntries: 100,
      maxWeight: 10,
      weigh: (v) => String(v).length,
    });
    let loads = 0;
    const get = (key: string, value: string) =>
      cache.get(key, async () => {
        loads++;
        return value;
      });
    await get("a", "aaaa");
    await get("b", "bbbb");
    await get("a", "aaaa");
    await get("b", "bbbb");
    expect({ loads, ...cache.stats }).toEqual({ loads: 2, hits: 2, misses: 2 });
    // A third of 4 goes past 10: the cache starts over with only the new answer.
    await get("c", "cccc");
    await get("a", "aaaa");
    expect(loads).toBe(4);
    await get("c", "cccc");
    expect(loads).toBe(4);
    // An answer heavier than the whole bound is served but never kept.
    await get("big", "x".repeat(11));
    await get("big", "x".repeat(11));
    expect(loads).toBe(6);
    own.close();
  });
});

describe("authentication with the read cache, the CLI writing from another process", () => {
  it("refuses a token revoked, and an owner deactivated or demoted, by a second connection", async () => {
    const dataDir = tempFile();
    const store = openStore({ dataDir });
    await migrateToLatest(store);
    const config = loadConfig({ dataDir }, { VERDICT_RATE_LIMIT: "100000" });
    const { app, ctx } = await buildApp({ config, store, logger: false });
    try {
      const owner = await createUser(ctx, null, { email: "o@example.test", name: "O", role: "owner" });
      const member = await createUser(ctx, null, { email: "m@example.test", name: "M", role: "member" });
      await createProject(ctx, cliPrincipal(owner), { title: "Cached", code: "CACHE" });
      const { secret } = await createToken(ctx, cliPrincipal(member), { title: "ci", expiresInDays: null });
      const get = (url: string) => app.inject({ url, headers: { token: secret } });
      const post = () =>
        app.inject({
          method: "POST",
          url: "/v1/suite/CACHE",
          headers: { token: secret },
          payload: { title: "S" },
        });

      for (let i = 0; i < 3; i++) expect((await get("/v1/project/CACHE")).statusCode).toBe(200);
      expect((await post()).statusCode).toBe(200);

      // The CLI (`verdict users set-role`, `verdict tokens revoke`) opens its own connection to the file.
      const cli = new SqliteDatabase(path.join(dataDir, "verdict.db"));
      cli.prepare("update users set role = 'viewer' where id = ?").run(member.id);
      await tick();
      expect((await post()).statusCode).toBe(403);
      expect((await get("/v1/project/CACHE")).statusCode).toBe(200);

      cli.prepare("update projects set deleted_at = ? where code = 'CACHE'").run(Date.now());
      await tick();
      expect((await get("/v1/project/CACHE")).statusCode).toBe(404);

      cli.prepare("update api_tokens set revoked_at = ? where user_id = ?").run(Date.now(), member.id);
      await tick();
      expect((await get("/v1/project")).statusCode).toBe(401);
      cli.close();
    } finally {
      await app.close();
      await store.close();
    }
  });
});
