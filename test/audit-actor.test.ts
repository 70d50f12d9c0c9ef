import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

interface Entry {
  action: string;
  actor_user_id: number | null;
  actor_user_name: string | null;
  actor_user_email: string | null;
}

describe.each(dialects)("GET /v1/audit names the actor on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner", "olga@example.test");
    token = await t.token(owner);
    expect((await call("POST", "/v1/project", { title: "Audited", code: "AUD" })).status).toBe(200);
  });
  afterAll(() => t.close());

  it("gives the acting user's name and email beside the id, and the filter by user still works", async () => {
    const r = await call("GET", "/v1/audit?action=project.created&limit=10");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [entry] = r.body.result.entities as Entry[];
    expect(entry?.actor_user_email).toBe("olga@example.test");
    expect(entry?.actor_user_name).toMatch(/^owner \d+$/);
    const mine = await call("GET", `/v1/audit?user_id=${entry?.actor_user_id}&limit=100`);
    expect(
      (mine.body.result.entities as Entry[]).every((e) => e.actor_user_email === "olga@example.test"),
    ).toBe(true);
    expect(mine.body.result.total).toBeGreaterThan(0);
  });
});
