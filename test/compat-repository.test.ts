import fs from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import {
  CasesApi,
  Configuration,
  CustomFieldsApi,
  type Suite,
  SuitesApi,
  type SystemField,
  type SystemFieldOption,
  SystemFieldsApi,
  type TestCase,
  type TestCaseCreate,
  TestCaseExternalIssuesTypeEnum,
  type TestStep,
} from "qase-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type TestApp } from "./helpers/app.js";
import { keys, names, statusOf } from "./helpers/client.js";
import { uploadAttachment } from "./helpers/project-data.js";
import { dialects } from "./helpers/stores.js";

/**
 * Every key of the official client's read models, written as records over `keyof` so that a field
 * the client adds or drops breaks compilation, and a field we drop or rename fails the key checks.
 */
const CASE_KEYS: Record<keyof TestCase, true> = {
  id: true,
  position: true,
  title: true,
  description: true,
  preconditions: true,
  postconditions: true,
  severity: true,
  priority: true,
  type: true,
  layer: true,
  is_flaky: true,
  behavior: true,
  automation: true,
  isManual: true,
  isToBeAutomated: true,
  status: true,
  milestone_id: true,
  suite_id: true,
  custom_fields: true,
  attachments: true,
  steps_type: true,
  steps: true,
  params: true,
  parameters: true,
  tags: true,
  member_id: true,
  author_id: true,
  created_at: true,
  updated_at: true,
  deleted: true,
  created: true,
  updated: true,
  external_issues: true,
};
const SUITE_KEYS: Record<keyof Suite, true> = {
  id: true,
  title: true,
  description: true,
  preconditions: true,
  position: true,
  cases_count: true,
  parent_id: true,
  created: true,
  updated: true,
  created_at: true,
  updated_at: true,
};
const STEP_KEYS: Record<keyof TestStep, true> = {
  hash: true,
  shared_step_hash: true,
  shared_step_nested_hash: true,
  position: true,
  action: true,
  expected_result: true,
  data: true,
  attachments: true,
  steps: true,
};
const FIELD_KEYS: Record<keyof SystemField, true> = {
  title: true,
  slug: true,
  default_value: true,
  is_required: true,
  entity: true,
  type: true,
  options: true,
};
const OPTION_KEYS: Record<keyof SystemFieldOption, true> = {
  id: true,
  title: true,
  slug: true,
  color: true,
  icon: true,
  is_default: true,
  read_only: true,
};

