// Word search (GET /v1/search?query=<words>) over a project of BENCH_SEARCH_CASES cases (200k by default,
// seeded by SQL), against GET /v1/project/{code} in the same process and run: median latency of each and
// their ratio. SQLite always; PostgreSQL too when BENCH_DATABASE_URL is set. Prints figures, never pass/fail.
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import { buildApp } from "../src/app.js";
import { cliPrincipal } from "../src/cli/shared.js";
import { loadConfig } from "../src/config.js";
import { migrateToLatest, openStore, type Store } from "../src/db/store.js";
import { createProject } from "../src/features/projects/projects.service.js";
import { createToken } from "../src/features/tokens/tokens.service.js";
import { createUser } from "../src/features/users/users.service.js";

const CASES = Number(process.env.BENCH_SEARCH_CASES ?? 200_000);
const N = Number(process.env.BENCH_SEARCH_N ?? 50);
const WORDS = ["cart", "login", "payment", "profile", "search", "invoice", "shipping", "refund"];

async function seed(store: Store) {
  const t0 = Date.now();
  // Titles of three words from the list and a number; one case in 20,000 says "checkout".
  const title = (g: string) =>
    `'case ' || ${g} || ' ' || (case when ${g} % 20000 = 0 then 'checkout' else 'step' end) || ' ' ||
      (case ${g} % 8 ${WORDS.map((w, i) => `when ${i} then '${w}'`).join(" ")} end)`;
  const rows =
    store.dialect === "postgres"
      ? sql.raw(`select 1, g, ${title("g")}, 0, 0 from generate_series(1, ${CASES}) g`)
      : sql.raw(`with recursive n(g) as (select 1 union all select g + 1 from n where g < ${CASES})
          select 1, g, ${title("g")}, 0, 0 from n`);
  await sql`insert into cases (project_id, id, title, created_at, updated_at) ${rows}`.execute(store.db);
  if (store.dialect === "postgres") await sql`analyze cases`.execute(store.db);
  return Date.now() - t0;
}

async function median(call: () => Promise<number>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const status = await call();
    if (status !== 200) throw new Error(`status ${status}`);
    xs.push(performance.now() - t0);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)] as number;
}

async function one(name: string, store: Store) {
  await migrateToLatest(store);
  const config = loadConfig({ dataDir: "/nonexistent" }, { VERDICT_RATE_LIMIT: "100000000" });
  const built = await buildApp({ config, store, logger: false });
  const owner = await createUser(built.ctx, null, {
    email: "b@example.test",
    name: "B",
    role: "owner",
    password: "password-123",
  });
  await createProject(built.ctx, cliPrincipal(owner), { title: "Bench", code: "BENCH", access: "all" });
  const token = (await createToken(built.ctx, cliPrincipal(owner), { title: "b", expiresInDays: null }))
    .secret;
  const seeded = await seed(store);
  const get = async (url: string) =>
    (await built.app.inject({ method: "GET", url, headers: { token } })).statusCode;
  for (let i = 0; i < 5; i++) await get("/v1/search?query=checkout"); // warm-up
  const project = await median(() => get("/v1/project/BENCH"));
  const rare = await median(() => get("/v1/search?query=checkout"));
  const two = await median(() => get("/v1/search?query=checkout%20refund"));
  const common = await median(() => get("/v1/search?query=payment&limit=100"));
  console.log(
    `${name.padEnd(10)} ${CASES} cases (seeded in ${seeded} ms)  GET project ${project.toFixed(2)} ms` +
      `  "checkout" (10 hits) ${rare.toFixed(2)} ms ratio ${(rare / project).toFixed(1)}` +
      `  "checkout refund" ${two.toFixed(2)} ms ratio ${(two / project).toFixed(1)}` +
      `  "payment" (${CASES / 8} hits, page of 100) ${common.toFixed(2)} ms ratio ${(common / project).toFixed(1)}`,
  );
  await built.app.close();
}

export async function benchSearch() {
  await one("SQLite", openStore({ dataDir: "", sqliteFile: ":memory:" }));
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return;
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  try {
    await one("PostgreSQL", openStore({ dataDir: "", databaseUrl: url, schema }));
  } finally {
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}
