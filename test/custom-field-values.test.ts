import type { AddressInfo } from "node:net";
import { CasesApi, Configuration } from "qase-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserRow } from "../src/features/users/users.repository.js";
import { apiCaller, type Reply } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

const ENTITY = { case: 0, run: 1, defect: 2 } as const;
const TYPE = {
  number: 0,
  string: 1,
  text: 2,
  selectbox: 3,
  checkbox: 4,
  radio: 5,
  multiselect: 6,
  url: 7,
  user: 8,
  datetime: 9,
} as const;
type TypeName = keyof typeof TYPE;

const sorted = (r: Reply) => (r.body?.errorFields ?? []).map((f: { field: string }) => f.field).sort();
const errorOf = (r: Reply, field: string) =>
  (r.body?.errorFields ?? []).find((f: { field: string }) => f.field === field)?.error as string | undefined;
const valuesOf = (entity: { custom_fields: { id: number; value: string }[] }) =>
  Object.fromEntries(entity.custom_fields.map((f) => [f.id, f.value]));

describe.each(dialects)("custom field values in case, run and defect writes on $name", (dialect) => {
  let t: TestApp;
  let owner: UserRow;
  let token = "";
  /** One case field per type, enabled for all projects. */
  const caseField = {} as Record<TypeName, number>;
  let runNumber = 0;
  let defectSelect = 0;
  let onlyCv = 0;

  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const field = async (body: Record<string, unknown>) => {
    const r = await call("POST", "/v1/custom_field", { is_enabled_for_all_projects: true, ...body });
    expect(r.status).toBe(200);
    return r.body.result.id as number;
  };
  const caseCount = async (code: string) =>
    (await call("GET", `/v1/case/${code}`)).body.result.total as number;
  const getCase = async (code: string, id: number) =>
    (await call("GET", `/v1/case/${code}/${id}`)).body.result;

  beforeAll(async () => {
    t = await startApp(dialect);
    owner = await t.user("owner");
    for (const code of ["CV", "CVB", "CVR"]) await t.project(code, owner);
    token = await t.token(owner);
    const options = (...titles: string[]) => titles.map((title) => ({ title }));
    for (const [name, type] of Object.entries(TYPE) as [TypeName, number][]) {
      const value = ["selectbox", "radio", "multiselect"].includes(name) ? options("a", "b", "c") : undefined;
      caseField[name] = await field({ title: `case ${name}`, entity: ENTITY.case, type, value });
    }
    runNumber = await field({ title: "run number", entity: ENTITY.run, type: TYPE.number });
    defectSelect = await field({
      title: "defect select",
      entity: ENTITY.defect,
      type: TYPE.selectbox,
      value: options("low", "high"),
    });
    onlyCv = await field({
      title: "CV only",
      entity: ENTITY.case,
      type: TYPE.string,
      is_enabled_for_all_projects: false,
      projects_codes: ["CV"],
    });
  });
  afterAll(() => t.close());

  const good = (): Record<TypeName, string> => ({
    number: "-12.5",
    string: "one line",
    text: "many\nlines",
    selectbox: "2",
    radio: "3",
    multiselect: "1,3",
    checkbox: "1",
    url: "https://example.test/path?q=1",
    user: String(owner.id),
    datetime: "2026-04-29T15:00:00Z",
  });
  const bad: Record<TypeName, string> = {
    number: "12abc",
    string: "x".repeat(256),
    text: "", // text takes any string; "" clears, so the type has no bad value of its own
    selectbox: "9",
    radio: "a",
    multiselect: "1, 2",
    checkbox: "yes",
    url: "ftp://example.test/file",
    user: "987654",
    datetime: "next tuesday",
  };
  const ids = (values: Partial<Record<TypeName, string>>) =>
    Object.keys(values)
      .map((name) => `custom_field.${caseField[name as TypeName]}`)
      .sort();
  const byId = (values: Partial<Record<TypeName, string>>) =>
    Object.fromEntries(Object.entries(values).map(([name, v]) => [caseField[name as TypeName], v]));

  it("accepts a value of every type in a case and reads it back as sent", async () => {
    const r = await call("POST", "/v1/case/CV", { title: "all types", custom_field: byId(good()) });
    expect(r.status).toBe(200);
    expect(valuesOf(await getCase("CV", r.body.result.id))).toEqual(byId(good()));
    // Other accepted spellings: datetime as "YYYY-MM-DD HH:MM:SS" or a date, checkbox "0"/"" (unchecked).
    const more = await call("POST", "/v1/case/CV", {
      title: "more",
      custom_field: byId({ datetime: "2026-04-29 15:00:00", checkbox: "0", number: "7", url: "http://h" }),
    });
    expect(more.status).toBe(200);
    expect(valuesOf(await getCase("CV", more.body.result.id))).toEqual(
      byId({ datetime: "2026-04-29 15:00:00", number: "7", url: "http://h" }),
    );
    expect(
      (await call("POST", "/v1/case/CV", { title: "date", custom_field: byId({ datetime: "2026-04-29" }) }))
        .status,
    ).toBe(200);
  });

  it("refuses a bad value of every type, one errorFields entry per field, storing nothing", async () => {
    const before = await caseCount("CV");
    const { text: _text, ...refused } = bad;
    const r = await call("POST", "/v1/case/CV", { title: "bad types", custom_field: byId(refused) });
    expect(r.status).toBe(422);
    expect(sorted(r)).toEqual(ids(refused));
    expect(errorOf(r, `custom_field.${caseField.number}`)).toContain("not a number");
    expect(errorOf(r, `custom_field.${caseField.string}`)).toContain("255");
    expect(errorOf(r, `custom_field.${caseField.selectbox}`)).toContain("option");
    expect(errorOf(r, `custom_field.${caseField.user}`)).toContain("987654");
    expect(errorOf(r, `custom_field.${caseField.url}`)).toContain("http");
    expect(await caseCount("CV")).toBe(before);
    // Each bad value on its own is refused too, alongside fine ones.
    for (const [name, value] of Object.entries(refused) as [TypeName, string][]) {
      const one = await call("POST", "/v1/case/CV", {
        title: `bad ${name}`,
        custom_field: { ...byId(good()), [caseField[name]]: value },
      });
      expect([name, sorted(one)]).toEqual([name, [`custom_field.${caseField[name]}`]]);
    }
    for (const value of ["1,9", "1,,2", "2,"])
      expect(
        sorted(await call("POST", "/v1/case/CV", { title: "m", custom_field: byId({ multiselect: value }) })),
      ).toEqual([`custom_field.${caseField.multiselect}`]);
    expect(await caseCount("CV")).toBe(before);
  });

  it("names unknown fields, fields of another entity and fields not enabled for the project", async () => {
    const r = await call("POST", "/v1/case/CVB", {
      title: "wrong fields",
      custom_field: { "999999": "x", [runNumber]: "1", [defectSelect]: "1", [onlyCv]: "x" },
    });
    expect(r.status).toBe(422);
    expect(sorted(r)).toEqual(
      [
        "custom_field.999999",
        `custom_field.${runNumber}`,
        `custom_field.${defectSelect}`,
        `custom_field.${onlyCv}`,
      ].sort(),
    );
    expect(errorOf(r, `custom_field.${runNumber}`)).toContain("run field");
    expect(errorOf(r, `custom_field.${onlyCv}`)).toContain("not enabled");
    expect(
      (await call("POST", "/v1/case/CV", { title: "enabled here", custom_field: { [onlyCv]: "x" } })).status,
    ).toBe(200);
    // Bulk writes name the case they come from.
    const bulk = await call("POST", "/v1/case/CV/bulk", {
      cases: [
        { title: "fine", custom_field: byId(good()) },
        { title: "bad", custom_field: byId({ number: "n" }) },
      ],
    });
    expect(sorted(bulk)).toEqual([`cases.1.custom_field.${caseField.number}`]);
    const run = await call("POST", "/v1/run/CV", { title: "r", custom_field: { [caseField.string]: "x" } });
    expect(sorted(run)).toEqual([`custom_field.${caseField.string}`]);
    expect(errorOf(run, `custom_field.${caseField.string}`)).toContain("not a run field");
    const defect = await call("POST", "/v1/defect/CV", {
      title: "d",
      actual_result: "a",
      severity: 1,
      custom_field: { [runNumber]: "1" },
    });
    expect(sorted(defect)).toEqual([`custom_field.${runNumber}`]);
  });

  it('updates a case partially: named fields change, "" clears, the others stay', async () => {
    const id = (await call("POST", "/v1/case/CV", { title: "partial", custom_field: byId(good()) })).body
      .result.id;
    const r = await call("PATCH", `/v1/case/CV/${id}`, {
      custom_field: byId({ number: "3", string: "", checkbox: "0" }),
    });
    expect(r.status).toBe(200);
    const { string: _s, checkbox: _c, ...kept } = good();
    expect(valuesOf(await getCase("CV", id))).toEqual(byId({ ...kept, number: "3" }));
    const refused = await call("PATCH", `/v1/case/CV/${id}`, { custom_field: byId({ url: "not a url" }) });
    expect(sorted(refused)).toEqual([`custom_field.${caseField.url}`]);
    expect(valuesOf(await getCase("CV", id))[caseField.url]).toBe(good().url);
  });

  it("checks run values on create and update", async () => {
    const ok = await call("POST", "/v1/run/CV", { title: "run", custom_field: { [runNumber]: "42" } });
    expect(ok.status).toBe(200);
    const id = ok.body.result.id;
    expect(valuesOf((await call("GET", `/v1/run/CV/${id}`)).body.result)).toEqual({ [runNumber]: "42" });
    const bad = await call("POST", "/v1/run/CV", { title: "run", custom_field: { [runNumber]: "forty" } });
    expect(sorted(bad)).toEqual([`custom_field.${runNumber}`]);
    const badUpdate = await call("PATCH", `/v1/run/CV/${id}`, { custom_field: { [runNumber]: "4 2" } });
    expect(sorted(badUpdate)).toEqual([`custom_field.${runNumber}`]);
    expect((await call("PATCH", `/v1/run/CV/${id}`, { custom_field: { [runNumber]: "43" } })).status).toBe(
      200,
    );
    expect(valuesOf((await call("GET", `/v1/run/CV/${id}`)).body.result)).toEqual({ [runNumber]: "43" });
  });

  it("checks defect values on create and update (partial)", async () => {
    const body = { title: "d", actual_result: "a", severity: 1 };
    const ok = await call("POST", "/v1/defect/CV", { ...body, custom_field: { [defectSelect]: "2" } });
    expect(ok.status).toBe(200);
    const id = ok.body.result.id;
    const bad = await call("POST", "/v1/defect/CV", { ...body, custom_field: { [defectSelect]: "3" } });
    expect(sorted(bad)).toEqual([`custom_field.${defectSelect}`]);
    const badUpdate = await call("PATCH", `/v1/defect/CV/${id}`, {
      custom_field: { [defectSelect]: "high" },
    });
    expect(sorted(badUpdate)).toEqual([`custom_field.${defectSelect}`]);
    expect((await call("PATCH", `/v1/defect/CV/${id}`, { title: "renamed" })).status).toBe(200);
    expect(valuesOf((await call("GET", `/v1/defect/CV/${id}`)).body.result)).toEqual({ [defectSelect]: "2" });
    expect(
      (await call("PATCH", `/v1/defect/CV/${id}`, { custom_field: { [defectSelect]: "1" } })).status,
    ).toBe(200);
    expect(valuesOf((await call("GET", `/v1/defect/CV/${id}`)).body.result)).toEqual({ [defectSelect]: "1" });
  });

  describe("required fields (enabled for CVR only)", () => {
    let caseRequired = 0;
    let caseWithDefault = 0;
    let runRequired = 0;
    let defectRequired = 0;
    const only = { is_enabled_for_all_projects: false, projects_codes: ["CVR"], is_required: true };

    beforeAll(async () => {
      caseRequired = await field({ title: "case req", entity: ENTITY.case, type: TYPE.string, ...only });
      caseWithDefault = await field({
        title: "case req default",
        entity: ENTITY.case,
        type: TYPE.radio,
        value: [{ title: "yes" }, { title: "no" }],
        default_value: "2",
        ...only,
      });
      runRequired = await field({ title: "run req", entity: ENTITY.run, type: TYPE.checkbox, ...only });
      defectRequired = await field({ title: "defect req", entity: ENTITY.defect, type: TYPE.url, ...only });
    });

    it("refuses case creates without them, fills defaults, leaves other projects alone", async () => {
      const missing = await call("POST", "/v1/case/CVR", { title: "no values" });
      expect(sorted(missing)).toEqual([`custom_field.${caseRequired}`]);
      expect(errorOf(missing, `custom_field.${caseRequired}`)).toContain("required");
      const empty = await call("POST", "/v1/case/CVR", {
        title: "empty",
        custom_field: { [caseRequired]: " " },
      });
      expect(sorted(empty)).toEqual([`custom_field.${caseRequired}`]);
      const bulk = await call("POST", "/v1/case/CVR/bulk", {
        cases: [{ title: "a", custom_field: { [caseRequired]: "x" } }, { title: "b" }],
      });
      expect(sorted(bulk)).toEqual([`cases.1.custom_field.${caseRequired}`]);
      const ok = await call("POST", "/v1/case/CVR", { title: "ok", custom_field: { [caseRequired]: "x" } });
      expect(ok.status).toBe(200);
      expect(valuesOf(await getCase("CVR", ok.body.result.id))).toEqual({
        [caseRequired]: "x",
        [caseWithDefault]: "2",
      });
      // Partial updates enforce only the fields they name; clearing a required field without a default
      // is refused, clearing one with a default puts the default back.
      const id = ok.body.result.id;
      expect((await call("PATCH", `/v1/case/CVR/${id}`, { title: "renamed" })).status).toBe(200);
      const clear = await call("PATCH", `/v1/case/CVR/${id}`, { custom_field: { [caseRequired]: "" } });
      expect(sorted(clear)).toEqual([`custom_field.${caseRequired}`]);
      expect(
        (await call("PATCH", `/v1/case/CVR/${id}`, { custom_field: { [caseWithDefault]: "1" } })).status,
      ).toBe(200);
      expect(
        (await call("PATCH", `/v1/case/CVR/${id}`, { custom_field: { [caseWithDefault]: "" } })).status,
      ).toBe(200);
      expect(valuesOf(await getCase("CVR", id))[caseWithDefault]).toBe("2");
      expect((await call("POST", "/v1/case/CV", { title: "not required here" })).status).toBe(200);
    });

    it("refuses run and defect creates without them; a run update's map must hold them too", async () => {
      const run = await call("POST", "/v1/run/CVR", { title: "r" });
      expect(sorted(run)).toEqual([`custom_field.${runRequired}`]);
      // A required checkbox without a default cannot be unchecked.
      expect(
        sorted(await call("POST", "/v1/run/CVR", { title: "r", custom_field: { [runRequired]: "0" } })),
      ).toEqual([`custom_field.${runRequired}`]);
      const ok = await call("POST", "/v1/run/CVR", { title: "r", custom_field: { [runRequired]: "1" } });
      expect(ok.status).toBe(200);
      const id = ok.body.result.id;
      expect((await call("PATCH", `/v1/run/CVR/${id}`, { title: "no map" })).status).toBe(200);
      expect(sorted(await call("PATCH", `/v1/run/CVR/${id}`, { custom_field: {} }))).toEqual([
        `custom_field.${runRequired}`,
      ]);
      const body = { title: "d", actual_result: "a", severity: 1 };
      expect(sorted(await call("POST", "/v1/defect/CVR", body))).toEqual([`custom_field.${defectRequired}`]);
      expect(
        (
          await call("POST", "/v1/defect/CVR", {
            ...body,
            custom_field: { [defectRequired]: "https://bug.test/1" },
          })
        ).status,
      ).toBe(200);
      expect((await call("POST", "/v1/run/CV", { title: "not required here" })).status).toBe(200);
    });
  });

  describe("replace_values on PATCH /v1/custom_field/{id}", () => {
    it("rewrites stored option values, clears removed options and moves the default", async () => {
      const select = await field({
        title: "replace me",
        entity: ENTITY.case,
        type: TYPE.selectbox,
        value: [{ title: "one" }, { title: "two" }, { title: "three" }],
        default_value: "2",
      });
      const multi = await field({
        title: "replace many",
        entity: ENTITY.case,
        type: TYPE.multiselect,
        value: [{ title: "one" }, { title: "two" }, { title: "three" }],
      });
      const create = async (s: string, m: string) =>
        (await call("POST", "/v1/case/CV", { title: "r", custom_field: { [select]: s, [multi]: m } })).body
          .result.id as number;
      const c1 = await create("1", "1,2");
      const c2 = await create("2", "2,3");
      const c3 = await create("3", "3");
      const stored = async (id: number) => {
        const v = valuesOf(await getCase("CV", id));
        return [v[select], v[multi]];
      };

      // Option 2 is renamed into a new option 4; stored 2s become 4s, the default follows.
      const r = await call("PATCH", `/v1/custom_field/${select}`, {
        value: [{ id: 1, title: "one" }, { id: 3, title: "three" }, { title: "two, renamed" }],
        replace_values: { "2": "4" },
      });
      expect(r).toEqual({ status: 200, body: { status: true } });
      const got = (await call("GET", `/v1/custom_field/${select}`)).body.result;
      expect(JSON.parse(got.value)).toEqual([
        { id: 1, title: "one" },
        { id: 3, title: "three" },
        { id: 4, title: "two, renamed" },
      ]);
      expect(got.default_value).toBe("4");
      expect([await stored(c1), await stored(c2), await stored(c3)]).toEqual([
        ["1", "1,2"],
        ["4", "2,3"],
        ["3", "3"],
      ]);

      // Removing option 3 without a replacement clears it from stored values.
      expect(
        (
          await call("PATCH", `/v1/custom_field/${select}`, {
            value: [
              { id: 1, title: "one" },
              { id: 4, title: "two, renamed" },
            ],
          })
        ).status,
      ).toBe(200);
      expect((await stored(c3))[0]).toBeUndefined();

      // Multiselect lists are replaced id by id (duplicates merged), removed ids dropped, "" clears.
      expect(
        (
          await call("PATCH", `/v1/custom_field/${multi}`, {
            value: [
              { id: 1, title: "one" },
              { id: 3, title: "three" },
            ],
            replace_values: { "2": "1" },
          })
        ).status,
      ).toBe(200);
      expect([(await stored(c1))[1], (await stored(c2))[1], (await stored(c3))[1]]).toEqual([
        "1",
        "1,3",
        "3",
      ]);
      expect((await call("PATCH", `/v1/custom_field/${multi}`, { replace_values: { "3": "" } })).status).toBe(
        200,
      );
      expect([(await stored(c1))[1], (await stored(c2))[1], (await stored(c3))[1]]).toEqual([
        "1",
        "1",
        undefined,
      ]);

      // Refused: old values that are not options, replacements that do not fit; nothing changes.
      const refused = await call("PATCH", `/v1/custom_field/${select}`, {
        replace_values: { "7": "1", "1": "9" },
      });
      expect(sorted(refused)).toEqual(["replace_values.1", "replace_values.7"]);
      expect(
        sorted(await call("PATCH", `/v1/custom_field/${multi}`, { replace_values: { "1": "1,3" } })),
      ).toEqual(["replace_values.1"]);
      expect(await stored(c1)).toEqual(["1", "1"]);
    });

    it("replaces plain values of other types and of run and defect fields", async () => {
      const text = await field({ title: "env", entity: ENTITY.run, type: TYPE.string });
      const run = (await call("POST", "/v1/run/CV", { title: "r", custom_field: { [text]: "staging" } })).body
        .result.id as number;
      const other = (await call("POST", "/v1/run/CV", { title: "r", custom_field: { [text]: "prod" } })).body
        .result.id as number;
      expect(
        (await call("PATCH", `/v1/custom_field/${text}`, { replace_values: { staging: "stage" } })).status,
      ).toBe(200);
      const runValue = async (id: number) =>
        valuesOf((await call("GET", `/v1/run/CV/${id}`)).body.result)[text] as string | undefined;
      expect([await runValue(run), await runValue(other)]).toEqual(["stage", "prod"]);

      const d = (
        await call("POST", "/v1/defect/CV", {
          title: "d",
          actual_result: "a",
          severity: 1,
          custom_field: { [defectSelect]: "2" },
        })
      ).body.result.id as number;
      expect(
        (await call("PATCH", `/v1/custom_field/${defectSelect}`, { replace_values: { "2": "1" } })).status,
      ).toBe(200);
      expect(valuesOf((await call("GET", `/v1/defect/CV/${d}`)).body.result)).toEqual({
        [defectSelect]: "1",
      });
      const number = await field({ title: "n", entity: ENTITY.case, type: TYPE.number });
      expect(
        sorted(await call("PATCH", `/v1/custom_field/${number}`, { replace_values: { "1": "one" } })),
      ).toEqual(["replace_values.1"]);
    });
  });

  it("works through the official qase-api-client: valid values stored, a bad one a 422 it surfaces", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const cases = new CasesApi(new Configuration({ apiKey: token, basePath: `http://127.0.0.1:${port}/v1` }));
    const created = await cases.createCase("CV", {
      title: "via client",
      custom_field: { [caseField.number]: "5", [caseField.multiselect]: "2,3" },
    });
    const id = created.data.result?.id ?? 0;
    expect((await cases.getCase("CV", id)).data.result?.custom_fields).toEqual([
      { id: caseField.number, value: "5" },
      { id: caseField.multiselect, value: "2,3" },
    ]);
    const refused = await cases
      .createCase("CV", { title: "bad via client", custom_field: { [caseField.number]: "five" } })
      .then(
        () => undefined,
        (err: { response?: { status?: number; data?: { errorFields?: { field: string }[] } } }) =>
          err.response,
      );
    expect(refused?.status).toBe(422);
    expect(refused?.data?.errorFields?.map((f) => f.field)).toEqual([`custom_field.${caseField.number}`]);
  });
});
