import type { AddressInfo } from "node:net";
import {
  type Author,
  AuthorsApi,
  CasesApi,
  Configuration,
  type ConfigurationGroup,
  type ConfigurationItem,
  ConfigurationsApi,
  type CustomField,
  CustomFieldsApi,
  type Environment,
  EnvironmentsApi,
  type Milestone,
  MilestoneCreateStatusEnum,
  type MilestoneListResponseAllOfResult,
  MilestonesApi,
  MilestoneUpdateStatusEnum,
  type ParameterSingle,
  type SharedParameter,
  SharedParameterCreateTypeEnum,
  type SharedParameterListResponseAllOfResult,
  SharedParametersApi,
  type SharedStep,
  type SharedStepContent,
  SharedStepsApi,
  type User,
  UsersApi,
} from "qase-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserRow } from "../src/features/users/users.repository.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { keys, names, statusOf } from "./helpers/client.js";
import { dialects } from "./helpers/stores.js";

/**
 * Every key of the official client's read models, as records over `keyof`: a field the client adds or
 * drops breaks compilation, a field we drop or rename fails the key checks.
 */
const MILESTONE_KEYS: Record<keyof Milestone, true> = {
  id: true,
  title: true,
  description: true,
  status: true,
  due_date: true,
  created: true,
  updated: true,
  created_at: true,
  updated_at: true,
};
const LIST_KEYS: Record<keyof MilestoneListResponseAllOfResult, true> = {
  total: true,
  filtered: true,
  count: true,
  entities: true,
};
const ENVIRONMENT_KEYS: Record<keyof Environment, true> = {
  id: true,
  title: true,
  description: true,
  slug: true,
  host: true,
};
const GROUP_KEYS: Record<keyof ConfigurationGroup, true> = { id: true, title: true, configurations: true };
const ITEM_KEYS: Record<keyof ConfigurationItem, true> = { id: true, title: true };
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
  created: true,
  updated: true,
  created_at: true,
  updated_at: true,
  projects_codes: true,
};
const SHARED_STEP_KEYS: Record<keyof SharedStep, true> = {
  hash: true,
  title: true,
  action: true,
  expected_result: true,
  steps: true,
  data: true,
  cases: true,
  cases_count: true,
  created: true,
  updated: true,
  created_at: true,
  updated_at: true,
};
const STEP_CONTENT_KEYS: Record<keyof SharedStepContent, true> = {
  data: true,
  hash: true,
  action: true,
  expected_result: true,
  attachments: true,
  steps: true,
};
const PARAMETER_KEYS: Record<keyof SharedParameter, true> = {
  id: true,
  title: true,
  type: true,
  project_codes: true,
  is_enabled_for_all_projects: true,
  parameters: true,
};
const PARAMETER_LIST_KEYS: Record<keyof SharedParameterListResponseAllOfResult, true> = {
  total: true,
  entities: true,
};
const PARAM_SINGLE_KEYS: Record<keyof ParameterSingle, true> = { title: true, values: true };
const AUTHOR_KEYS: Record<keyof Author, true> = {
  id: true,
  uuid: true,
  author_id: true,
  entity_type: true,
  entity_id: true,
  email: true,
  name: true,
  is_active: true,
};
const USER_KEYS: Record<keyof User, true> = { id: true, name: true, email: true, title: true, status: true };

