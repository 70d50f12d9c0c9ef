import type { AddressInfo } from "node:net";
import { Configuration, ReviewsApi } from "qase-api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorUuid } from "../src/features/authors/authors.service.js";
import { apiCaller, fieldsOf } from "./helpers/api.js";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

describe.each(dialects)("case reviews on $name", (dialect) => {
  let t: TestApp;
  let token = "";
  let memberToken = "";
  let viewerToken = "";
  let ownerId = 0;
  let ownerUuid = "";
  let memberUuid = "";
  let viewerUuid = "";
  let suiteId = 0;
  let caseId = 0;

  const call = apiCaller(
    () => t.app,
    () => token,
  );
  const review = async (id: number) => (await call("GET", `/v1/review/RV/${id}`)).body.result;
  const list = async (query = "") => (await call("GET", `/v1/review/RV${query}`)).body.result;
  const getCase = async (id: number) => (await call("GET", `/v1/case/RV/${id}`)).body.result;

  beforeAll(async () => {
    t = await startApp(dialect);
    const owner = await t.user("owner");
    const member = await t.user("member");
    const viewer = await t.user("viewer");
    ownerId = owner.id;
    ownerUuid = authorUuid(owner.id);
    memberUuid = authorUuid(member.id);
    viewerUuid = authorUuid(viewer.id);
    await t.project("RV", owner);
    token = await t.token(owner);
    memberToken = await t.token(member);
    viewerToken = await t.token(viewer);
    suiteId = (await call("POST", "/v1/suite/RV", { title: "Login" })).body.result.id;
    caseId = (
      await call("POST", "/v1/case/RV", {
        title: "Sign in",
        suite_id: suiteId,
        description: "old",
        priority: 2,
      })
    ).body.result.id;
  });
  afterAll(() => t.close());

  it("creates a review of a new case and reads it back in Qase's shape", async () => {
    const r = await call("POST", "/v1/review/RV", {
      reviewers: [memberUuid],
      proposed_case: {
        title: " Reset password ",
        severity: "critical",
        priority: 1,
        suite_id: suiteId,
        is_manual: true,
        steps_type: "classic",
        steps: [{ action: "Open form", expected_result: "Form shown" }],
        tags: ["auth"],
        parameters: [{ title: "browser", values: ["chrome", "firefox"] }],
        is_muted: false,
      },
    });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: true, result: { id: 1 } });
    const got = await review(1);
    expect(got).toMatchObject({
      id: 1,
      title: "Reset password",
      type: "create",
      status: "open",
      case_id: null,
      author_uuid: ownerUuid,
      reviewers: [{ author_uuid: memberUuid, status: "unapproved" }],
      closed_at: null,
      merged_case_version: null,
    });
    expect(got.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    expect(got.proposed_case).toEqual({
      title: "Reset password",
      severity: 2,
      priority: 1,
      suite_id: suiteId,
      is_manual: true,
      is_muted: false,
      steps_type: "classic",
      steps: [{ action: "Open form", expected_result: "Form shown" }],
      tags: ["auth"],
      parameters: [
        { type: "single", shared_id: null, item: { title: "browser", values: ["chrome", "firefox"] } },
      ],
    });
  });

  it("creates an edit review titled after its case, proposing only the changed fields", async () => {
    const r = await call("POST", "/v1/review/RV", {
      case_id: caseId,
      reviewers: [memberUuid, viewerUuid, memberUuid],
      proposed_case: { description: "new", priority: 1 },
    });
    expect(r.body.result.id).toBe(2);
    const got = await review(2);
    expect(got).toMatchObject({ type: "edit", title: "Sign in", case_id: caseId, status: "open" });
    expect(got.reviewers.map((x: { author_uuid: string }) => x.author_uuid)).toEqual([
      memberUuid,
      viewerUuid,
    ]);
    expect(got.proposed_case).toEqual({ description: "new", priority: 1 });
  });

  it("refuses invalid proposals, unknown reviewers and missing or deleted cases", async () => {
    const noTitle = await call("POST", "/v1/review/RV", { proposed_case: { description: "x" } });
    expect(noTitle.status).toBe(422);
    expect(fieldsOf(noTitle)).toEqual(["proposed_case.title"]);
    const bad = await call("POST", "/v1/review/RV", {
      reviewers: ["00000000-0000-5000-8000-000000000000"],
      proposed_case: { title: "t", severity: "enormous", is_manual: false, is_to_be_automated: true },
    });
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad).sort()).toEqual([
      "proposed_case.is_to_be_automated",
      "proposed_case.severity",
      "reviewers.0",
    ]);
    expect((await call("POST", "/v1/review/RV", { proposed_case: { title: "   " } })).status).toBe(422);
    expect((await call("POST", "/v1/review/RV", { case_id: 9999, proposed_case: {} })).status).toBe(404);
    const doomed = (await call("POST", "/v1/case/RV", { title: "Doomed" })).body.result.id;
    await call("DELETE", `/v1/case/RV/${doomed}`);
    expect((await call("POST", "/v1/review/RV", { case_id: doomed, proposed_case: {} })).status).toBe(410);
    expect((await call("POST", "/v1/review/XX", { proposed_case: { title: "t" } })).status).toBe(404);
    expect((await list()).total).toBe(2);
  });

  it("reviewers give verdicts; reviewer-only edits keep them, proposal edits reset them", async () => {
    const verdict = (id: number, status: string, as: string) =>
      call("POST", `/v1/review/RV/${id}/verdict`, { status }, as);
    expect((await verdict(2, "approved", memberToken)).status).toBe(200);
    expect((await verdict(2, "approved", token)).status).toBe(403); // the owner is not a reviewer
    expect((await review(2)).reviewers[0]).toEqual({ author_uuid: memberUuid, status: "approved" });

    expect((await call("PATCH", "/v1/review/RV/2", { reviewers: [ownerUuid, memberUuid] })).status).toBe(200);
    expect((await review(2)).reviewers).toEqual([
      { author_uuid: ownerUuid, status: "unapproved" },
      { author_uuid: memberUuid, status: "approved" },
    ]);
    const patched = await call("PATCH", "/v1/review/RV/2", { proposed_case: { title: "Sign in v2" } });
    expect(patched.body).toEqual({ status: true, result: { id: 2 } });
    const got = await review(2);
    expect(got.proposed_case).toEqual({ description: "new", priority: 1, title: "Sign in v2" });
    expect(got.title).toBe("Sign in v2");
    expect(got.reviewers.map((x: { status: string }) => x.status)).toEqual(["unapproved", "unapproved"]);
    const badPatch = await call("PATCH", "/v1/review/RV/2", { proposed_case: { priority: "top" } });
    expect(fieldsOf(badPatch)).toEqual(["proposed_case.priority"]);
    expect((await call("PATCH", "/v1/review/RV/2", { reviewers: [] })).status).toBe(200);
    expect((await review(2)).reviewers).toEqual([]);
  });

  it("merging an edit review writes a new case version; a merged review is closed for good", async () => {
    const before = await getCase(caseId);
    const merged = await call("POST", `/v1/review/RV/2/merge`);
    expect(merged.status).toBe(200);
    expect(merged.body.result).toEqual({ id: 2, case_id: caseId, case_version: before.version + 1 });
    const after = await getCase(caseId);
    expect(after).toMatchObject({
      title: "Sign in v2",
      description: "new",
      priority: 1,
      version: before.version + 1,
    });
    const versions = (await call("GET", `/v1/case/RV/${caseId}/versions`)).body.result;
    expect(versions.total).toBe(before.version + 1);
    expect(versions.entities.at(-1).changes.sort()).toEqual(["description", "priority", "title"]);
    expect(await review(2)).toMatchObject({ status: "merged", merged_case_version: before.version + 1 });
    expect((await review(2)).closed_at).not.toBeNull();

    const again = await call("POST", `/v1/review/RV/2/merge`);
    expect(again.status).toBe(422);
    expect(again.body.errorMessage).toMatch(/already merged/);
    expect((await call("POST", `/v1/review/RV/2/decline`)).status).toBe(422);
    expect((await call("PATCH", "/v1/review/RV/2", { reviewers: [] })).status).toBe(422);
    const del = await call("DELETE", "/v1/review/RV/2");
    expect(del.status).toBe(422);
    expect(del.body.errorMessage).toMatch(/cannot be deleted/);
    expect((await getCase(caseId)).version).toBe(before.version + 1);
  });

  it("merging a create review creates the case, authored by the review's author", async () => {
    const merged = await call("POST", `/v1/review/RV/1/merge`, undefined, memberToken);
    expect(merged.status).toBe(200);
    const created = await getCase(merged.body.result.case_id);
    expect(created).toMatchObject({
      title: "Reset password",
      severity: 2,
      priority: 1,
      suite_id: suiteId,
      isManual: true,
      author_id: ownerId,
      version: 1,
    });
    expect(created.steps[0]).toMatchObject({ action: "Open form", expected_result: "Form shown" });
    expect(created.tags.map((x: { title: string }) => x.title)).toEqual(["auth"]);
    expect(await review(1)).toMatchObject({ status: "merged", case_id: created.id, merged_case_version: 1 });
  });

  it("declining leaves the case untouched", async () => {
    const id = (await call("POST", "/v1/review/RV", { case_id: caseId, proposed_case: { title: "Nope" } }))
      .body.result.id;
    const before = await getCase(caseId);
    expect((await call("POST", `/v1/review/RV/${id}/decline`)).body).toEqual({
      status: true,
      result: { id },
    });
    expect(await getCase(caseId)).toEqual(before);
    expect((await review(id)).status).toBe("declined");
    const merge = await call("POST", `/v1/review/RV/${id}/merge`);
    expect(merge.status).toBe(422);
    expect(merge.body.errorMessage).toMatch(/already declined/);
    expect((await call("POST", `/v1/review/RV/${id}/decline`)).status).toBe(422);
    expect((await call("POST", `/v1/review/RV/${id}/verdict`, { status: "approved" })).status).toBe(422);
  });

  it("a merge the case service refuses leaves the review open", async () => {
    const doomedSuite = (await call("POST", "/v1/suite/RV", { title: "Doomed" })).body.result.id;
    const id = (
      await call("POST", "/v1/review/RV", { proposed_case: { title: "Lost", suite_id: doomedSuite } })
    ).body.result.id;
    expect((await call("DELETE", `/v1/suite/RV/${doomedSuite}`)).status).toBe(200);
    const merge = await call("POST", `/v1/review/RV/${id}/merge`);
    expect(merge.status).toBe(422);
    expect(fieldsOf(merge)).toEqual(["suite_id"]);
    expect(await review(id)).toMatchObject({ status: "open", closed_at: null, case_id: null });
    expect((await call("POST", `/v1/review/RV/${id}/decline`)).status).toBe(200);
  });

  it("deletes open and declined reviews: 410 afterwards, 404 for ids never used", async () => {
    const id = (await call("POST", "/v1/review/RV", { proposed_case: { title: "Temp" } })).body.result.id;
    expect((await call("DELETE", `/v1/review/RV/${id}`)).body).toEqual({ status: true, result: { id } });
    expect((await call("GET", `/v1/review/RV/${id}`)).status).toBe(410);
    expect((await call("PATCH", `/v1/review/RV/${id}`, { reviewers: [] })).status).toBe(410);
    expect((await call("POST", `/v1/review/RV/${id}/merge`)).status).toBe(410);
    expect((await call("DELETE", `/v1/review/RV/${id}`)).status).toBe(410);
    expect((await list("?limit=100")).entities.map((r: { id: number }) => r.id)).not.toContain(id);
    expect((await call("GET", "/v1/review/RV/9999")).status).toBe(404);
    expect((await call("POST", "/v1/review/RV/9999/merge")).status).toBe(404);
  });

  it("bulk creates each valid item and reports the failing ones; an invalid body creates nothing", async () => {
    const totalBefore = (await list()).total;
    const r = await call("POST", "/v1/review/RV/bulk", {
      reviews: [
        { proposed_case: { title: "Bulk new" }, reviewers: [memberUuid] },
        { case_id: 9999, proposed_case: { title: "Ghost" } },
        { case_id: caseId, proposed_case: { description: "bulk edit" } },
      ],
    });
    expect(r.status).toBe(200);
    const [a, b, c] = r.body.result.items;
    expect(a).toMatchObject({ case_id: null, error: null });
    expect(b).toEqual({ review_id: null, case_id: 9999, error: expect.stringMatching(/not found/) });
    expect(c).toEqual({ review_id: a.review_id + 1, case_id: caseId, error: null });
    expect(await review(c.review_id)).toMatchObject({ type: "edit", status: "open" });
    expect((await list()).total).toBe(totalBefore + 2);

    const invalid = await call("POST", "/v1/review/RV/bulk", {
      reviews: [{ proposed_case: { title: "fine" } }, { proposed_case: { severity: "nope" } }],
    });
    expect(invalid.status).toBe(422);
    expect(fieldsOf(invalid).sort()).toEqual([
      "reviews.1.proposed_case.severity",
      "reviews.1.proposed_case.title",
    ]);
    expect((await call("POST", "/v1/review/RV/bulk", { reviews: [] })).status).toBe(422);
    expect((await list()).total).toBe(totalBefore + 2);
  });

  it("filters by status, type, case, author, reviewer and title, and pages", async () => {
    const ids = async (q: string) => (await list(q)).entities.map((r: { id: number }) => r.id);
    const all = await list("?limit=100");
    expect(all.total).toBe(all.filtered);
    expect(all.count).toBe(all.entities.length);
    expect(await ids("?status=merged")).toEqual([1, 2]);
    for (const r of (await list("?status=open&limit=100")).entities) expect(r.status).toBe("open");
    expect((await list("?status=declined")).filtered).toBe(2);
    for (const r of (await list("?type=edit&limit=100")).entities) expect(r.type).toBe("edit");
    expect(
      (await list("?type=create&limit=100")).entities.every((r: { type: string }) => r.type === "create"),
    ).toBe(true);
    const forCase = await list(`?case_id=${caseId}&limit=100`);
    expect(forCase.filtered).toBe(3); // the merged edit, the declined one and the bulk edit
    expect(forCase.total).toBe(all.total);
    expect((await list(`?author_uuid=${ownerUuid}`)).filtered).toBe(all.total);
    expect((await list(`?author_uuid=${memberUuid}`)).filtered).toBe(0);
    expect(
      (await list(`?reviewer_uuid=${memberUuid}&limit=100`)).entities.map((r: { title: string }) => r.title),
    ).toEqual(["Reset password", "Bulk new"]);
    expect((await list("?reviewer_uuid=00000000-0000-5000-8000-000000000000")).filtered).toBe(0);
    expect(await ids("?search=RESET")).toEqual([1]);
    expect((await list("?search=%25")).filtered).toBe(0);
    const page2 = await list("?limit=2&offset=2");
    expect(page2.count).toBe(2);
    expect(page2.entities.map((r: { id: number }) => r.id)).toEqual(
      all.entities.slice(2, 4).map((r: { id: number }) => r.id),
    );
    expect((await call("GET", "/v1/review/RV?status=closed")).status).toBe(422);
    expect((await call("GET", "/v1/review/RV?author_uuid=nope")).status).toBe(422);
  });

  it("lets viewers read and refuses their writes", async () => {
    const as = (method: string, url: string, body?: unknown) => call(method, url, body, viewerToken);
    expect((await as("GET", "/v1/review/RV")).status).toBe(200);
    expect((await as("GET", "/v1/review/RV/1")).status).toBe(200);
    expect((await as("POST", "/v1/review/RV", { proposed_case: { title: "v" } })).status).toBe(403);
    expect(
      (await as("POST", "/v1/review/RV/bulk", { reviews: [{ proposed_case: { title: "v" } }] })).status,
    ).toBe(403);
    const open = (await list("?status=open")).entities[0].id;
    expect((await as("PATCH", `/v1/review/RV/${open}`, { reviewers: [] })).status).toBe(403);
    expect((await as("DELETE", `/v1/review/RV/${open}`)).status).toBe(403);
    expect((await as("POST", `/v1/review/RV/${open}/merge`)).status).toBe(403);
    expect((await as("POST", `/v1/review/RV/${open}/decline`)).status).toBe(403);
    expect((await review(open)).status).toBe("open");
  });

  it("works through the official qase-api-client ReviewsApi", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as AddressInfo;
    const api = new ReviewsApi(new Configuration({ apiKey: token, basePath: `http://127.0.0.1:${port}/v1` }));
    const created = await api.createReview("RV", {
      case_id: caseId,
      reviewers: [memberUuid],
      proposed_case: { title: "Via client", custom_field: {} },
    });
    const id = created.data.result?.id ?? 0;
    expect(id).toBeGreaterThan(0);
    const got = await api.getReview("RV", id);
    expect(got.data.result).toMatchObject({ id, type: "edit", status: "open", case_id: caseId });
    const listed = await api.getReviews("RV", "open", "edit", caseId, ownerUuid, memberUuid, "client", 10, 0);
    expect(listed.data.result?.entities?.map((r) => r.id)).toEqual([id]);
    await api.updateReview("RV", id, { reviewers: [] });
    const bulk = await api.bulkCreateReviews("RV", {
      reviews: [{ proposed_case: { title: "Client bulk" } }, { case_id: 99999, proposed_case: {} }],
    });
    expect(bulk.data.result?.items?.map((x) => x.error === null)).toEqual([true, false]);
    expect((await api.deleteReview("RV", id)).data.result?.id).toBe(id);
    await expect(api.getReview("RV", id)).rejects.toMatchObject({ response: { status: 410 } });
  });
});
