import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { OkSchema, ok } from "../../http/envelope.js";
import { principalOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { getTokenPolicy, type TokenPolicy, updateTokenPolicy } from "./settings.service.js";

const Settings = Type.Object({
  token_max_lifetime_days: Type.Union([Type.Integer(), Type.Null()]),
  token_allow_never: Type.Boolean(),
});
const SettingsPatch = Type.Object({
  token_max_lifetime_days: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()]),
  ),
  token_allow_never: Type.Optional(Type.Boolean()),
});

function present(p: TokenPolicy) {
  return { token_max_lifetime_days: p.maxLifetimeDays, token_allow_never: p.allowNever };
}

export async function settingsRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/workspace/settings",
    { config: { access: "authenticated" }, schema: { response: { 200: OkSchema(Settings) } } },
    async () => ok(present(await getTokenPolicy(ctx.db))),
  );

  app.patch(
    "/v1/workspace/settings",
    {
      config: { access: "settings.manage" },
      schema: { body: SettingsPatch, response: { 200: OkSchema(Settings) } },
    },
    async (req) => {
      const policy = await updateTokenPolicy(ctx.db, principalOf(req), {
        maxLifetimeDays: req.body.token_max_lifetime_days,
        allowNever: req.body.token_allow_never,
      });
      return ok(present(policy));
    },
  );
}
