import type { AddressInfo } from "node:net";
import { Configuration, type CustomField, CustomFieldsApi } from "qase-api-v2-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCaller } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { keys, names, statusOf } from "./helpers/client.js";
import { dialects } from "./helpers/stores.js";

/** Every key of the v2 client's CustomField: one it adds breaks compilation, one we drop fails the test. */
const FIELD_KEYS: Record<keyof CustomField, true> = {
  id: true,
  title: true,
  entity: true,
  type: true,
  placeholder: true,
  default_value: true,
  value: true,
  is_required: true,
  is_visible: true,
  is_filterable: true,
  is_enabled_for_all_projects: true,
  created_at: true,
  updated_at: true,
  projects_codes: true,
};

describe.each(dialects)("qase-api-v2-client CustomFieldsApi on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let api: CustomFieldsApi;
  let select = 0;
  let text = 0;
  const call = apiCaller(
    () => t.app,
    () => token,
  );

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    await t.project("CF", owner);
    token = await t.token(owner);
    select = (
      await call("POST", "/v1/custom_field", {
        title: "Layer",
        entity: 0,
        type: 3,
        value: [{ title: "UI" }, { title: "API" }],
        default_value: "2",
        projects_codes: ["CF"],
      })
    ).body.result.id;
    text = (await call("POST", "/v1/custom_field", { title: "Notes", entity: 1, type: 1 })).body.result.id;
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    api = new CustomFieldsApi(new Configuration({ apiKey: token, basePath: `http://127.0.0.1:${port}/v2` }));
  });
  afterAll(() => t.close());

  it("reads one field with its options as objects", async () => {
    const field = (await api.getCustomFieldV2(select)).data.result;
    expect(keys(field)).toEqual(names(FIELD_KEYS));
    expect(field).toMatchObject({
      id: select,
      title: "Layer",
      entity: "case",
      type: "selectbox",
      default_value: "2",
      value: [
        { id: 1, title: "UI" },
        { id: 2, title: "API" },
      ],
      projects_codes: ["CF"],
    });
    expect((await api.getCustomFieldV2(text)).data.result?.value).toBeNull();
    expect(await statusOf(api.getCustomFieldV2(999999))).toBe(404);
  });

  it("lists and filters fields as v1 does", async () => {
    const all = (await api.getCustomFieldsV2()).data.result;
    expect(all).toMatchObject({ total: 2, filtered: 2, count: 2 });
    expect(all?.entities?.map((f) => keys(f))).toEqual([names(FIELD_KEYS), names(FIELD_KEYS)]);
    const runs = (await api.getCustomFieldsV2("run", "string")).data.result;
    expect(runs?.entities?.map((f) => f.id)).toEqual([text]);
    const paged = (await api.getCustomFieldsV2(undefined, undefined, 1, 1)).data.result;
    expect(paged).toMatchObject({ total: 2, filtered: 2, count: 1 });
  });
});
