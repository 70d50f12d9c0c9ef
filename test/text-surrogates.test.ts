import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { random } from "./helpers/fuzz.js";
import { dialects } from "./helpers/stores.js";

// A test's output cut in the middle of an emoji reaches Verdict as a JSON string with a lone surrogate
// escape ("x\ud83d"). PostgreSQL refused it (a 500, the batch lost) and SQLite stored bytes that read back
// as something else. Both store U+FFFD in its place, in text columns and inside JSON values alike; NULs
// stay as text-nul.test.ts describes (U+FFFD in PostgreSQL text columns, kept everywhere else).

const PIECES = ["\ud83d", "\ude00", "\udbff", "\udc00", "\ud83d\ude00", "\u0000", "a", "é", "\\ud83d", "{"];

/** A short string of random pieces: lone highs and lows, a whole emoji, NULs, a written-out escape. */
function oddText(rnd: () => number): string {
  let s = "t";
  const n = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)];
  return s;
}

describe.each(dialects)("lone surrogates in reported text on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  /** What a text column reads back. */
  const text = (s: string) => {
    const w = s.toWellFormed();
    return dialect.name === "postgres" ? w.replaceAll("\u0000", "\ufffd") : w;
  };
  /** What a value inside JSON reads back. */
  const inJson = (s: string) => s.toWellFormed();

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("SU", owner);
    token = await t.token(owner);
  });
  afterAll(() => t.close());

  it("stores a v2 batch carrying them (bulk path) and reads back the sanitised text, for 20 seeds", async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = random(seed);
      const run = (await call("POST", "/v1/run/SU", { title: `s${seed}`, is_autotest: true })).body.result.id;
      const sent = Array.from({ length: 3 }, (_, i) => ({
        id: `r${i}`,
        title: `${oddText(rnd)} ${seed}-${i}`,
        execution: { status: "failed", stacktrace: oddText(rnd), start_time: 1, end_time: 2, duration: 1000 },
        message: oddText(rnd),
        relations: { suite: { data: [{ title: `suite ${seed}` }] } },
        steps: [{ data: { action: oddText(rnd) }, execution: { status: "failed" } }],
        params: { p: oddText(rnd) },
        fields: {},
        attachments: [],
      }));
      const res = await call("POST", `/v2/SU/run/${run}/results`, { results: sent });
      expect(res.status, `seed ${seed}`).toBe(202);
      const got = (await call("GET", `/v1/result/SU?run=${run}&limit=10`)).body.result.entities as Array<
        Record<string, unknown>
      >;
      const titleOf = new Map<number, string>();
      for (const r of got) {
        const id = r.case_id as number;
        titleOf.set(id, (await call("GET", `/v1/case/SU/${id}`)).body.result.title);
      }
      expect(got).toHaveLength(3);
      const want = sent.map((r) => ({
        title: text(r.title),
        stacktrace: text(r.execution.stacktrace),
        comment: text(r.message),
        action: inJson(r.steps[0]?.data.action ?? ""),
        param: inJson(r.params.p),
      }));
      const read = got.map((r) => ({
        title: titleOf.get(r.case_id as number),
        stacktrace: r.stacktrace,
        comment: r.comment,
        action: (r.steps as Array<{ action: string }>)[0]?.action,
        param: (r.params as Record<string, string>).p,
      }));
      const order = (a: { title?: string | undefined }, b: { title?: string | undefined }) =>
        (a.title ?? "") < (b.title ?? "") ? -1 : 1;
      expect(read.sort(order), `seed ${seed}`).toEqual(want.sort(order));
    }
  });

  it("stores a v1 case carrying them and reads back the sanitised text, for 20 seeds", async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = random(1000 + seed);
      const sent = {
        title: oddText(rnd),
        description: oddText(rnd),
        preconditions: oddText(rnd),
        steps: [{ action: oddText(rnd), expected_result: oddText(rnd) }],
      };
      const res = await call("POST", "/v1/case/SU", sent);
      expect(res.status, `seed ${seed}`).toBe(200);
      const got = (await call("GET", `/v1/case/SU/${res.body.result.id}`)).body.result;
      expect(
        {
          title: got.title,
          description: got.description,
          preconditions: got.preconditions,
          action: got.steps[0]?.action,
          expected: got.steps[0]?.expected_result,
        },
        `seed ${seed}`,
      ).toEqual({
        title: text(sent.title),
        description: text(sent.description),
        preconditions: text(sent.preconditions),
        action: inJson(sent.steps[0]?.action ?? ""),
        expected: inJson(sent.steps[0]?.expected_result ?? ""),
      });
    }
  });
});
