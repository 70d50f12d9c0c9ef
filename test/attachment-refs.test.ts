import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller, fieldsOf, type Reply } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { uploadAttachment } from "./helpers/project-data.js";
import { dialects, rowCount } from "./helpers/stores.js";

/** Case, defect and result writes take only hashes of live attachments of their own project. */
describe.each(dialects)("attachment references in writes on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let dataDir = "";
  let own = "";
  let ownToo = "";
  let foreign = "";
  let deleted = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const refused = (r: Reply, fields: string[]) => {
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(fieldsOf(r).sort()).toEqual([...fields].sort());
  };
  /** What must not move when a write is refused. */
  const stored = async () => ({
    cases: await rowCount(t.store, "cases"),
    versions: await rowCount(t.store, "case_versions"),
    defects: await rowCount(t.store, "defects"),
  });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-refs-"));
    t = await startApp(dialect, { dataDir });
    const owner = await t.user("owner");
    token = await t.token(owner);
    await t.project("AR", owner);
    await t.project("ARX", owner);
    own = await uploadAttachment(t, token, "AR", "mine");
    ownToo = await uploadAttachment(t, token, "AR", "mine too");
    deleted = await uploadAttachment(t, token, "AR", "soon gone");
    expect((await call("DELETE", `/v1/attachment/${deleted}`)).status).toBe(200);
    foreign = await uploadAttachment(t, token, "ARX", "theirs");
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses junk, deleted and other projects' hashes on case create, in steps and in bulk; nothing stored", async () => {
    const before = await stored();
    for (const bad of ["junk", foreign, deleted]) {
      const r = await call("POST", "/v1/case/AR", { title: "c", attachments: [own, bad] });
      refused(r, ["attachments"]);
      expect(r.body.errorFields[0].error).toContain(bad);
      expect(r.body.errorFields[0].error).not.toContain(own);
    }
    refused(
      await call("POST", "/v1/case/AR", {
        title: "c",
        steps: [
          { action: "a", attachments: [own] },
          { action: "b", attachments: ["junk"], steps: [{ action: "c", attachments: [foreign] }] },
        ],
      }),
      ["steps.1.attachments", "steps.1.steps.0.attachments"],
    );
    refused(
      await call("POST", "/v1/case/AR/bulk", {
        cases: [
          { title: "fine", attachments: [own] },
          { title: "bad", attachments: [foreign] },
        ],
      }),
      ["cases.1.attachments"],
    );
    refused(
      await call("POST", "/v1/case/AR/bulk", {
        cases: [{ title: "fine" }, { title: "bad", steps: [{ action: "x", attachments: ["junk"] }] }],
      }),
      ["cases.1.steps.0.attachments"],
    );
    expect(await stored()).toEqual(before);
  });

  it("accepts the project's own hashes on case create, bulk and update; refuses others on update", async () => {
    const created = await call("POST", "/v1/case/AR", {
      title: "ok",
      attachments: [own],
      steps: [{ action: "a", attachments: [ownToo] }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.result.id as number;
    const bulk = await call("POST", "/v1/case/AR/bulk", { cases: [{ title: "b", attachments: [ownToo] }] });
    expect(bulk.status).toBe(200);
    const hashesOf = async (caseId: number) => {
      const c = (await call("GET", `/v1/case/AR/${caseId}`)).body.result;
      return { own: c.attachments.map((a: { hash: string }) => a.hash), steps: c.steps[0]?.attachments };
    };
    expect((await hashesOf(id)).own).toEqual([own]);
    expect((await hashesOf(bulk.body.result.ids[0])).own).toEqual([ownToo]);

    const before = await stored();
    refused(await call("PATCH", `/v1/case/AR/${id}`, { attachments: ["junk"] }), ["attachments"]);
    refused(await call("PATCH", `/v1/case/AR/${id}`, { attachments: [foreign] }), ["attachments"]);
    refused(await call("PATCH", `/v1/case/AR/${id}`, { steps: [{ action: "a", attachments: [foreign] }] }), [
      "steps.0.attachments",
    ]);
    expect(await stored()).toEqual(before);
    expect((await hashesOf(id)).own).toEqual([own]);

    expect((await call("PATCH", `/v1/case/AR/${id}`, { attachments: [own, ownToo] })).status).toBe(200);
    expect((await hashesOf(id)).own).toEqual([own, ownToo]);
  });

  it("refuses junk, deleted and other projects' hashes on defect create and update; accepts its own", async () => {
    const body = { title: "d", actual_result: "broken", severity: "major" };
    const before = await stored();
    for (const bad of ["junk", foreign, deleted]) {
      refused(await call("POST", "/v1/defect/AR", { ...body, attachments: [bad] }), ["attachments"]);
    }
    expect(await stored()).toEqual(before);

    const created = await call("POST", "/v1/defect/AR", { ...body, attachments: [own] });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.result.id as number;
    const hashes = async () =>
      (await call("GET", `/v1/defect/AR/${id}`)).body.result.attachments.map((a: { hash: string }) => a.hash);
    expect(await hashes()).toEqual([own]);
    refused(await call("PATCH", `/v1/defect/AR/${id}`, { attachments: [foreign] }), ["attachments"]);
    refused(await call("PATCH", `/v1/defect/AR/${id}`, { attachments: ["junk"] }), ["attachments"]);
    expect(await hashes()).toEqual([own]);
    expect((await call("PATCH", `/v1/defect/AR/${id}`, { attachments: [ownToo] })).status).toBe(200);
    expect(await hashes()).toEqual([ownToo]);
  });

  it("checks the steps' hashes of a result edit too, as its creation does", async () => {
    const caseId = (await call("POST", "/v1/case/AR", { title: "for results" })).body.result.id;
    const run = (await call("POST", "/v1/run/AR", { title: "r", cases: [caseId] })).body.result.id;
    const hash = (await call("POST", `/v1/result/AR/${run}`, { case_id: caseId, status: "passed" })).body
      .result.hash;
    refused(
      await call("POST", `/v1/result/AR/${run}`, {
        case_id: caseId,
        status: "passed",
        steps: [{ status: "passed", attachments: [foreign] }],
      }),
      ["attachments"],
    );
    const url = `/v1/result/AR/${run}/${hash}`;
    refused(await call("PATCH", url, { attachments: [foreign] }), ["attachments"]);
    refused(await call("PATCH", url, { steps: [{ status: "passed", attachments: ["junk"] }] }), [
      "steps.0.attachments",
    ]);
    expect((await call("GET", `/v1/result/AR/${hash}`)).body.result.steps).toEqual([]);
    const fine = await call("PATCH", url, { steps: [{ status: "passed", attachments: [own] }] });
    expect(fine.status, JSON.stringify(fine.body)).toBe(200);
  });
});
