import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findProjectByCode } from "../src/features/projects/projects.repository.js";
import { wordCases, wordResults } from "../src/features/search/words.repository.js";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { sqlitePlan, statementsOf } from "./helpers/statements.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("word search ($name)", (dialect) => {
  let t: TestApp;
  let token = "";
  let wordOnlyToken = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const found = async (words: string, auth = token) => {
    const r = await call("GET", `/v1/search?limit=100&query=${encodeURIComponent(words)}`, undefined, auth);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return {
      total: r.body.result.total as number,
      cases: r.body.result.entities
        .filter((e: object) => "test_case_id" in e)
        .map((e: { title: string }) => e.title),
      results: r.body.result.entities
        .filter((e: object) => "hash" in e)
        .map((e: { comment: string | null; stacktrace: string | null }) => e.comment ?? e.stacktrace),
    };
  };

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    token = await t.token(owner);
    await t.project("WORD", owner);
    await t.project("OTHER", owner);
    wordOnlyToken = await t.token(owner, { projects: ["WORD"] });
    for (const title of ["Checkout with card", "test_checkout_flow", "Sign in", "Gone checkout"])
      await call("POST", "/v1/case/WORD", { title });
    await call("POST", "/v1/case/OTHER", { title: "Other checkout" });
    const cases = (await call("GET", "/v1/case/WORD?limit=100")).body.result.entities;
    const gone = cases.find((c: { title: string }) => c.title === "Gone checkout");
    expect((await call("DELETE", `/v1/case/WORD/${gone.id}`)).status).toBe(200);
    await call("PATCH", `/v1/case/WORD/${cases[2].id}`, { title: "Sign in after CHECKOUT" });

    const run = (await call("POST", "/v1/run/WORD", { title: "Nightly" })).body.result.id;
    const results = [
      { title: "a", message: "timeout on the payment page", execution: { status: "failed" } },
      {
        title: "b",
        execution: {
          status: "failed",
          stacktrace: "at com.shop.CheckoutService.pay(CheckoutService.java:42)",
        },
      },
      { title: "c", message: "checkout button missing", execution: { status: "failed" } },
      { title: "d", execution: { status: "passed" } },
    ];
    expect((await call("POST", `/v2/WORD/run/${run}/results`, { results })).status).toBe(202);
  });
  afterAll(() => t.close());

  it("finds cases by title and results by message or stack trace, newest result first", async () => {
    const r = await found("checkout");
    // Project by project (WORD was made first), each in id order.
    expect(r.cases).toEqual([
      "Checkout with card",
      "test_checkout_flow",
      "Sign in after CHECKOUT",
      "Other checkout",
    ]);
    // "checkoutservice" begins with the word; the newest result comes first.
    expect(r.results).toEqual(["checkout button missing", expect.stringContaining("CheckoutService")]);
    expect(r.total).toBe(4 + 2);
  });

  it("needs every word, reads words by prefix, and respects project boundaries and deletion", async () => {
    expect((await found("checkout card")).cases).toEqual(["Checkout with card"]);
    expect((await found("check flow")).cases).toEqual(["test_checkout_flow"]);
    expect((await found("timeout payment")).results).toEqual(["timeout on the payment page"]);
    expect((await found("gone")).cases).toEqual([]);
    expect((await found("nothing-like-this")).total).toBe(0);
    expect((await found("other")).cases).toEqual(["Other checkout"]);
    expect((await found("other", wordOnlyToken)).cases).toEqual([]);
    expect((await found("checkout", wordOnlyToken)).total).toBe(5);
  });

  it("pages across cases and then results", async () => {
    const page = async (offset: number) =>
      (await call("GET", `/v1/search?query=checkout&limit=2&offset=${offset}`)).body.result;
    const all = [0, 2, 4].map(page);
    const pages = await Promise.all(all);
    expect(pages.map((p) => p.total)).toEqual([6, 6, 6]);
    expect(pages.map((p) => p.entities.length)).toEqual([2, 2, 2]);
    expect(pages[1].entities.map((e: { title: string }) => e.title)).toEqual([
      "Sign in after CHECKOUT",
      "Other checkout",
    ]);
    expect(pages[2].entities.every((e: object) => "hash" in e)).toBe(true);
  });

  it("tells a query with no word (400 or 422) and keeps QQL for the rest", async () => {
    const r = await call("GET", `/v1/search?query=${encodeURIComponent("--- ...")}`);
    expect(r.status).toBe(422);
    const q = await found('entity = "case" and title ~ "card"');
    expect(q.cases).toEqual(["Checkout with card"]);
  });

  it("reads the full-text indexes, not the projects' rows", async () => {
    const project = await findProjectByCode(t.ctx.db, "WORD");
    if (!project) throw new Error("no project");
    const page = { limit: 10, offset: 0 };
    const statements = await statementsOf(t.ctx.db, async (db) => {
      await wordCases(db, dialect.name, ["checkout"], [project.id], page);
      await wordResults(db, dialect.name, ["checkout"], [project.id], page);
    });
    expect(statements).toHaveLength(4);
    if (dialect.name === "postgres") {
      // A project of a few thousand other cases and results (and fresh statistics), as the index is meant for.
      await sql`insert into cases (project_id, id, title, created_at, updated_at)
            select ${project.id}, 1000 + g, 'filler ' || g, 0, 0 from generate_series(1, 5000) g`.execute(
        t.ctx.db,
      );
      await sql`update results set comment = 'filler ' || seq where comment is null`.execute(t.ctx.db);
      await sql`insert into results (hash, project_id, run_id, entry_key, status, comment, created_at, updated_at)
            select 'filler' || g, ${project.id}, 1, 'k' || g, 'failed', 'filler ' || g, 0, 0
              from generate_series(1, 5000) g`.execute(t.ctx.db);
      await sql`analyze cases`.execute(t.ctx.db);
      await sql`analyze results`.execute(t.ctx.db);
    }
    for (const q of statements) {
      if (dialect.name === "sqlite") {
        const plan = (await sqlitePlan(t.ctx.db, q)).join("\n");
        expect(plan, q.sql).toMatch(/VIRTUAL TABLE INDEX \d+:M/);
        expect(plan, q.sql).not.toMatch(/SCAN e\b/);
      } else {
        const plan = await t.ctx.db.transaction().execute(async (tx) => {
          const { rows } = await tx.executeQuery<{ "QUERY PLAN": string }>({ ...q, sql: `explain ${q.sql}` });
          return rows.map((r) => r["QUERY PLAN"]).join("\n");
        });
        expect(plan, q.sql).toMatch(/Bitmap Index Scan on (cases_title_words|results_text_words)/);
      }
    }
  });
});
