// Fills a store with a large project straight through SQL (not the API): N cases in 10 suites over every
// severity, M results in runs of 10,000 over five statuses. SQLite through prepared statements,
// PostgreSQL through generate_series, the same rows. For bench/lists.ts.
import { sql } from "kysely";
import type { Store } from "../src/db/store.js";

const STATUSES = ["passed", "failed", "skipped", "blocked", "invalid"];
/** Few enough that one suite and severity fill a 100-case page at 10k cases as at 100k, so the two
 * sizes compare the same page and not a 17-row page with a 100-row one. */
const SUITES = 10;

export async function seedLargeProject(store: Store, projectId: number, cases: number, results: number) {
  const prepare = store.prepare;
  if (!prepare) return seedOnPostgres(store, projectId, cases, results);
  const now = Date.now();
  const tx = (f: () => void) => {
    prepare("begin").run();
    f();
    prepare("commit").run();
  };
  tx(() => {
    const suite = prepare(
      "insert into suites (project_id, id, parent_id, title, position, created_at, updated_at) values (?, ?, null, ?, ?, ?, ?)",
    );
    for (let s = 1; s <= SUITES; s++) suite.run(projectId, s, `Suite ${s}`, s, now, now);
  });
  const kase = prepare(
    `insert into cases (project_id, id, suite_id, title, severity, priority, type, layer, behavior, automation,
       status, is_flaky, steps, parameters, tags, custom_fields, attachments, external_issues, signature, position,
       version, created_at, updated_at)
     values (?, ?, ?, ?, ?, 0, 1, 0, 1, 2, 0, 0, '[]', '[]', '[]', '{}', '[]', '[]', ?, ?, 1, ?, ?)`,
  );
  for (let i = 1; i <= cases; i += 10_000)
    tx(() => {
      for (let id = i; id < i + 10_000 && id <= cases; id++)
        kase.run(
          projectId,
          id,
          (id % SUITES) + 1,
          `Case ${id} keeps the basket`,
          id % 7,
          `sig::${id}`,
          id,
          now,
          now,
        );
    });
  const runs = Math.max(1, Math.ceil(results / 10_000));
  tx(() => {
    const run = prepare(
      "insert into runs (project_id, id, title, status, is_autotest, tags, configurations, custom_fields, start_time, created_at, updated_at) values (?, ?, ?, 1, 1, '[]', '[]', '{}', ?, ?, ?)",
    );
    for (let r = 1; r <= runs; r++) run.run(projectId, r, `Run ${r}`, now, now, now);
  });
  const result = prepare(
    `insert into results (hash, project_id, run_id, entry_key, case_id, status, title, stacktrace, start_time,
       end_time, duration_ms, steps, attachments, params, param_groups, fields, suite_path, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 350, '[]', '[]', '{}', '[]', '{}', '[]', ?, ?)`,
  );
  for (let i = 0; i < results; i += 10_000)
    tx(() => {
      for (let n = i; n < i + 10_000 && n < results; n++) {
        const caseId = (n % cases) + 1;
        const status = STATUSES[n % 5] as string;
        result.run(
          n.toString(16).padStart(40, "0"),
          projectId,
          Math.floor(n / 10_000) + 1,
          `c:${caseId}`,
          caseId,
          status,
          `Case ${caseId} keeps the basket`,
          status === "failed" ? "Error: expected 3, got 2\n    at checkout.spec.ts:41:23" : null,
          now,
          now + 350,
          now,
          now,
        );
      }
    });
  // What ingestion keeps on each run, so list totals read right.
  prepare(
    "update runs set results_count = (select count(*) from results where results.project_id = runs.project_id and results.run_id = runs.id) where project_id = ?",
  ).run(projectId);
  return { runs };
}

async function seedOnPostgres(store: Store, projectId: number, cases: number, results: number) {
  // Literals, not parameters: in INSERT ... SELECT, PostgreSQL would type a parameter as text.
  const [p, c, n0, n1, suites] = [projectId, cases, Date.now(), Date.now() + 350, SUITES].map((v) =>
    sql.lit(v),
  );
  const runs = Math.max(1, Math.ceil(results / 10_000));
  await store.db.transaction().execute(async (tx) => {
    await sql`insert into suites (project_id, id, parent_id, title, position, created_at, updated_at)
      select ${p}, s, null, 'Suite ' || s, s, ${n0}, ${n0} from generate_series(1, ${suites}) s`.execute(tx);
    await sql`insert into cases (project_id, id, suite_id, title, severity, priority, type, layer, behavior,
        automation, status, is_flaky, steps, parameters, tags, custom_fields, attachments, external_issues,
        signature, position, version, created_at, updated_at)
      select ${p}, id, (id % ${suites}) + 1, 'Case ' || id || ' keeps the basket', id % 7, 0, 1, 0, 1,
        2, 0, 0, '[]', '[]', '[]', '{}', '[]', '[]', 'sig::' || id, id, 1, ${n0}, ${n0}
      from generate_series(1, ${c}) id`.execute(tx);
    await sql`insert into runs (project_id, id, title, status, is_autotest, tags, configurations, custom_fields,
        start_time, created_at, updated_at)
      select ${p}, r, 'Run ' || r, 1, 1, '[]', '[]', '{}', ${n0}, ${n0}, ${n0}
      from generate_series(1, ${sql.lit(runs)}) r`.execute(tx);
    await sql`insert into results (hash, project_id, run_id, entry_key, case_id, status, title, stacktrace,
        start_time, end_time, duration_ms, steps, attachments, params, param_groups, fields, suite_path,
        created_at, updated_at)
      select lpad(to_hex(n), 40, '0'), ${p}, n / 10000 + 1, 'c:' || (n % ${c}) + 1,
        (n % ${c}) + 1, (array['passed','failed','skipped','blocked','invalid'])[n % 5 + 1],
        'Case ' || (n % ${c}) + 1 || ' keeps the basket',
        case when n % 5 = 1 then 'Error: expected 3, got 2' || chr(10) || '    at checkout.spec.ts:41:23' end,
        ${n0}, ${n1}, 350, '[]', '[]', '{}', '[]', '{}', '[]', ${n0}, ${n0}
      from generate_series(0, ${sql.lit(results - 1)}) n`.execute(tx);
    await sql`update runs set results_count = (select count(*) from results
      where results.project_id = runs.project_id and results.run_id = runs.id) where project_id = ${p}`.execute(
      tx,
    );
  });
  // As autovacuum would after a load this size: the planner's statistics, and the visibility map that
  // lets a count read an index alone (without it every match's table page is visited).
  await sql`vacuum analyze suites, cases, runs, results`.execute(store.db);
  return { runs };
}
