import type { Kysely } from "kysely";
import type { Config } from "./config.js";
import type { Database, Dialect } from "./db/database.js";
import type { Store } from "./db/store.js";
import type { RateLimiter } from "./http/rate-limit.js";

/** What services receive: the store, the configuration and the shared limiter. */
export interface AppContext {
  db: Kysely<Database>;
  dialect: Dialect;
  config: Config;
  limiter: RateLimiter;
  /** SQLite only: prepared statements on the store's connection, for hot bulk writes. */
  prepare?: Store["prepare"];
  /** Hot small reads kept until the database changes (see db/read-cache.ts). */
  cache: Store["cache"];
  /** Serialised GET answers kept until the database changes (see http/response-cache.ts). */
  responses: Store["responses"];
}
