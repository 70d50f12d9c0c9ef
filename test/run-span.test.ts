import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

/** Unix seconds of a UTC time, as v2 batches carry them. */
const at = (iso: string) => Date.parse(iso) / 1000;

describe.each(dialects)("a run's start, end and duration from its results ($name)", (dialect) => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const newRun = async () =>
    (await call("POST", "/v1/run/SPAN", { title: "CI upload", is_autotest: true })).body.result.id as number;
  const send = async (run: number, results: object[]) =>
    expect((await call("POST", `/v2/SPAN/run/${run}/results`, { results })).status).toBe(202);
  const runOf = async (run: number) => (await call("GET", `/v1/run/SPAN/${run}`)).body.result;

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    token = await t.token(owner);
    await t.project("SPAN", owner);
  });
  afterAll(() => t.close());

  it("starts at the first result's start and ends at the last one's end, in any batch order", async () => {
    const run = await newRun();
    await send(run, [
      {
        title: "pays by card",
        execution: {
          status: "passed",
          start_time: at("2026-03-02T10:01:00Z"),
          end_time: at("2026-03-02T10:05:30Z"),
          duration: 270_000,
        },
      },
    ]);
    await send(run, [
      // Only a start and a duration: its end is their sum, the latest of all.
      {
        title: "refunds",
        execution: { status: "failed", start_time: at("2026-03-02T10:06:00Z"), duration: 26_000 },
      },
      {
        title: "signs in",
        execution: {
          status: "passed",
          start_time: at("2026-03-02T10:00:00Z"),
          end_time: at("2026-03-02T10:00:05Z"),
        },
      },
      { title: "untimed", execution: { status: "passed" } },
    ]);
    const live = await runOf(run);
    expect(live.start_time).toBe("2026-03-02T10:00:00+00:00");
    expect(live.end_time).toBeNull();

    expect((await call("POST", `/v1/run/SPAN/${run}/complete`)).status).toBe(200);
    const done = await runOf(run);
    expect(done.start_time).toBe("2026-03-02T10:00:00+00:00");
    expect(done.end_time).toBe("2026-03-02T10:06:26+00:00");
    expect(done.elapsed_time).toBe(386_000);
    expect(done.time_spent).toBe(270_000 + 26_000 + 5_000);

    // The runs list says the same, and filters by that start.
    const from = at("2026-03-02T09:59:00Z");
    const list = await call("GET", `/v1/run/SPAN?from_start_time=${from}&to_start_time=${from + 120}`);
    expect(list.body.result.entities.map((r: { id: number }) => r.id)).toEqual([run]);
    expect(list.body.result.entities[0].elapsed_time).toBe(386_000);
  });

  it("keeps the run's own times when its results carry none", async () => {
    const before = Date.now();
    const run = await newRun();
    await send(run, [{ title: "quick", execution: { status: "passed", duration: 1200 } }]);
    expect((await call("POST", `/v1/run/SPAN/${run}/complete`)).status).toBe(200);
    const done = await runOf(run);
    const start = Date.parse(done.start_time);
    const end = Date.parse(done.end_time);
    expect(start).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(end).toBeGreaterThanOrEqual(start);
    expect(end).toBeLessThanOrEqual(Date.now() + 1000);
    // The times are shown to the second; the duration is exact.
    expect(Math.abs(done.elapsed_time - (end - start))).toBeLessThan(1000);
    expect(done.time_spent).toBe(1200);
  });
});
