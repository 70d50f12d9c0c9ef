import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

// What a person reads in the web app and a script in its log: one sentence at each field, no schema wording.
describe.each(dialects.slice(0, 1))("validation errors in plain sentences ($name)", (dialect) => {
  let t: TestApp;
  let token = "";
  beforeAll(async () => {
    t = await startApp(dialect);
    token = await t.token(await t.user("owner"));
  });
  afterAll(() => t.close());

  const create = async (body: object) => {
    const res = await t.app.inject({ method: "POST", url: "/v1/project", headers: { token }, payload: body });
    expect(res.statusCode).toBe(422);
    return res.json() as { errorMessage: string; errorFields: { field: string; error: string }[] };
  };

  it.each([
    [{ title: "", code: "OK" }, "title", "cannot be empty"],
    [{ title: "x".repeat(256), code: "OK" }, "title", "must be at most 255 characters long"],
    [{ title: "T", code: "A" }, "code", "must be at least 2 characters long"],
    [{ title: 7, code: "OK" }, "title", "must be text"],
    [{ code: "OK" }, "title", "is required"],
    [{ title: "T", code: "OK", access: "everyone" }, "access", "must be one of: all, group, none"],
    [
      { title: "T", code: "OK", description: "d".repeat(10_001) },
      "description",
      "must be at most 10000 characters long",
    ],
    [{ title: "T", code: "OK", description: 3 }, "description", "must be text or empty (null)"],
  ])("case %#: %s %s", async (body, field, sentence) => {
    const res = await create(body);
    expect(res.errorFields).toContainEqual({ field, error: sentence });
    expect(res.errorMessage).toBe(`${field} ${sentence}.`);
    expect(JSON.stringify(res)).not.toMatch(/must NOT|errorFields for details|must be equal to/);
  });
});
