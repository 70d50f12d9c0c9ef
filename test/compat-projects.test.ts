import type { AddressInfo } from "node:net";
import {
  Configuration,
  type Project,
  type ProjectCounts,
  ProjectCreateAccessEnum,
  ProjectsApi,
  SuitesApi,
} from "qase-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserRow } from "../src/features/users/users.repository.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { missing, statusOf } from "./helpers/client.js";
import { dialects } from "./helpers/stores.js";

/** Every key of the client's read models: a key the client adds breaks compilation, one we drop fails. */
const PROJECT_KEYS: Record<keyof Project, true> = { title: true, code: true, counts: true };
const COUNTS_KEYS: Record<keyof ProjectCounts, true> = {
  cases: true,
  suites: true,
  milestones: true,
  runs: true,
  defects: true,
};

describe.each(dialects)("qase-api-client ProjectsApi on $name", (dialect) => {
  let t: TestApp;
  let port = 0;
  let member: UserRow;
  /** The API as the given token's holder sees it. */
  const as = (token: string) =>
    new ProjectsApi(new Configuration({ apiKey: token, basePath: `http://127.0.0.1:${port}/v1` }));
  let admin: ProjectsApi;
  let asMember: ProjectsApi;
  let adminToken = "";

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("admin");
    member = await t.user("member");
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    port = (t.app.server.address() as AddressInfo).port;
    adminToken = await t.token(owner);
    admin = as(adminToken);
    asMember = as(await t.token(member));
  });
  afterAll(() => t.close());

  it("creates, reads, lists and deletes projects with the v1 client, every read-model key present", async () => {
    const created = await admin.createProject({
      title: "Client project",
      code: "CLP",
      description: "made by qase-api-client",
      access: ProjectCreateAccessEnum.ALL,
    });
    expect(created.data).toEqual({ status: true, result: { code: "CLP" } });
    await new SuitesApi(
      new Configuration({ apiKey: adminToken, basePath: `http://127.0.0.1:${port}/v1` }),
    ).createSuite("CLP", { title: "Checkout" });

    const got = (await admin.getProject("CLP")).data.result as Project;
    expect(missing(PROJECT_KEYS, got)).toEqual([]);
    expect(missing(COUNTS_KEYS, got.counts)).toEqual([]);
    expect(got).toMatchObject({ title: "Client project", code: "CLP" });
    expect(got.counts).toEqual({
      cases: 0,
      suites: 1,
      milestones: 0,
      runs: { total: 0, active: 0 },
      defects: { total: 0, open: 0 },
    });

    await admin.createProject({ title: "Second", code: "CLQ" });
    const page = (await admin.getProjects(1, 0)).data.result;
    expect(page).toMatchObject({ total: 2, filtered: 2, count: 1 });
    expect(page?.entities).toHaveLength(1);
    const codes = [
      ...((await admin.getProjects(1, 0)).data.result?.entities ?? []),
      ...((await admin.getProjects(1, 1)).data.result?.entities ?? []),
    ].map((p) => p.code);
    expect(codes.sort()).toEqual(["CLP", "CLQ"]);

    // A code taken is refused, as Qase does, and nothing changes.
    expect(await statusOf(admin.createProject({ title: "Again", code: "CLP" }))).toBe(422);

    expect((await admin.deleteProject("CLQ")).data.status).toBe(true);
    expect(await statusOf(admin.getProject("CLQ"))).toBe(404);
    expect((await admin.getProjects(100, 0)).data.result?.entities?.map((p) => p.code)).toEqual(["CLP"]);
  });

  it("grants and revokes a member's access to a closed project", async () => {
    await admin.createProject({ title: "Closed", code: "CLZ", access: ProjectCreateAccessEnum.NONE });
    expect(await statusOf(asMember.getProject("CLZ"))).toBe(403);
    expect((await asMember.getProjects(100, 0)).data.result?.entities?.map((p) => p.code)).not.toContain(
      "CLZ",
    );

    expect((await admin.grantAccessToProject("CLZ", { member_id: member.id })).data.status).toBe(true);
    expect((await asMember.getProject("CLZ")).data.result?.code).toBe("CLZ");
    expect((await asMember.getProjects(100, 0)).data.result?.entities?.map((p) => p.code)).toContain("CLZ");
    // A member cannot hand out access, nor take it away.
    expect(await statusOf(asMember.revokeAccessToProject("CLZ", { member_id: member.id }))).toBe(403);

    expect((await admin.revokeAccessToProject("CLZ", { member_id: member.id })).data.status).toBe(true);
    expect(await statusOf(asMember.getProject("CLZ"))).toBe(403);
    expect(await statusOf(admin.grantAccessToProject("CLZ", { member_id: 999999 }))).toBe(422);
  });
});
