import type { AppContext } from "../../context.js";
import { iso } from "../../db/time.js";
import { ok, page, StatusOnlySchema } from "../../http/envelope.js";
import { principalOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { findUserById } from "../users/users.repository.js";
import type { TokenRow } from "./tokens.repository.js";
import {
  IssuedTokenResponse,
  TokenCreateBody,
  TokenIdParams,
  TokenList,
  TokenListQuery,
} from "./tokens.schemas.js";
import {
  createToken,
  type IssuedToken,
  listTokensFor,
  parseProjects,
  parseScopes,
  revokeTokenById,
  rotateTokenById,
  tokenStatus,
} from "./tokens.service.js";

export function presentToken(t: TokenRow, user: { id: number; email: string; name: string }) {
  return {
    id: t.id,
    title: t.name,
    preview: t.preview,
    scopes: parseScopes(t.scopes),
    projects: parseProjects(t.projects),
    status: tokenStatus(t),
    created_at: iso(t.created_at) ?? "",
    expires_at: iso(t.expires_at),
    rotated_at: iso(t.rotated_at),
    last_used_at: iso(t.last_used_at),
    last_used_ip: t.last_used_ip,
    revoked_at: iso(t.revoked_at),
    user,
  };
}

async function presentIssued(ctx: AppContext, issued: IssuedToken) {
  const owner = await findUserById(ctx.db, issued.token.user_id);
  if (!owner) throw new Error("token owner vanished");
  return { ...presentToken(issued.token, owner), token: issued.secret };
}

export async function tokenRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/token",
    {
      config: { access: "token.read" },
      schema: { querystring: TokenListQuery, response: { 200: TokenList } },
    },
    async (req) => {
      const q = req.query;
      const { rows, total } = await listTokensFor(ctx, principalOf(req), {
        all: q.all,
        includeRevoked: q.include_revoked,
        limit: q.limit,
        offset: q.offset,
      });
      const entities = rows.map((t) =>
        presentToken(t, { id: t.user_id, email: t.user_email, name: t.user_name }),
      );
      return ok(page(entities, total));
    },
  );

  app.post(
    "/v1/token",
    {
      config: { access: "token.manage" },
      schema: { body: TokenCreateBody, response: { 200: IssuedTokenResponse } },
    },
    async (req) => {
      const b = req.body;
      const issued = await createToken(ctx, principalOf(req), {
        title: b.title,
        expiresInDays: b.expires_in_days,
        expiresAt: b.expires_at,
        scopes: b.scopes,
        projects: b.projects,
      });
      return ok(await presentIssued(ctx, issued));
    },
  );

  app.delete(
    "/v1/token/:id",
    {
      config: { access: "token.manage" },
      schema: { params: TokenIdParams, response: { 200: StatusOnlySchema } },
    },
    async (req) => {
      await revokeTokenById(ctx, principalOf(req), req.params.id);
      return { status: true };
    },
  );

  app.post(
    "/v1/token/:id/rotate",
    {
      config: { access: "token.manage" },
      schema: { params: TokenIdParams, response: { 200: IssuedTokenResponse } },
    },
    async (req) => ok(await presentIssued(ctx, await rotateTokenById(ctx, principalOf(req), req.params.id))),
  );
}