describe.each(dialects)(
  "qase-api-client SuitesApi, CasesApi, SystemFieldsApi against Verdict on $name",
  (dialect) => {
    let t: TestApp;
    let suites: SuitesApi;
    let cases: CasesApi;
    let fields: SystemFieldsApi;
    let severity = new Map<string, number>();
    let fieldId = 0;
    let dataDir = "";
    /** An attachment of project QC, which its cases may refer to. */
    let file = "";

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verdict-qc-"));
      t = await startApp(dialect, { dataDir });
      const owner = await t.user("owner");
      await t.project("QC", owner);
      const token = await t.token(owner);
      file = await uploadAttachment(t, token, "QC", "evidence");
      await t.app.listen({ port: 0, host: "127.0.0.1" });
      const { port } = t.app.server.address() as AddressInfo;
      const config = new Configuration({ apiKey: token, basePath: `http://127.0.0.1:${port}/v1` });
      suites = new SuitesApi(config);
      cases = new CasesApi(config);
      fields = new SystemFieldsApi(config);
      // Case writes may only use existing case custom fields.
      const field = { title: "Alpha", entity: 0, type: 1, is_enabled_for_all_projects: true };
      fieldId = (await new CustomFieldsApi(config).createCustomField(field)).data.result?.id ?? 0;
    });
    afterAll(async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("reads the system fields and their options", async () => {
      const { data } = await fields.getSystemFields();
      expect(data.status).toBe(true);
      const list = data.result ?? [];
      expect(list.map((f) => f.slug)).toEqual([
        "severity",
        "priority",
        "type",
        "layer",
        "behavior",
        "automation",
        "status",
      ]);
      for (const f of list) {
        expect(keys(f)).toEqual(names(FIELD_KEYS));
        for (const o of f.options ?? []) expect(keys(o)).toEqual(names(OPTION_KEYS));
        expect((f.options ?? []).filter((o) => o.is_default)).toHaveLength(1);
      }
      const sev = list.find((f) => f.slug === "severity");
      severity = new Map((sev?.options ?? []).map((o) => [o.slug ?? "", o.id ?? -1]));
      expect(Object.fromEntries(severity)).toEqual({
        undefined: 0,
        blocker: 1,
        critical: 2,
        major: 3,
        normal: 4,
        minor: 5,
        trivial: 6,
      });
      const automation = list.find((f) => f.slug === "automation")?.options ?? [];
      expect(automation.map((o) => [o.id, o.slug])).toEqual([
        [0, "is-not-automated"],
        [1, "to-be-automated"],
        [2, "automated"],
      ]);
    });

    it("drives suites through create, get, list, update and delete with a destination", async () => {
      const parent =
        (await suites.createSuite("QC", { title: "Web", description: "UI suites" })).data.result?.id ?? 0;
      const child =
        (await suites.createSuite("QC", { title: "Login", parent_id: parent })).data.result?.id ?? 0;
      const dest = (await suites.createSuite("QC", { title: "Archive" })).data.result?.id ?? 0;
      expect(child).toBe(parent + 1);

      const got = (await suites.getSuite("QC", child)).data.result;
      expect(keys(got)).toEqual(names(SUITE_KEYS));
      expect(got).toMatchObject({
        id: child,
        title: "Login",
        parent_id: parent,
        cases_count: 0,
        position: 1,
      });

      await cases.createCase("QC", { title: "in web", suite_id: parent });
      const updated = await suites.updateSuite("QC", child, {
        title: "Sign in",
        preconditions: "user exists",
      });
      expect(updated.data.result?.id).toBe(child);
      const list = (await suites.getSuites("QC", "sign", 10, 0)).data.result;
      expect(list?.total).toBe(3);
      expect(list?.filtered).toBe(1);
      expect(list?.entities?.[0]).toMatchObject({ title: "Sign in", preconditions: "user exists" });

      const deleted = await suites.deleteSuite("QC", parent, { destination_id: dest });
      expect(deleted.data.result?.id).toBe(parent);
      expect(await statusOf(suites.getSuite("QC", parent))).toBe(410);
      expect((await suites.getSuite("QC", child)).data.result?.parent_id).toBe(dest);
      expect((await suites.getSuite("QC", dest)).data.result?.cases_count).toBe(1);
      expect(await statusOf(suites.createSuite("QC", { title: "orphan", parent_id: parent }))).toBe(422);

      // Without a destination (the client then sends no body at all): the subtree and its cases go.
      expect((await suites.deleteSuite("QC", dest)).data.result?.id).toBe(dest);
      expect(await statusOf(suites.getSuite("QC", child))).toBe(410);
      expect((await cases.getCases("QC")).data.result?.total).toBe(0);
    });

    it("drives cases through create, get, filtered list, update, bulk, external issues and delete", async () => {
      const suiteId = (await suites.createSuite("QC", { title: "Cart" })).data.result?.id ?? 0;
      const body: TestCaseCreate = {
        title: "Add to cart",
        description: "adds an item",
        preconditions: "logged in",
        postconditions: "cart has one item",
        severity: severity.get("blocker") ?? -1,
        priority: 1,
        behavior: 2,
        type: 3,
        layer: 1,
        is_flaky: 0,
        suite_id: suiteId,
        isManual: false,
        status: 0,
        steps_type: "classic" as TestCaseCreate["steps_type"],
        steps: [
          {
            action: "Open product",
            expected_result: "Page shown",
            data: "sku",
            steps: [{ action: "Scroll" }],
          },
        ],
        tags: ["cart", "web"],
        params: { browser: ["chromium", "webkit"] },
        custom_field: { [fieldId]: "alpha" },
        attachments: [file],
      };
      const id = (await cases.createCase("QC", body)).data.result?.id ?? 0;
      expect(id).toBeGreaterThan(0);

      const got = (await cases.getCase("QC", id)).data.result as TestCase;
      expect(keys(got)).toEqual(names(CASE_KEYS, "version"));
      expect(got).toMatchObject({
        id,
        title: "Add to cart",
        severity: 1,
        priority: 1,
        behavior: 2,
        type: 3,
        layer: 1,
        automation: 2,
        isManual: false,
        isToBeAutomated: false,
        suite_id: suiteId,
        steps_type: "classic",
        params: { browser: ["chromium", "webkit"] },
        custom_fields: [{ id: fieldId, value: "alpha" }],
      });
      const step = got.steps?.[0];
      expect(keys(step)).toEqual(names(STEP_KEYS));
      expect(step).toMatchObject({
        action: "Open product",
        expected_result: "Page shown",
        data: "sku",
        position: 1,
      });
      expect(keys(step?.steps?.[0] as object)).toEqual(names(STEP_KEYS));
      expect(got.tags?.map((x) => x.title)).toEqual(["cart", "web"]);
      expect(got.parameters?.[0]).toMatchObject({
        type: "single",
        item: { title: "browser", values: ["chromium", "webkit"] },
      });
      expect(got.created_at).toMatch(/\+00:00$/);

      const bulk = await cases.bulk("QC", {
        cases: [
          { title: "Remove from cart", suite_id: suiteId, severity: 5 },
          { title: "Empty cart", suite_id: suiteId, severity: 1 },
        ],
      });
      const ids = bulk.data.result?.ids ?? [];
      expect(ids).toEqual([id + 1, id + 2]);

      const filtered = (
        await cases.getCases(
          "QC",
          "cart",
          undefined,
          suiteId,
          "blocker",
          undefined,
          undefined,
          undefined,
          "automated",
        )
      ).data.result;
      expect(filtered?.entities?.map((c) => c.title)).toEqual(["Add to cart"]);
      expect(filtered?.filtered).toBe(1);
      const bySeverity = (await cases.getCases("QC", undefined, undefined, suiteId, "blocker,minor")).data
        .result;
      expect(bySeverity?.entities?.map((c) => c.id)).toEqual([id, id + 1, id + 2]);
      expect(bySeverity?.total).toBe(3);
      const paged = (
        await cases.getCases(
          "QC",
          undefined,
          undefined,
          suiteId,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          1,
          1,
        )
      ).data.result;
      expect(paged?.count).toBe(1);
      expect(paged?.entities?.[0]?.id).toBe(id + 1);

      await cases.updateCase("QC", id, {
        title: "Add one item to cart",
        isManual: true,
        isToBeAutomated: true,
        tags: ["cart"],
      });
      const after = (await cases.getCase("QC", id)).data.result;
      expect(after).toMatchObject({
        title: "Add one item to cart",
        automation: 1,
        isManual: true,
        isToBeAutomated: true,
      });
      expect(after?.tags).toEqual([got.tags?.[0]]);

      const attach = await cases.caseAttachExternalIssue("QC", {
        type: TestCaseExternalIssuesTypeEnum.JIRA_CLOUD,
        links: [{ case_id: id, external_issues: ["SHOP-1"] }],
      });
      expect(attach.data.status).toBe(true);
      expect((await cases.getCase("QC", id)).data.result?.external_issues).toEqual([
        { type: "jira-cloud", issues: [{ id: "SHOP-1" }] },
      ]);
      const byIssue = await cases.getCases(
        "QC",
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        "jira-cloud",
        ["SHOP-1"],
      );
      expect(byIssue.data.result?.entities?.map((c) => c.id)).toEqual([id]);
      await cases.caseDetachExternalIssue("QC", {
        type: TestCaseExternalIssuesTypeEnum.JIRA_CLOUD,
        links: [{ case_id: id, external_issues: ["SHOP-1"] }],
      });
      expect((await cases.getCase("QC", id)).data.result?.external_issues).toEqual([]);

      expect((await cases.deleteCase("QC", id + 2)).data.result?.id).toBe(id + 2);
      expect(await statusOf(cases.getCase("QC", id + 2))).toBe(410);
      expect(await statusOf(cases.getCase("QC", 99999))).toBe(404);
      expect(await statusOf(cases.createCase("QC", { title: "bad", severity: 42 }))).toBe(422);
      expect(await statusOf(cases.bulk("QC", { cases: [{ title: "ok" }, { title: "" }] }))).toBe(422);
    });
  },
);
