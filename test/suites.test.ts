import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("suites on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let viewerToken = "";

  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const suite = async (title: string, parent_id?: number) =>
    (await call("POST", "/v1/suite/ST", { title, ...(parent_id ? { parent_id } : {}) })).body.result
      .id as number;
  const kase = async (title: string, suite_id?: number) =>
    (await call("POST", "/v1/case/ST", { title, ...(suite_id ? { suite_id } : {}) })).body.result
      .id as number;

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("ST", owner);
    await t.project("OTHER", owner);
    token = await t.token(owner);
    viewerToken = await t.token(await t.user("viewer"));
  });
  afterAll(() => t.close());

  it("creates, reads, lists and edits suites in Qase's shape", async () => {
    const created = await call("POST", "/v1/suite/ST", {
      title: " Auth ",
      description: "d",
      preconditions: "p",
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ status: true, result: { id: expect.any(Number) } });
    const id = created.body.result.id;
    const child = await suite("Login", id);
    await kase("one", child);
    await kase("two", child);

    const got = await call("GET", `/v1/suite/ST/${child}`);
    expect(got.body.result).toMatchObject({
      id: child,
      title: "Login",
      description: null,
      preconditions: null,
      parent_id: id,
      position: 1,
      cases_count: 2,
    });
    expect(got.body.result.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(got.body.result.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const root = (await call("GET", `/v1/suite/ST/${id}`)).body.result;
    expect(root).toMatchObject({ title: "Auth", description: "d", preconditions: "p", parent_id: null });

    const patched = await call("PATCH", `/v1/suite/ST/${id}`, { title: "Authentication", description: null });
    expect(patched.body).toEqual({ status: true, result: { id } });
    expect((await call("GET", `/v1/suite/ST/${id}`)).body.result).toMatchObject({
      title: "Authentication",
      description: null,
      preconditions: "p",
    });

    const list = await call("GET", "/v1/suite/ST?search=LOG&limit=1");
    expect(list.body.result).toMatchObject({ filtered: 1, count: 1 });
    expect(list.body.result.total).toBeGreaterThanOrEqual(2);
    expect(list.body.result.entities[0]).toMatchObject({ id: child, cases_count: 2 });
    // The viewer may read.
    expect((await call("GET", "/v1/suite/ST", undefined, viewerToken)).status).toBe(200);
    expect((await call("POST", "/v1/suite/ST", { title: "x" }, viewerToken)).status).toBe(403);
  });

  it("refuses bad input with 422 and errorFields, storing nothing", async () => {
    const before = (await call("GET", "/v1/suite/ST")).body.result.total;
    const cases: [unknown, string][] = [
      [{}, "title"],
      [{ title: "" }, "title"],
      [{ title: "   " }, "title"],
      [{ title: "x".repeat(256) }, "title"],
      [{ title: "x", parent_id: 99999 }, "parent_id"],
      [{ title: "x", parent_id: "abc" }, "parent_id"],
    ];
    for (const [body, field] of cases) {
      const r = await call("POST", "/v1/suite/ST", body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.status).toBe(false);
      expect(r.body.errorFields.map((f: { field: string }) => f.field)).toContain(field);
    }
    // A suite of another project is not a parent here.
    const foreign = (await call("POST", "/v1/suite/OTHER", { title: "elsewhere" })).body.result.id;
    const mine = (await call("GET", "/v1/suite/ST")).body.result.total;
    expect(mine).toBe(before);
    expect((await call("POST", "/v1/suite/ST", { title: "x", parent_id: foreign + 1000 })).status).toBe(422);
    expect((await call("GET", "/v1/suite/ST")).body.result.total).toBe(before);
  });

  it("keeps the tree acyclic and appends to the new parent's children", async () => {
    const a = await suite("A");
    const b = await suite("B", a);
    const c = await suite("C", b);
    for (const parent of [a, b, c]) {
      const r = await call("PATCH", `/v1/suite/ST/${a}`, { parent_id: parent });
      expect(r.status).toBe(422);
      expect(r.body.errorFields[0].field).toBe("parent_id");
    }
    expect((await call("GET", `/v1/suite/ST/${a}`)).body.result.parent_id).toBeNull();
    const d = await suite("D", a);
    expect((await call("GET", `/v1/suite/ST/${d}`)).body.result.position).toBe(2);
    expect((await call("PATCH", `/v1/suite/ST/${c}`, { parent_id: a })).status).toBe(200);
    expect((await call("GET", `/v1/suite/ST/${c}`)).body.result).toMatchObject({ parent_id: a, position: 3 });
    expect((await call("PATCH", `/v1/suite/ST/${c}`, { parent_id: null })).status).toBe(200);
    expect((await call("GET", `/v1/suite/ST/${c}`)).body.result.parent_id).toBeNull();
  });

  it("places a suite among its siblings by position (Verdict extension), renumbering the others", async () => {
    const parent = await suite("Orderable");
    const [p, q, r, s] = [
      await suite("P", parent),
      await suite("Q", parent),
      await suite("R", parent),
      await suite("S"),
    ];
    const order = async (under: number) =>
      (
        (await call("GET", "/v1/suite/ST?limit=100")).body.result.entities as {
          id: number;
          parent_id: number | null;
          position: number;
        }[]
      )
        .filter((x) => x.parent_id === under)
        .sort((x, y) => x.position - y.position)
        .map((x) => [x.id, x.position]);
    // Move R to the front of its siblings.
    expect((await call("PATCH", `/v1/suite/ST/${r}`, { position: 1 })).status).toBe(200);
    expect(await order(parent)).toEqual([
      [r, 1],
      [p, 2],
      [q, 3],
    ]);
    // Nest S under the parent in second place, in one request.
    expect((await call("PATCH", `/v1/suite/ST/${s}`, { parent_id: parent, position: 2 })).status).toBe(200);
    expect(await order(parent)).toEqual([
      [r, 1],
      [s, 2],
      [p, 3],
      [q, 4],
    ]);
    // A position past the end lands last; 0 is refused with the field named.
    expect((await call("PATCH", `/v1/suite/ST/${r}`, { position: 99 })).status).toBe(200);
    expect(await order(parent)).toEqual([
      [s, 1],
      [p, 2],
      [q, 3],
      [r, 4],
    ]);
    const bad = await call("PATCH", `/v1/suite/ST/${r}`, { position: 0 });
    expect(bad.status).toBe(422);
    expect(bad.body.errorFields[0].field).toBe("position");
    expect(await order(parent)).toEqual([
      [s, 1],
      [p, 2],
      [q, 3],
      [r, 4],
    ]);
  });

  it("deletes with a destination: cases and child suites move there", async () => {
    const src = await suite("Source");
    const sub = await suite("Sub", src);
    const dest = await suite("Dest");
    const c1 = await kase("moved 1", src);
    const c2 = await kase("moved 2", src);
    const c3 = await kase("stays in sub", sub);

    // The destination must be live and outside the deleted subtree.
    expect((await call("DELETE", `/v1/suite/ST/${src}`, { destination_id: sub })).status).toBe(422);
    expect((await call("DELETE", `/v1/suite/ST/${src}`, { destination_id: src })).status).toBe(422);
    expect((await call("DELETE", `/v1/suite/ST/${src}`, { destination_id: 424242 })).status).toBe(422);
    expect((await call("GET", `/v1/suite/ST/${src}`)).status).toBe(200);

    const del = await call("DELETE", `/v1/suite/ST/${src}`, { destination_id: dest });
    expect(del.body).toEqual({ status: true, result: { id: src } });
    expect((await call("GET", `/v1/suite/ST/${src}`)).status).toBe(410);
    expect((await call("GET", `/v1/suite/ST/${sub}`)).body.result.parent_id).toBe(dest);
    for (const c of [c1, c2]) {
      const got = (await call("GET", `/v1/case/ST/${c}`)).body.result;
      expect(got.suite_id).toBe(dest);
      expect(got.version).toBe(2);
    }
    expect((await call("GET", `/v1/case/ST/${c3}`)).body.result.suite_id).toBe(sub);
    expect((await call("GET", `/v1/suite/ST/${dest}`)).body.result.cases_count).toBe(2);
    const versions = (await call("GET", `/v1/case/ST/${c1}/versions`)).body.result.entities;
    expect(versions[1].changes).toEqual(["suite_id"]);
  });

  it("deletes without a destination: the subtree and its cases are gone (410), others stay", async () => {
    const top = await suite("Top");
    const mid = await suite("Mid", top);
    const leaf = await suite("Leaf", mid);
    const keep = await suite("Keep");
    const inTop = await kase("in top", top);
    const inLeaf = await kase("in leaf", leaf);
    const kept = await kase("kept", keep);
    const totalBefore = (await call("GET", "/v1/case/ST")).body.result.total;

    const del = await call("DELETE", `/v1/suite/ST/${top}`);
    expect(del.status).toBe(200);
    for (const s of [top, mid, leaf]) expect((await call("GET", `/v1/suite/ST/${s}`)).status).toBe(410);
    for (const c of [inTop, inLeaf]) expect((await call("GET", `/v1/case/ST/${c}`)).status).toBe(410);
    expect((await call("GET", `/v1/case/ST/${kept}`)).status).toBe(200);
    const after = (await call("GET", "/v1/case/ST")).body.result;
    expect(after.total).toBe(totalBefore - 2);
    const ids = (await call("GET", "/v1/suite/ST?limit=100")).body.result.entities.map(
      (s: { id: number }) => s.id,
    );
    expect(ids).not.toContain(mid);
    expect(ids).toContain(keep);

    // Gone stays gone; a suite that never existed is 404.
    expect((await call("DELETE", `/v1/suite/ST/${top}`)).status).toBe(410);
    expect((await call("PATCH", `/v1/suite/ST/${mid}`, { title: "x" })).status).toBe(410);
    expect((await call("GET", "/v1/suite/ST/987654")).status).toBe(404);
    // A deleted suite is neither a parent nor a home for cases.
    expect((await call("POST", "/v1/suite/ST", { title: "x", parent_id: leaf })).status).toBe(422);
    expect((await call("POST", "/v1/case/ST", { title: "x", suite_id: leaf })).status).toBe(422);
  });
});
