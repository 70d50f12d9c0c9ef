import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

// Cases and suites are ordered by position within their suite (or parent). However they arrive there
// (created, moved by an edit, moved by deleting their suite, several writers at once), no two live
// ones share a position.
describe.each(dialects)("positions on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const suite = async (title: string, parent_id: number | null = null) =>
    (await call("POST", "/v1/suite/PS", { title, parent_id })).body.result.id as number;
  const kase = async (title: string, suite_id: number) =>
    (await call("POST", "/v1/case/PS", { title, suite_id })).body.result.id as number;

  /** [id, position] of the live cases of a suite, or of the live child suites of a parent. */
  async function placed(table: "cases" | "suites", parent: number) {
    const rows = await t.ctx.db
      .selectFrom(table)
      .select(["id", "position"])
      .where(table === "cases" ? "suite_id" : "parent_id", "=", parent)
      .where("deleted_at", "is", null)
      .orderBy("position")
      .execute();
    return rows.map((r) => [Number(r.id), Number(r.position)]);
  }
  const positions = async (table: "cases" | "suites", parent: number) =>
    (await placed(table, parent)).map(([, position]) => position);

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("PS", owner);
    token = await t.token(owner);
  });
  afterAll(() => t.close());

  it("places cases moved in by edits, while others are created there, after the suite's last", async () => {
    const target = await suite("target");
    const source = await suite("source");
    const moving: number[] = [];
    for (let i = 0; i < 12; i++) moving.push(await kase(`moving ${i}`, source));
    const answers = await Promise.all([
      ...moving.map((id) => call("PATCH", `/v1/case/PS/${id}`, { suite_id: target })),
      ...Array.from({ length: 12 }, (_, i) =>
        call("POST", "/v1/case/PS", { title: `new ${i}`, suite_id: target }),
      ),
    ]);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(await positions("cases", target)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it("places the cases and child suites of a deleted suite after the destination's own", async () => {
    const destination = await suite("destination");
    const doomed = await suite("doomed");
    const kept = [await kase("kept 1", destination), await kase("kept 2", destination)];
    const moved = [await kase("moved 1", doomed), await kase("moved 2", doomed)];
    const keptChildren = [await suite("kept child 1", destination), await suite("kept child 2", destination)];
    const movedChildren = [await suite("moved child 1", doomed), await suite("moved child 2", doomed)];
    expect((await call("DELETE", `/v1/suite/PS/${doomed}`, { destination_id: destination })).status).toBe(
      200,
    );
    const inOrder = (ids: number[]) => ids.map((id, i) => [id, i + 1]);
    expect(await placed("cases", destination)).toEqual(inOrder([...kept, ...moved]));
    expect(await placed("suites", destination)).toEqual(inOrder([...keptChildren, ...movedChildren]));
  });

  it("places suites moved or reordered while others are created under the same parent apart", async () => {
    const parent = await suite("parent");
    const elsewhere: number[] = [];
    for (let i = 0; i < 8; i++) elsewhere.push(await suite(`elsewhere ${i}`));
    const answers = await Promise.all([
      ...elsewhere.map((id, i) =>
        call(
          "PATCH",
          `/v1/suite/PS/${id}`,
          i % 2 ? { parent_id: parent } : { parent_id: parent, position: 1 },
        ),
      ),
      ...Array.from({ length: 8 }, (_, i) =>
        call("POST", "/v1/suite/PS", { title: `new ${i}`, parent_id: parent }),
      ),
    ]);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(await positions("suites", parent)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });
});
