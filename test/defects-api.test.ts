import type { AddressInfo } from "node:net";
import { Configuration, type Defect, DefectsApi } from "qase-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller, fieldsOf } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { statusOf } from "./helpers/client.js";
import { dialects } from "./helpers/stores.js";

/** Every key of the client's Defect: one it adds breaks compilation, one we drop fails the test. */
const DEFECT_KEYS: Record<keyof Defect, true> = {
  id: true,
  title: true,
  actual_result: true,
  severity: true,
  status: true,
  milestone_id: true,
  custom_fields: true,
  attachments: true,
  resolved_at: true,
  member_id: true,
  author_id: true,
  external_data: true,
  runs: true,
  results: true,
  tags: true,
  created_at: true,
  updated_at: true,
  created: true,
  updated: true,
};

describe.each(dialects)("defects through qase-api-client on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let viewerToken = "";
  let api: DefectsApi;
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("DF", owner);
    token = await t.token(owner);
    viewerToken = await t.token(await t.user("viewer"));
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    api = new DefectsApi(new Configuration({ apiKey: token, basePath: `http://127.0.0.1:${port}/v1` }));
  });
  afterAll(() => t.close());

  it("creates, reads, lists by status, updates, resolves, moves and deletes a defect", async () => {
    const created = await api.createDefect("DF", {
      title: "Checkout crashes",
      actual_result: "500 on pay",
      severity: 2,
      tags: ["payments", "payments"],
    });
    const id = created.data.result?.id as number;
    expect(id).toBeGreaterThan(0);
    const read = (await api.getDefect("DF", id)).data.result as Defect;
    expect(Object.keys(DEFECT_KEYS).filter((k) => !(k in read))).toEqual([]);
    expect(read).toMatchObject({
      title: "Checkout crashes",
      actual_result: "500 on pay",
      severity: "critical",
      status: "open",
      resolved_at: null,
      tags: [{ title: "payments", internal_id: expect.any(Number) }],
    });

    await api.updateDefect("DF", id, { title: "Checkout crashes on pay", severity: "blocker" as never });
    expect((await api.getDefect("DF", id)).data.result).toMatchObject({
      title: "Checkout crashes on pay",
      severity: "blocker",
    });

    const open = await api.getDefects("DF", "open", 100, 0);
    expect(open.data.result?.entities?.map((d) => d.id)).toContain(id);
    await api.updateDefectStatus("DF", id, { status: "in_progress" as never });
    expect(
      (await api.getDefects("DF", "open", 100, 0)).data.result?.entities?.map((d) => d.id),
    ).not.toContain(id);
    await api.resolveDefect("DF", id);
    const resolved = (await api.getDefect("DF", id)).data.result as Defect;
    expect(resolved.status).toBe("resolved");
    expect(resolved.resolved_at).toEqual(expect.any(String));
    expect((await call("GET", "/v1/project/DF")).body.result.counts.defects).toEqual({ total: 1, open: 0 });

    expect((await api.deleteDefect("DF", id)).data.result?.id).toBe(id);
    expect(await statusOf(api.getDefect("DF", id))).toBe(410);
    expect(await statusOf(api.getDefect("DF", 424242))).toBe(404);
  });

  it("refuses bad input with 422 naming each field, and viewers with 403", async () => {
    const before = (await call("GET", "/v1/defect/DF?limit=100")).body.result.total;
    const bad = await call("POST", "/v1/defect/DF", {
      title: "x",
      actual_result: "y",
      severity: "apocalyptic",
      milestone_id: 9999,
    });
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad).sort()).toEqual(["milestone_id", "severity"]);
    expect((await call("GET", "/v1/defect/DF?limit=100")).body.result.total).toBe(before);
    expect(
      (await call("POST", "/v1/defect/DF", { title: "v", actual_result: "v", severity: 1 }, viewerToken))
        .status,
    ).toBe(403);
  });
});
