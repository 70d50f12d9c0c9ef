import type { CompiledQuery, KyselyPlugin } from "kysely";
import type { Db } from "../../src/db/database.js";

/** The statements a call runs, compiled as the database receives them (for their plans). */
export async function statementsOf(db: Db, call: (db: Db) => Promise<unknown>): Promise<CompiledQuery[]> {
  const seen: CompiledQuery[] = [];
  const spy: KyselyPlugin = {
    transformQuery: (args) => {
      seen.push(db.getExecutor().compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  await call(db.withPlugin(spy));
  return seen;
}

/** SQLite's plan of a statement, one detail line per step. */
export async function sqlitePlan(db: Db, q: CompiledQuery): Promise<string[]> {
  const { rows } = await db.executeQuery<{ detail: string }>({ ...q, sql: `explain query plan ${q.sql}` });
  return rows.map((r) => r.detail);
}
