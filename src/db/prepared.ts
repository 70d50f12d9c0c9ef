import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { Database, Db } from "./database.js";

const SENTINEL = "\u0000verdict-param-";

/**
 * A query for the hot path (authentication on every request): built and compiled by Kysely once per
 * database, then executed with new parameter values. Building and compiling a query costs more than
 * running a small indexed lookup, so this roughly halves the time of such a call. The builder must use
 * each parameter exactly once, in order; that is checked when the query is first compiled.
 */
export function preparedQuery<P extends unknown[], R>(build: (db: Db, ...params: P) => Compilable<R>) {
  const compiled = new WeakMap<object, CompiledQuery<R>>();
  return async (db: Db, ...params: P): Promise<R[]> => {
    const key = (db as { getExecutor(): object }).getExecutor();
    let query = compiled.get(key);
    if (!query) {
      const sentinels = params.map((_, i) => `${SENTINEL}${i}`) as P;
      query = build(db, ...sentinels).compile();
      if (query.parameters.length !== params.length || query.parameters.some((p, i) => p !== sentinels[i])) {
        throw new Error("preparedQuery: the builder must use each parameter exactly once, in order");
      }
      compiled.set(key, query);
    }
    const result = await (db as Kysely<Database>).executeQuery<R>({ ...query, parameters: params });
    return result.rows;
  };
}
