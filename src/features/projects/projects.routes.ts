import type { AppContext } from "../../context.js";
import { iso } from "../../db/time.js";
import { ok, PageQuery, page, StatusOnlySchema } from "../../http/envelope.js";
import { cachedJson } from "../../http/response-cache.js";
import { principalOf, projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import type { ProjectRow } from "./projects.repository.js";
import {
  ProjectAccessBody,
  ProjectCodeParams,
  ProjectCodeResponse,
  ProjectCreateBody,
  ProjectList,
  ProjectMemberList,
  ProjectResponse,
  ProjectUpdateBody,
} from "./projects.schemas.js";
import {
  createProject,
  deleteProject,
  listProjectMembers,
  listProjects,
  type ProjectCounts,
  parseSettings,
  projectCounts,
  setProjectAccess,
  updateProject,
} from "./projects.service.js";

function present(p: ProjectRow, counts: ProjectCounts) {
  return {
    title: p.title,
    code: p.code,
    description: p.description,
    access: p.access,
    settings: parseSettings(p.settings),
    counts,
    created_at: iso(p.created_at) ?? "",
    updated_at: iso(p.updated_at) ?? "",
  };
}

export async function projectRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/project",
    {
      config: { access: "project.read" },
      schema: { querystring: PageQuery, response: { 200: ProjectList } },
    },
    async (req) => {
      const { rows, total } = await listProjects(ctx, principalOf(req), req.query.limit, req.query.offset);
      const entities = await Promise.all(rows.map(async (p) => present(p, await projectCounts(ctx, p))));
      return ok(page(entities, total));
    },
  );

  app.post(
    "/v1/project",
    {
      config: { access: "project.create" },
      schema: { body: ProjectCreateBody, response: { 200: ProjectCodeResponse } },
    },
    async (req) => {
      const project = await createProject(ctx, principalOf(req), req.body);
      return ok({ code: project.code });
    },
  );

  app.get(
    "/v1/project/:code",
    {
      config: { access: "project.read" },
      schema: { params: ProjectCodeParams, response: { 200: ProjectResponse } },
    },
    async (req, reply) => {
      const project = projectOf(req);
      await cachedJson(ctx, req, reply, async () => ok(present(project, await projectCounts(ctx, project))));
    },
  );

  app.patch(
    "/v1/project/:code",
    {
      config: { access: "project.update" },
      schema: { params: ProjectCodeParams, body: ProjectUpdateBody, response: { 200: ProjectResponse } },
    },
    async (req) => {
      const updated = await updateProject(ctx, principalOf(req), projectOf(req), req.body);
      return ok(present(updated, await projectCounts(ctx, updated)));
    },
  );

  app.delete(
    "/v1/project/:code",
    {
      config: { access: "project.delete" },
      schema: { params: ProjectCodeParams, response: { 200: StatusOnlySchema } },
    },
    async (req) => {
      await deleteProject(ctx, principalOf(req), projectOf(req));
      return { status: true };
    },
  );

  app.get(
    "/v1/project/:code/access",
    {
      config: { access: "project.read" },
      schema: { params: ProjectCodeParams, querystring: PageQuery, response: { 200: ProjectMemberList } },
    },
    async (req) => {
      const { rows, total } = await listProjectMembers(
        ctx,
        projectOf(req),
        req.query.limit,
        req.query.offset,
      );
      const entities = rows.map((m) => ({
        id: m.id,
        name: m.name,
        email: m.email,
        role: m.role,
        is_active: m.is_active === 1,
        granted_at: iso(m.granted_at) ?? "",
      }));
      return ok(page(entities, total));
    },
  );

  for (const grant of [true, false]) {
    app.route({
      method: grant ? "POST" : "DELETE",
      url: "/v1/project/:code/access",
      config: { access: "project.access" },
      schema: { params: ProjectCodeParams, body: ProjectAccessBody, response: { 200: StatusOnlySchema } },
      handler: async (req) => {
        await setProjectAccess(ctx, principalOf(req), projectOf(req), req.body.member_id, grant);
        return { status: true };
      },
    });
  }
}
