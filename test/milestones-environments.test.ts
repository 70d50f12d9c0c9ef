import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findEnvironmentById,
  findEnvironmentBySlug,
} from "../src/features/environments/environments.repository.js";
import { findProjectByCode } from "../src/features/projects/projects.repository.js";
import { apiCaller, type Reply } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("milestones, environments and configurations on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let viewerToken = "";
  let ciToken = "";

  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const fields = (r: Reply) => (r.body.errorFields ?? []).map((f: { field: string }) => f.field);
  const projectId = async (code: string) => (await findProjectByCode(t.ctx.db, code))?.id ?? 0;

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("ME", owner);
    await t.project("MEB", owner);
    token = await t.token(owner);
    viewerToken = await t.token(await t.user("viewer"));
    ciToken = await t.token(await t.user("member"), { scopes: ["results"] });
  });
  afterAll(() => t.close());

  describe("milestones", () => {
    it("creates, reads, lists, edits and deletes milestones in Qase's shape", async () => {
      const due = Date.UTC(2030, 5, 1, 12, 0, 0) / 1000;
      const created = await call("POST", "/v1/milestone/ME", {
        title: " Release 1.0 ",
        description: "first",
        status: "active",
        due_date: due,
      });
      expect(created).toEqual({ status: 200, body: { status: true, result: { id: 1 } } });
      const second = await call("POST", "/v1/milestone/ME", { title: "Release 2.0" });
      expect(second.body.result.id).toBe(2);
      // Ids are per project.
      expect((await call("POST", "/v1/milestone/MEB", { title: "Other" })).body.result.id).toBe(1);

      const got = await call("GET", "/v1/milestone/ME/1");
      expect(got.status).toBe(200);
      expect(got.body.result).toEqual({
        id: 1,
        title: "Release 1.0",
        description: "first",
        status: "active",
        due_date: "2030-06-01T12:00:00+00:00",
        created: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        updated: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
        created_at: expect.stringMatching(/\+00:00$/),
        updated_at: expect.stringMatching(/\+00:00$/),
      });
      const plain = (await call("GET", "/v1/milestone/ME/2")).body.result;
      expect(plain).toMatchObject({ status: "active", due_date: null, description: null });

      const list = await call("GET", "/v1/milestone/ME?search=2.0&limit=5");
      expect(list.body.result).toMatchObject({ total: 2, filtered: 1, count: 1 });
      expect(list.body.result.entities[0].title).toBe("Release 2.0");
      const paged = await call("GET", "/v1/milestone/ME?limit=1&offset=1");
      expect(paged.body.result.entities.map((m: { id: number }) => m.id)).toEqual([2]);

      const edited = await call("PATCH", "/v1/milestone/ME/1", { status: "completed", due_date: null });
      expect(edited).toEqual({ status: 200, body: { status: true, result: { id: 1 } } });
      expect((await call("GET", "/v1/milestone/ME/1")).body.result).toMatchObject({
        title: "Release 1.0",
        status: "completed",
        due_date: null,
      });

      expect((await call("DELETE", "/v1/milestone/ME/2")).body).toEqual({ status: true, result: { id: 2 } });
      expect((await call("GET", "/v1/milestone/ME/2")).status).toBe(410);
      expect((await call("PATCH", "/v1/milestone/ME/2", { title: "x" })).status).toBe(410);
      expect((await call("DELETE", "/v1/milestone/ME/2")).status).toBe(410);
      expect((await call("GET", "/v1/milestone/ME/99")).status).toBe(404);
      expect((await call("GET", "/v1/milestone/ME")).body.result.total).toBe(1);
      expect((await call("GET", "/v1/project/ME")).body.result.counts.milestones).toBe(1);
      // A deleted milestone is no longer something a case can point at.
      const kase = await call("POST", "/v1/case/ME", { title: "c", milestone_id: 2 });
      expect(kase.status).toBe(422);
      expect(fields(kase)).toEqual(["milestone_id"]);
    });

    it("refuses bad input with the field names and stores nothing", async () => {
      const before = (await call("GET", "/v1/milestone/ME")).body.result.total;
      const blank = await call("POST", "/v1/milestone/ME", { title: "   " });
      expect(blank.status).toBe(422);
      expect(fields(blank)).toEqual(["title"]);
      const status = await call("POST", "/v1/milestone/ME", { title: "x", status: "done" });
      expect(status.status).toBe(422);
      expect(fields(status)).toEqual(["status"]);
      const due = await call("POST", "/v1/milestone/ME", { title: "x", due_date: "tomorrow" });
      expect(fields(due)).toEqual(["due_date"]);
      expect(fields(await call("POST", "/v1/milestone/ME", { title: "x".repeat(256) }))).toEqual(["title"]);
      expect((await call("GET", "/v1/milestone/ME")).body.result.total).toBe(before);
    });

    it("lets viewers read but not write", async () => {
      expect((await call("GET", "/v1/milestone/ME", undefined, viewerToken)).status).toBe(200);
      expect((await call("POST", "/v1/milestone/ME", { title: "v" }, viewerToken)).status).toBe(403);
      expect((await call("POST", "/v1/milestone/ME", { title: "v" }, ciToken)).status).toBe(403);
    });
  });

  describe("environments", () => {
    it("creates, filters, reads, edits and deletes environments", async () => {
      const created = await call("POST", "/v1/environment/ME", {
        title: "Staging",
        slug: "staging",
        description: "pre-prod",
        host: "staging.example.test",
      });
      expect(created).toEqual({ status: 200, body: { status: true, result: { id: 1 } } });
      const prod = (await call("POST", "/v1/environment/ME", { title: "Production", slug: "prod" })).body
        .result.id;
      expect(prod).toBe(2);

      expect((await call("GET", "/v1/environment/ME/1")).body.result).toEqual({
        id: 1,
        title: "Staging",
        description: "pre-prod",
        slug: "staging",
        host: "staging.example.test",
      });
      const bySlug = (await call("GET", "/v1/environment/ME?slug=prod&limit=100")).body.result;
      expect(bySlug).toMatchObject({ total: 2, filtered: 1, count: 1 });
      expect(bySlug.entities[0]).toEqual({
        id: 2,
        title: "Production",
        description: null,
        slug: "prod",
        host: null,
      });
      // slug is an exact match, search a case-insensitive "title contains".
      expect((await call("GET", "/v1/environment/ME?slug=pro")).body.result.filtered).toBe(0);
      expect((await call("GET", "/v1/environment/ME?search=STAG")).body.result.entities[0].id).toBe(1);

      expect((await call("PATCH", "/v1/environment/ME/2", { host: "example.test" })).body).toEqual({
        status: true,
        result: { id: 2 },
      });
      expect((await call("GET", "/v1/environment/ME/2")).body.result.host).toBe("example.test");

      // What the runs feature looks environments up with.
      const pid = await projectId("ME");
      expect((await findEnvironmentBySlug(t.ctx.db, pid, "prod"))?.id).toBe(2);
      expect(await findEnvironmentBySlug(t.ctx.db, pid, "nope")).toBeUndefined();
      expect((await findEnvironmentById(t.ctx.db, pid, 1))?.slug).toBe("staging");
      expect(await findEnvironmentById(t.ctx.db, await projectId("MEB"), 1)).toBeUndefined();

      expect((await call("DELETE", "/v1/environment/ME/2")).body).toEqual({
        status: true,
        result: { id: 2 },
      });
      expect((await call("GET", "/v1/environment/ME/2")).status).toBe(410);
      expect((await call("GET", "/v1/environment/ME/77")).status).toBe(404);
      expect(await findEnvironmentBySlug(t.ctx.db, pid, "prod")).toBeUndefined();
      expect((await findEnvironmentById(t.ctx.db, pid, 2))?.deleted_at).not.toBeNull();
      // The slug of a deleted environment is free again.
      expect(
        (await call("POST", "/v1/environment/ME", { title: "Prod again", slug: "prod" })).body.result.id,
      ).toBe(3);
    });

    it("keeps slugs unique per project among live environments (422), also under concurrency", async () => {
      const dup = await call("POST", "/v1/environment/ME", { title: "Copy", slug: "staging" });
      expect(dup.status).toBe(422);
      expect(fields(dup)).toEqual(["slug"]);
      expect(dup.body.errorMessage).toContain("staging");
      const rename = await call("PATCH", "/v1/environment/ME/3", { slug: "staging" });
      expect(rename.status).toBe(422);
      expect((await call("GET", "/v1/environment/ME/3")).body.result.slug).toBe("prod");
      // Same slug in another project is fine; keeping one's own slug is fine.
      expect((await call("POST", "/v1/environment/MEB", { title: "S", slug: "staging" })).status).toBe(200);
      expect((await call("PATCH", "/v1/environment/ME/1", { slug: "staging", title: "Stage" })).status).toBe(
        200,
      );

      const racers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          call("POST", "/v1/environment/ME", { title: `R${i}`, slug: "race" }),
        ),
      );
      expect(racers.map((r) => r.status).sort()).toEqual([200, 422, 422, 422, 422, 422]);
      const live = (await call("GET", "/v1/environment/ME?slug=race")).body.result;
      expect(live.filtered).toBe(1);
      // Refused creates gave their ids back: the next one follows the winner.
      const next = (await call("POST", "/v1/environment/ME", { title: "after", slug: "after" })).body.result
        .id;
      expect(next).toBe(live.entities[0].id + 1);
    });

    it("refuses bad input and enforces write permission", async () => {
      const bad = await call("POST", "/v1/environment/ME", { title: " ", slug: "has space" });
      expect(bad.status).toBe(422);
      expect(fields(bad).sort()).toEqual(["slug", "title"]);
      expect(fields(await call("POST", "/v1/environment/ME", { title: "no slug" }))).toEqual(["slug"]);
      expect((await call("GET", "/v1/environment/ME?slug=has%20space")).body.result.filtered).toBe(0);
      expect((await call("POST", "/v1/environment/ME", { title: "v", slug: "v" }, viewerToken)).status).toBe(
        403,
      );
      expect((await call("DELETE", "/v1/environment/ME/1", undefined, viewerToken)).status).toBe(403);
      expect((await call("GET", "/v1/environment/ME", undefined, viewerToken)).status).toBe(200);
    });
  });

  describe("configurations", () => {
    it("creates groups and configurations and lists them grouped", async () => {
      const empty = await call("GET", "/v1/configuration/ME");
      expect(empty.body).toEqual({ status: true, result: { total: 0, filtered: 0, count: 0, entities: [] } });

      const browser = (await call("POST", "/v1/configuration/ME/group", { title: "Browser" })).body.result.id;
      const os = (await call("POST", "/v1/configuration/ME/group", { title: "OS" })).body.result.id;
      const chrome = await call("POST", "/v1/configuration/ME", { title: "Chrome", group_id: browser });
      expect(chrome.status).toBe(200);
      const firefox = (await call("POST", "/v1/configuration/ME", { title: "Firefox", group_id: browser }))
        .body.result.id;
      const linux = (await call("POST", "/v1/configuration/ME", { title: "Linux", group_id: os })).body.result
        .id;

      const list = (await call("GET", "/v1/configuration/ME")).body.result;
      expect(list).toEqual({
        total: 2,
        filtered: 2,
        count: 2,
        entities: [
          {
            id: browser,
            title: "Browser",
            configurations: [
              { id: chrome.body.result.id, title: "Chrome" },
              { id: firefox, title: "Firefox" },
            ],
          },
          { id: os, title: "OS", configurations: [{ id: linux, title: "Linux" }] },
        ],
      });
      expect((await call("GET", "/v1/configuration/MEB")).body.result.total).toBe(0);
    });

    it("answers the existing id for a title already there (idempotent, also concurrently)", async () => {
      const groups = await Promise.all(
        Array.from({ length: 5 }, () => call("POST", "/v1/configuration/ME/group", { title: "Device" })),
      );
      expect(groups.map((g) => g.status)).toEqual([200, 200, 200, 200, 200]);
      const ids = new Set(groups.map((g) => g.body.result.id));
      expect(ids.size).toBe(1);
      const group = [...ids][0];
      const items = await Promise.all(
        Array.from({ length: 5 }, () =>
          call("POST", "/v1/configuration/ME", { title: "Pixel", group_id: group }),
        ),
      );
      expect(new Set(items.map((i) => i.body.result.id)).size).toBe(1);
      const device = (await call("GET", "/v1/configuration/ME")).body.result.entities.filter(
        (g: { title: string }) => g.title === "Device",
      );
      expect(device).toHaveLength(1);
      expect(device[0].configurations).toHaveLength(1);
    });

    it("refuses unknown groups and blank titles; CI tokens may create, viewers may not", async () => {
      const unknown = await call("POST", "/v1/configuration/ME", { title: "X", group_id: 9999 });
      expect(unknown.status).toBe(422);
      expect(fields(unknown)).toEqual(["group_id"]);
      const otherGroup = (await call("POST", "/v1/configuration/MEB/group", { title: "Theirs" })).body.result
        .id;
      expect((await call("POST", "/v1/configuration/ME", { title: "X", group_id: otherGroup })).status).toBe(
        422,
      );
      expect((await call("POST", "/v1/configuration/ME/group", { title: "  " })).status).toBe(422);

      const ci = await call("POST", "/v1/configuration/ME/group", { title: "Locale" }, ciToken);
      expect(ci.status).toBe(200);
      expect(
        (await call("POST", "/v1/configuration/ME", { title: "de", group_id: ci.body.result.id }, ciToken))
          .status,
      ).toBe(200);
      expect((await call("POST", "/v1/configuration/ME/group", { title: "V" }, viewerToken)).status).toBe(
        403,
      );
      expect((await call("GET", "/v1/configuration/ME", undefined, viewerToken)).status).toBe(200);
    });
  });
});
