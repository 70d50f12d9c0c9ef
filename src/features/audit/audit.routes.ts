import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { iso } from "../../db/time.js";
import { ListSchema, ok, PageQuery, page } from "../../http/envelope.js";
import { RowId } from "../../http/schema-bounds.js";
import type { App } from "../../http/types.js";
import { auditPage } from "./audit.service.js";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  action: Type.String(),
  actor_user_id: Nullable(Type.Integer()),
  actor_user_name: Nullable(Type.String()),
  actor_user_email: Nullable(Type.String()),
  actor_token_id: Nullable(Type.Integer()),
  target_type: Nullable(Type.String()),
  target_id: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  details: Nullable(Type.Record(Type.String(), Type.Unknown())),
});

const AuditQuery = Type.Composite([
  PageQuery,
  Type.Object({
    action: Type.Optional(Type.String({ maxLength: 64 })),
    user_id: Type.Optional(RowId),
  }),
]);

export async function auditRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/audit",
    {
      config: { access: "audit.read" },
      schema: { querystring: AuditQuery, response: { 200: ListSchema(AuditEntry) } },
    },
    async (req) => {
      const q = req.query;
      const { rows, total } = await auditPage(
        ctx.db,
        { action: q.action, userId: q.user_id },
        q.limit,
        q.offset,
      );
      const entities = rows.map(({ actor_name, actor_email, ...r }) => ({
        ...r,
        actor_user_name: actor_name,
        actor_user_email: actor_email,
        at: iso(r.at) ?? "",
        details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
      }));
      return ok(page(entities, total));
    },
  );
}
