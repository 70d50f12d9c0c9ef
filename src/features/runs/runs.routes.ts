import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { publicBase } from "../../http/base-url.js";
import { ok, page, StatusOnlySchema } from "../../http/envelope.js";
import { fail } from "../../http/errors.js";
import { cachedJson } from "../../http/response-cache.js";
import { principalOf, projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { findPublicRun } from "./public-run.repository.js";
import { runSuiteTotals } from "./run-suites.service.js";
import { presentRuns } from "./runs.present.js";
import {
  CodeParams,
  EntryListQuery,
  IdResponse,
  PublicBody,
  PublicResponse,
  RunCreateBody,
  RunEntryList,
  RunExternalIssueBody,
  RunGetQuery,
  RunList,
  RunListQuery,
  RunParams,
  RunResponse,
  RunSuiteList,
  RunUpdateBody,
} from "./runs.schemas.js";
import {
  completeRun,
  createRun,
  deleteRun,
  editRun,
  getRun,
  linkRunExternalIssues,
  listRunEntries,
  listRunsPage,
  runStatusFilter,
  setRunPublic,
} from "./runs.service.js";

function includes(include: string | undefined, what: string): boolean {
  return (include ?? "").split(",").some((s) => s.trim() === what);
}

export async function runRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/run/:code",
    {
      config: { access: "project.read" },
      schema: { params: CodeParams, querystring: RunListQuery, response: { 200: RunList } },
    },
    async (req, reply) => {
      const q = req.query;
      const filter = {
        search: q.search,
        statuses: runStatusFilter(q.status),
        milestoneId: q.milestone,
        environmentId: q.environment,
        // Qase takes unix seconds here.
        fromStart: q.from_start_time === undefined ? undefined : q.from_start_time * 1000,
        toStart: q.to_start_time === undefined ? undefined : q.to_start_time * 1000,
        buildId: q.build_id,
      };
      const project = projectOf(req);
      await cachedJson(ctx, req, reply, async () => {
        const withCases = includes(q.include, "cases");
        const r = await listRunsPage(ctx, project, filter, withCases, q.limit, q.offset);
        return ok(page(r.entities, r.total, r.filtered));
      });
    },
  );

  app.post(
    "/v1/run/:code",
    {
      config: { access: "run.create" },
      schema: { params: CodeParams, body: RunCreateBody, response: { 200: IdResponse } },
    },
    async (req) => {
      const r = await createRun(ctx, principalOf(req), projectOf(req), req.body);
      return ok({ id: r.id });
    },
  );

  app.post(
    "/v1/run/:code/external-issue",
    {
      config: { access: "run.create" },
      schema: { params: CodeParams, body: RunExternalIssueBody, response: { 200: StatusOnlySchema } },
    },
    async (req) => {
      await linkRunExternalIssues(ctx, projectOf(req), req.body);
      return { status: true };
    },
  );

  app.get(
    "/v1/run/:code/:id",
    {
      config: { access: "project.read" },
      schema: { params: RunParams, querystring: RunGetQuery, response: { 200: RunResponse } },
    },
    async (req) => ok(await getRun(ctx, projectOf(req), req.params.id, includes(req.query.include, "cases"))),
  );

  app.patch(
    "/v1/run/:code/:id",
    {
      config: { access: "run.create" },
      schema: { params: RunParams, body: RunUpdateBody, response: { 200: StatusOnlySchema } },
    },
    async (req) => {
      await editRun(ctx, projectOf(req), req.params.id, req.body);
      return { status: true };
    },
  );

  app.delete(
    "/v1/run/:code/:id",
    { config: { access: "run.create" }, schema: { params: RunParams, response: { 200: IdResponse } } },
    async (req) => {
      await deleteRun(ctx, projectOf(req), req.params.id);
      return ok({ id: req.params.id });
    },
  );

  app.post(
    "/v1/run/:code/:id/complete",
    { config: { access: "run.create" }, schema: { params: RunParams, response: { 200: StatusOnlySchema } } },
    async (req) => {
      await completeRun(ctx, projectOf(req), req.params.id);
      return { status: true };
    },
  );

  app.patch(
    "/v1/run/:code/:id/public",
    {
      config: { access: "run.create" },
      schema: { params: RunParams, body: PublicBody, response: { 200: PublicResponse } },
    },
    async (req) => {
      const url = await setRunPublic(
        ctx,
        projectOf(req),
        req.params.id,
        req.body.status,
        publicBase(ctx, req),
      );
      return ok({ url });
    },
  );

  // Verdict extension: the run's lines, each case at the version the run pinned.
  app.get(
    "/v1/run/:code/:id/entries",
    {
      config: { access: "project.read" },
      schema: { params: RunParams, querystring: EntryListQuery, response: { 200: RunEntryList } },
    },
    async (req, reply) => {
      const q = req.query;
      const project = projectOf(req);
      await cachedJson(ctx, req, reply, async () => {
        const r = await listRunEntries(ctx, project, req.params.id, q.status, q.limit, q.offset);
        return ok(page(r.entities, r.total, r.filtered));
      });
    },
  );

  // Verdict extension: the whole run's counts per suite (the suite each case is in now), for suite headers.
  app.get(
    "/v1/run/:code/:id/suites",
    {
      config: { access: "project.read" },
      schema: { params: RunParams, response: { 200: RunSuiteList } },
    },
    async (req) => {
      const suites = await runSuiteTotals(ctx, projectOf(req), req.params.id);
      return ok(page(suites, suites.length));
    },
  );

  // The public link of a run: read-only, no credentials, only while the run is public.
  app.get(
    "/public/run/:project/:hash",
    {
      config: { access: "public" },
      schema: {
        params: Type.Object({
          project: Type.String({ minLength: 1, maxLength: 10 }),
          hash: Type.String({ minLength: 20, maxLength: 64 }),
        }),
        response: { 200: RunResponse },
      },
    },
    async (req) => {
      const found = await findPublicRun(ctx.db, req.params.project, req.params.hash);
      if (!found) throw fail.notFound("Public run");
      const [out] = await presentRuns(ctx.db, found.project, [found.run], { includeCases: true });
      if (!out) throw fail.notFound("Public run");
      return ok(out);
    },
  );
}
