import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserRow } from "../src/features/users/users.repository.js";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { filesUnder } from "./helpers/files.js";
import { fillProject, uploadAttachment } from "./helpers/project-data.js";
import { dialects, rowCount } from "./helpers/stores.js";

describe.each(dialects)("deleting a project and reusing its code on $name", (dialect) => {
  let t: TestApp;
  let owner: UserRow;
  let token = "";
  let dataDir = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-reuse-"));
    t = await startApp(dialect, { dataDir });
    owner = await t.user("owner");
    token = await t.token(owner);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers 404 on the Qase API for a deleted project, as for one that never existed", async () => {
    await t.project("GONE", owner);
    const { hash } = await fillProject(t, call, token, "GONE");
    expect((await call("DELETE", "/v1/project/GONE")).status).toBe(200);
    for (const [method, url] of [
      ["GET", "/v1/project/GONE"],
      ["PATCH", "/v1/project/GONE"],
      ["DELETE", "/v1/project/GONE"],
      ["GET", "/v1/case/GONE"],
      ["GET", "/v1/case/GONE/1"],
      ["POST", "/v1/suite/GONE"],
      ["GET", "/v1/run/GONE/1"],
      ["GET", "/v1/result/GONE"],
      ["GET", "/v1/defect/GONE/1"],
      ["GET", `/v1/attachment/${hash}`],
      ["POST", "/v2/GONE/run/1/results"],
    ] as const) {
      const r = await call(method, url, method === "GET" ? undefined : { title: "x", results: [] });
      expect(r.status, `${method} ${url}`).toBe(404);
      expect(r.body.status).toBe(false);
    }
    expect((await call("GET", "/v1/project?limit=100")).body.result.entities).toEqual([]);
  });

  it("takes the code of a deleted project that held every kind of data (200), and starts it empty", async () => {
    await t.project("FULL", owner);
    const old = await fillProject(t, call, token, "FULL");
    expect((await call("DELETE", "/v1/project/FULL")).status).toBe(200);

    const again = await call("POST", "/v1/project", { title: "Again", code: "FULL", access: "none" });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.result).toEqual({ code: "FULL" });

    const project = (await call("GET", "/v1/project/FULL")).body.result;
    expect(project.title).toBe("Again");
    expect(project.counts).toEqual({
      cases: 0,
      suites: 0,
      milestones: 0,
      runs: { total: 0, active: 0 },
      defects: { total: 0, open: 0 },
    });
    const lists = [
      "/v1/case/FULL",
      "/v1/suite/FULL",
      "/v1/milestone/FULL",
      "/v1/environment/FULL",
      "/v1/configuration/FULL",
      "/v1/plan/FULL",
      "/v1/run/FULL",
      "/v1/result/FULL",
      "/v1/defect/FULL",
      "/v1/review/FULL",
      "/v1/shared_step/FULL",
    ];
    for (const url of lists) expect((await call("GET", url)).body.result.total, url).toBe(0);
    for (const url of [`/v1/case/FULL/${old.caseId}`, `/v1/run/FULL/${old.run}`, "/v1/defect/FULL/1"]) {
      expect((await call("GET", url)).status, url).toBe(404);
    }
    // The old attachment is gone with its project, and the new one cannot refer to it.
    expect((await call("GET", `/v1/attachment/${old.hash}`)).status).toBe(404);
    expect((await call("POST", "/v1/case/FULL", { title: "x", attachments: [old.hash] })).status).toBe(422);
    // Custom fields and shared parameters enabled for the old project are not enabled for the new one.
    const field = (await call("GET", "/v1/custom_field?limit=100")).body.result.entities.find(
      (f: { title: string }) => f.title === "F FULL",
    );
    expect(field.projects_codes).toEqual([]);
    const param = (await call("GET", "/v1/shared_parameter?limit=100")).body.result.entities.find(
      (p: { title: string }) => p.title === "P FULL",
    );
    expect(param.project_codes).toEqual([]);
    // Members of the old project, and tokens restricted to it, do not reach the new (closed) one.
    expect(
      (await call("GET", "/v1/project/FULL/access")).body.result.entities.map((m: { id: number }) => m.id),
    ).not.toContain(old.member.id);
    expect((await call("GET", "/v1/project/FULL", undefined, old.restricted)).status).toBe(403);
    expect((await call("GET", "/v1/project/FULL", undefined, await t.token(old.member))).status).toBe(403);

    // The new project works: ids start over.
    expect((await call("POST", "/v1/case/FULL", { title: "First" })).body.result.id).toBe(1);
    expect((await call("POST", "/v1/run/FULL", { title: "First run" })).body.result.id).toBe(1);
  });

  it("removes the old project's files that nothing else uses when its code is taken again", async () => {
    await t.project("FILES", owner);
    await t.project("KEEP", owner);
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    const blobs = () => filesUnder(path.join(dataDir, "attachments", "blobs"));
    await uploadAttachment(t, token, "FILES", "only in FILES");
    await uploadAttachment(t, token, "FILES", "in both");
    const kept = await uploadAttachment(t, token, "KEEP", "in both");
    expect(blobs()).toEqual(expect.arrayContaining([sha("only in FILES"), sha("in both")]));
    const before = await rowCount(t.store, "attachment_blobs");
    expect((await call("DELETE", "/v1/project/FILES")).status).toBe(200);
    // Deleting keeps the files (the project is a tombstone until its code is reused).
    expect(blobs()).toContain(sha("only in FILES"));

    expect((await call("POST", "/v1/project", { title: "Files again", code: "FILES" })).status).toBe(200);
    expect(blobs()).not.toContain(sha("only in FILES"));
    expect(blobs()).toContain(sha("in both"));
    expect(await rowCount(t.store, "attachment_blobs")).toBe(before - 1);
    const download = await t.app.inject({ url: `/v1/attachment/${kept}/download`, headers: { token } });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe("in both");
  });

  it("deletes and re-creates the same code twice in a row", async () => {
    for (let i = 0; i < 2; i++) {
      await t.project("TWICE", owner);
      await fillProject(t, call, token, "TWICE");
      expect((await call("DELETE", "/v1/project/TWICE")).status).toBe(200);
    }
    expect((await call("POST", "/v1/project", { title: "Third", code: "twice" })).status).toBe(200);
    expect((await call("GET", "/v1/case/TWICE")).body.result.total).toBe(0);
  });
});
