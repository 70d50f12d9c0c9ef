import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findProjectByCode } from "../src/features/projects/projects.repository.js";
import { allocateIds } from "../src/features/projects/sequences.repository.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("per-project id sequences on $name", (dialect) => {
  let t: TestApp;
  let projectId: number;
  let otherId: number;

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("SEQ", owner);
    await t.project("OTH", owner);
    projectId = (await findProjectByCode(t.ctx.db, "SEQ"))?.id ?? 0;
    otherId = (await findProjectByCode(t.ctx.db, "OTH"))?.id ?? 0;
  });
  afterAll(() => t.close());

  it("hands out unique, gap-free ids to concurrent transactions", async () => {
    const ids = await Promise.all(
      Array.from({ length: 60 }, () =>
        t.ctx.db.transaction().execute((tx) => allocateIds(tx, projectId, "case")),
      ),
    );
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it("numbers each project and entity on its own and reserves ranges", async () => {
    expect(await allocateIds(t.ctx.db, otherId, "case")).toBe(1);
    expect(await allocateIds(t.ctx.db, projectId, "run", 5)).toBe(1);
    expect(await allocateIds(t.ctx.db, projectId, "run")).toBe(6);
  });

  it("gives ids back when the transaction rolls back", async () => {
    const before = await allocateIds(t.ctx.db, projectId, "suite");
    await expect(
      t.ctx.db.transaction().execute(async (tx) => {
        await allocateIds(tx, projectId, "suite", 3);
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await allocateIds(t.ctx.db, projectId, "suite")).toBe(before + 1);
  });
});
