import type { Command } from "commander";
import { type Config, loadConfig } from "../config.js";
import type { AppContext } from "../context.js";
import { noReadCache } from "../db/read-cache.js";
import { migrateToLatest, openStore, type Store } from "../db/store.js";
import type { UserRow } from "../features/users/users.repository.js";
import { effectivePermissions, isRole, ROLE_PERMISSIONS } from "../http/permissions.js";
import type { Principal } from "../http/principal.js";
import { createRateLimiter } from "../http/rate-limit.js";

export interface StoreFlags {
  dataDir?: string;
}

/** Adds the options every command shares, so each acts on the same store as the server. */
export function withStoreOptions(cmd: Command): Command {
  return cmd.option(
    "--data-dir <dir>",
    "data directory holding the SQLite database (ignored with DATABASE_URL)",
  );
}

/** Opens the store (migrated) and runs `fn` with a service context; always closes. */
export async function withContext<T>(
  flags: StoreFlags,
  fn: (ctx: AppContext, store: Store) => Promise<T>,
): Promise<T> {
  const config: Config = loadConfig({ dataDir: flags.dataDir });
  const store = openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const limiter = createRateLimiter(undefined);
  try {
    await migrateToLatest(store);
    // The CLI serves no GETs: nothing to keep.
    const ctx = {
      db: store.db,
      dialect: store.dialect,
      config,
      limiter,
      cache: store.cache,
      responses: noReadCache,
    };
    return await fn(ctx, store);
  } finally {
    await store.close();
    await limiter.close();
  }
}

/** The CLI acts with the machine's authority, on behalf of the named user. */
export function cliPrincipal(user: UserRow): Principal {
  if (!isRole(user.role)) throw new Error(`user ${user.email} has an unknown role ${user.role}`);
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    via: "cli",
    token: null,
    sessionId: null,
    permissions: effectivePermissions(user.role, null),
    ip: null,
  };
}

/** For commands that act on the whole workspace (list or revoke anyone's tokens): an owner's rights. */
export function machinePrincipal(): Principal {
  return {
    user: { id: 0, email: "cli", name: "command line", role: "owner" },
    via: "cli",
    token: null,
    sessionId: null,
    permissions: ROLE_PERMISSIONS.owner,
    ip: null,
  };
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export function printTable(rows: Record<string, unknown>[]): void {
  if (rows.length === 0) {
    console.log("(none)");
    return;
  }
  const cols = Object.keys(rows[0] ?? {});
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? "").length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  console.log(line(cols));
  for (const r of rows) console.log(line(cols.map((c) => String(r[c] ?? ""))));
}
