import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";

/**
 * A pool whose clients send every text query through `intercept`, which runs it with `run` (changed or
 * not, with work around it). Cursors (streamed reads) pass through as they are.
 */
export function interceptQueries(
  pool: PostgresPool,
  intercept: (
    run: (sql: string, parameters: ReadonlyArray<unknown>) => Promise<PostgresQueryResult<unknown>>,
    sql: string,
    parameters: ReadonlyArray<unknown>,
  ) => Promise<PostgresQueryResult<unknown>>,
): PostgresPool {
  return {
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect();
      const run = (sql: string, parameters: ReadonlyArray<unknown>) => client.query<unknown>(sql, parameters);
      function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
      function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
      function query<R>(first: string | PostgresCursor<R>, parameters: ReadonlyArray<unknown> = []) {
        if (typeof first !== "string") return client.query(first);
        return intercept(run, first, parameters) as Promise<PostgresQueryResult<R>>;
      }
      return { query, release: () => client.release() } satisfies PostgresPoolClient;
    },
  };
}
