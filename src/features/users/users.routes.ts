import type { AppContext } from "../../context.js";
import { ok, PageQuery, page } from "../../http/envelope.js";
import { principalOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { presentUser } from "./users.present.js";
import { UserCreateBody, UserIdParams, UserList, UserResponse, UserUpdateBody } from "./users.schemas.js";
import { createUser, listUsersPage, requireUser, setUserActive, setUserRole } from "./users.service.js";

export async function userRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/user",
    { config: { access: "user.read" }, schema: { querystring: PageQuery, response: { 200: UserList } } },
    async (req) => {
      const { rows, total } = await listUsersPage(ctx, req.query.limit, req.query.offset);
      return ok(page(rows.map(presentUser), total));
    },
  );

  app.get(
    "/v1/user/:id",
    { config: { access: "user.read" }, schema: { params: UserIdParams, response: { 200: UserResponse } } },
    async (req) => ok(presentUser(await requireUser(ctx, req.params.id))),
  );

  app.post(
    "/v1/user",
    { config: { access: "user.manage" }, schema: { body: UserCreateBody, response: { 200: UserResponse } } },
    async (req) => ok(presentUser(await createUser(ctx, principalOf(req), req.body))),
  );

  app.patch(
    "/v1/user/:id",
    {
      config: { access: "user.manage" },
      schema: { params: UserIdParams, body: UserUpdateBody, response: { 200: UserResponse } },
    },
    async (req) => {
      const actor = principalOf(req);
      let user = await requireUser(ctx, req.params.id);
      if (req.body.role !== undefined && req.body.role !== user.role)
        user = await setUserRole(ctx, actor, user, req.body.role);
      if (req.body.is_active !== undefined && req.body.is_active !== (user.is_active === 1)) {
        user = await setUserActive(ctx, actor, user, req.body.is_active);
      }
      return ok(presentUser(user));
    },
  );
}