describe.each(dialects)("qase-api-client planning and metadata APIs against Verdict on $name", (dialect) => {
  let t: TestApp;
  let owner: UserRow;
  let config: Configuration;
  let memberConfig: Configuration;

  beforeAll(async () => {
    t = await startApp(dialect);
    owner = await t.user("owner", "olga@example.test");
    await t.project("QM", owner);
    await t.project("QMB", owner);
    const member = await t.user("member", "max@example.test");
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const basePath = `http://127.0.0.1:${port}/v1`;
    config = new Configuration({ apiKey: await t.token(owner), basePath });
    memberConfig = new Configuration({ apiKey: await t.token(member, { scopes: ["results"] }), basePath });
  });
  afterAll(() => t.close());

  it("MilestonesApi: create, get, list with search, update, delete", async () => {
    const api = new MilestonesApi(config);
    const due = Date.UTC(2031, 0, 15) / 1000;
    const id =
      (
        await api.createMilestone("QM", {
          title: "Beta",
          description: "first beta",
          status: MilestoneCreateStatusEnum.ACTIVE,
          due_date: due,
        })
      ).data.result?.id ?? 0;
    expect(id).toBe(1);
    await api.createMilestone("QM", { title: "GA" });

    const got = (await api.getMilestone("QM", id)).data.result;
    expect(keys(got)).toEqual(names(MILESTONE_KEYS));
    expect(got).toMatchObject({
      id,
      title: "Beta",
      description: "first beta",
      status: "active",
      due_date: "2031-01-15T00:00:00+00:00",
    });
    const list = (await api.getMilestones("QM", "bet", 10, 0)).data.result;
    expect(keys(list)).toEqual(names(LIST_KEYS));
    expect(list).toMatchObject({ total: 2, filtered: 1, count: 1 });
    expect(keys(list?.entities?.[0])).toEqual(names(MILESTONE_KEYS));

    const updated = await api.updateMilestone("QM", id, {
      title: "Beta 1",
      status: MilestoneUpdateStatusEnum.COMPLETED,
    });
    expect(updated.data).toEqual({ status: true, result: { id } });
    expect((await api.getMilestone("QM", id)).data.result).toMatchObject({
      title: "Beta 1",
      status: "completed",
    });

    expect((await api.deleteMilestone("QM", id)).data).toEqual({ status: true, result: { id } });
    expect(await statusOf(api.getMilestone("QM", id))).toBe(410);
    expect(await statusOf(api.getMilestone("QM", 999))).toBe(404);
    expect(await statusOf(api.createMilestone("QM", { title: " " }))).toBe(422);
    expect(await statusOf(new MilestonesApi(memberConfig).createMilestone("QM", { title: "ci" }))).toBe(403);
  });

  it("EnvironmentsApi: create, the reporter's slug lookup, get, update, delete", async () => {
    const api = new EnvironmentsApi(config);
    const id =
      (await api.createEnvironment("QM", { title: "Staging", slug: "staging", host: "stage.example.test" }))
        .data.result?.id ?? 0;
    await api.createEnvironment("QM", { title: "Production", slug: "production" });
    // What playwright/vitest reporters do with QASE_ENVIRONMENT: list by slug, take the id.
    const found = (await api.getEnvironments("QM", undefined, "staging", 100)).data.result;
    expect(keys(found)).toEqual(names(LIST_KEYS));
    expect(found?.entities?.find((e) => e.slug === "staging")?.id).toBe(id);
    expect(found?.filtered).toBe(1);
    expect((await api.getEnvironments("QM", "PROD")).data.result?.entities?.map((e) => e.slug)).toEqual([
      "production",
    ]);

    const got = (await api.getEnvironment("QM", id)).data.result;
    expect(keys(got)).toEqual(names(ENVIRONMENT_KEYS));
    expect(got).toEqual({
      id,
      title: "Staging",
      description: null,
      slug: "staging",
      host: "stage.example.test",
    });
    expect((await api.updateEnvironment("QM", id, { description: "pre-prod" })).data).toEqual({
      status: true,
      result: { id },
    });
    expect((await api.getEnvironment("QM", id)).data.result?.description).toBe("pre-prod");
    expect(await statusOf(api.createEnvironment("QM", { title: "Dup", slug: "production" }))).toBe(422);
    expect((await api.deleteEnvironment("QM", id)).data).toEqual({ status: true, result: { id } });
    expect(await statusOf(api.getEnvironment("QM", id))).toBe(410);
    expect(await statusOf(api.getEnvironment("QM", 4040))).toBe(404);
  });

  it("ConfigurationsApi: a CI token creates groups and configurations on demand, as reporters do", async () => {
    const api = new ConfigurationsApi(memberConfig);
    const wanted = { Browser: ["Chromium", "WebKit"], OS: ["Linux"] };
    for (const [group, values] of Object.entries(wanted)) {
      const groups = (await api.getConfigurations("QM")).data.result?.entities ?? [];
      let groupId = groups.find((g) => g.title === group)?.id;
      groupId ??= (await api.createConfigurationGroup("QM", { title: group })).data.result?.id ?? 0;
      for (const title of values) {
        const id = (await api.createConfiguration("QM", { title, group_id: groupId })).data.result?.id;
        expect(id).toBeGreaterThan(0);
      }
    }
    const list = (await new ConfigurationsApi(config).getConfigurations("QM")).data.result;
    expect(keys(list)).toEqual(names(LIST_KEYS));
    expect(list?.total).toBe(2);
    for (const g of list?.entities ?? []) {
      expect(keys(g)).toEqual(names(GROUP_KEYS));
      for (const c of g.configurations ?? []) expect(keys(c)).toEqual(names(ITEM_KEYS));
    }
    expect(list?.entities?.map((g) => [g.title, g.configurations?.map((c) => c.title)])).toEqual([
      ["Browser", ["Chromium", "WebKit"]],
      ["OS", ["Linux"]],
    ]);
    expect(await statusOf(api.createConfiguration("QM", { title: "x", group_id: 123456 }))).toBe(422);
  });

  it("CustomFieldsApi and case writes: create, filter, get, update, delete; unknown ids refused", async () => {
    const api = new CustomFieldsApi(config);
    const id =
      (
        await api.createCustomField({
          title: "Priority class",
          entity: 0,
          type: 5,
          value: [{ title: "P1" }, { title: "P2" }],
          default_value: "1",
          projects_codes: ["QM"],
        })
      ).data.result?.id ?? 0;
    await api.createCustomField({ title: "Ticket", entity: 2, type: 7, is_enabled_for_all_projects: true });

    const got = (await api.getCustomField(id)).data.result;
    expect(keys(got)).toEqual(names(FIELD_KEYS));
    expect(got).toMatchObject({
      id,
      title: "Priority class",
      entity: "case",
      type: "radio",
      default_value: "1",
      value: '[{"id":1,"title":"P1"},{"id":2,"title":"P2"}]',
      is_enabled_for_all_projects: false,
      projects_codes: ["QM"],
    });
    const list = (await api.getCustomFields("case", "radio", 10, 0)).data.result;
    expect(keys(list)).toEqual(names(LIST_KEYS));
    expect(list).toMatchObject({ total: 2, filtered: 1, count: 1 });
    expect(list?.entities?.[0]?.id).toBe(id);

    expect(
      (await api.updateCustomField(id, { title: "Class", value: [{ id: 1, title: "P1" }, { title: "P3" }] }))
        .data,
    ).toEqual({ status: true });
    expect(JSON.parse((await api.getCustomField(id)).data.result?.value ?? "")).toEqual([
      { id: 1, title: "P1" },
      { id: 3, title: "P3" },
    ]);

    const cases = new CasesApi(config);
    const caseId =
      (await cases.createCase("QM", { title: "uses field", custom_field: { [id]: "3" } })).data.result?.id ??
      0;
    expect((await cases.getCase("QM", caseId)).data.result?.custom_fields).toEqual([{ id, value: "3" }]);
    expect(
      await statusOf(cases.createCase("QMB", { title: "not enabled", custom_field: { [id]: "1" } })),
    ).toBe(422);
    expect(await statusOf(cases.createCase("QM", { title: "unknown", custom_field: { "77777": "1" } }))).toBe(
      422,
    );

    expect((await api.deleteCustomField(id)).data).toEqual({ status: true });
    expect(await statusOf(api.getCustomField(id))).toBe(410);
    expect(await statusOf(api.getCustomField(55555))).toBe(404);
    expect(
      await statusOf(new CustomFieldsApi(memberConfig).createCustomField({ title: "x", entity: 0, type: 1 })),
    ).toBe(403);
  });

  it("SharedStepsApi: create, get with the cases using it, list, update, delete", async () => {
    const api = new SharedStepsApi(config);
    const hash =
      (
        await api.createSharedStep("QM", {
          title: "Open app",
          steps: [
            {
              action: "Launch",
              expected_result: "Home shown",
              data: "v1",
              steps: [{ action: "Skip intro" }],
            },
            { action: "Dismiss banner" },
          ],
        })
      ).data.result?.hash ?? "";
    expect(hash).toMatch(/^[0-9a-f]{40}$/);
    const caseId =
      (await new CasesApi(config).createCase("QM", { title: "starts app", steps: [{ shared: hash }] })).data
        .result?.id ?? 0;

    const got = (await api.getSharedStep("QM", hash)).data.result;
    expect(keys(got)).toEqual(names(SHARED_STEP_KEYS));
    expect(got).toMatchObject({ hash, title: "Open app", action: "Launch", cases: [caseId], cases_count: 1 });
    for (const s of got?.steps ?? []) expect(keys(s)).toEqual(names(STEP_CONTENT_KEYS));
    expect(keys(got?.steps?.[0]?.steps?.[0] as object)).toEqual(names(STEP_CONTENT_KEYS));

    const list = (await api.getSharedSteps("QM", "open", 10, 0)).data.result;
    expect(keys(list)).toEqual(names(LIST_KEYS));
    expect(list?.entities?.map((s) => s.hash)).toEqual([hash]);

    const updated = await api.updateSharedStep("QM", hash, {
      title: "Open the app",
      steps: [{ action: "Launch" }],
    });
    expect(updated.data).toEqual({ status: true, result: { hash } });
    expect((await api.getSharedStep("QM", hash)).data.result?.steps?.length).toBe(1);
    expect((await api.deleteSharedStep("QM", hash)).data).toEqual({ status: true, result: { hash } });
    expect(await statusOf(api.getSharedStep("QM", hash))).toBe(410);
    expect(await statusOf(api.getSharedStep("QM", "0".repeat(40)))).toBe(404);
    expect(
      await statusOf(new CasesApi(config).createCase("QM", { title: "late", steps: [{ shared: hash }] })),
    ).toBe(422);
  });

  it("SharedParametersApi: create, list with filters as the client encodes them, get, update, delete", async () => {
    const api = new SharedParametersApi(config);
    const single =
      (
        await api.createSharedParameter({
          title: "Locale",
          type: SharedParameterCreateTypeEnum.SINGLE,
          is_enabled_for_all_projects: false,
          project_codes: ["QM"],
          parameters: [{ title: "locale", values: ["en", "de"] }],
        })
      ).data.result?.id ?? "";
    const group =
      (
        await api.createSharedParameter({
          title: "Viewport",
          type: SharedParameterCreateTypeEnum.GROUP,
          is_enabled_for_all_projects: false,
          project_codes: ["QMB"],
          parameters: [
            { title: "width", values: ["320", "1280"] },
            { title: "height", values: ["640", "800"] },
          ],
        })
      ).data.result?.id ?? "";

    const got = (await api.getSharedParameter(single)).data.result;
    expect(keys(got)).toEqual(names(PARAMETER_KEYS));
    for (const p of got?.parameters ?? []) expect(keys(p)).toEqual(names(PARAM_SINGLE_KEYS));
    expect(got).toEqual({
      id: single,
      title: "Locale",
      type: "single",
      project_codes: ["QM"],
      is_enabled_for_all_projects: false,
      parameters: [{ title: "locale", values: ["en", "de"] }],
    });
    const all = (await api.getSharedParameters(10, 0)).data.result;
    expect(keys(all)).toEqual(names(PARAMETER_LIST_KEYS));
    expect(all?.total).toBe(2);
    const inQm = (await api.getSharedParameters(10, 0, undefined, undefined, ["QM"])).data.result;
    expect(inQm?.entities?.map((p) => p.id)).toEqual([single]);
    const both = (await api.getSharedParameters(10, 0, undefined, undefined, ["QM", "QMB"])).data.result;
    expect(both?.entities?.map((p) => p.id)).toEqual([single, group]);
    expect(
      (await api.getSharedParameters(10, 0, "view", "group")).data.result?.entities?.map((p) => p.id),
    ).toEqual([group]);

    expect((await api.updateSharedParameter(group, { title: "Screen" })).data).toEqual({
      status: true,
      result: { id: group },
    });
    expect((await api.getSharedParameter(group)).data.result?.title).toBe("Screen");
    expect((await api.deleteSharedParameter(group)).data).toEqual({ status: true, result: { id: group } });
    expect(await statusOf(api.getSharedParameter(group))).toBe(410);
    expect(await statusOf(api.getSharedParameter("5f0c7b1e-1d2a-4c3b-9e8f-0a1b2c3d4e5f"))).toBe(404);
  });

  it("AuthorsApi and UsersApi: users read as authors and users, never with secrets", async () => {
    const authors = new AuthorsApi(config);
    const list = (await authors.getAuthors(undefined, "user", 10, 0)).data.result;
    expect(keys(list)).toEqual(names(LIST_KEYS));
    expect(list?.total).toBe(2);
    for (const a of list?.entities ?? []) expect(keys(a)).toEqual(names(AUTHOR_KEYS));
    const olga = (await authors.getAuthors("olga")).data.result?.entities ?? [];
    expect(olga.map((a) => a.email)).toEqual(["olga@example.test"]);
    const one = (await authors.getAuthor(olga[0]?.uuid ?? "")).data.result;
    expect(one).toEqual(olga[0]);
    expect(one).toMatchObject({
      id: owner.id,
      author_id: owner.id,
      entity_type: "user",
      entity_id: owner.id,
    });
    expect((await authors.getAuthor(String(owner.id))).data.result).toEqual(one);
    expect((await authors.getAuthors(undefined, "app")).data.result?.entities).toEqual([]);

    // /v1/user belongs to the users feature: Qase's keys, plus Verdict's role, is_active and created_at.
    const users = new UsersApi(config);
    const page = (await users.getUsers(10, 0)).data.result;
    expect(keys(page)).toEqual(names(LIST_KEYS));
    const me = (await users.getUser(owner.id)).data.result;
    expect(keys(me)).toEqual(names(USER_KEYS, "role", "is_active", "created_at"));
    expect(me).toMatchObject({ id: owner.id, email: "olga@example.test", status: 1 });
    expect(JSON.stringify([list, page, me])).not.toMatch(/password/i);
  });
});
