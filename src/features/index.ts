import type { AppContext } from "../context.js";
import type { App } from "../http/types.js";
import { attachmentRoutes } from "./attachments/attachments.routes.js";
import { auditRoutes } from "./audit/audit.routes.js";
import { caseRoutes } from "./cases/cases.routes.js";
import { defectRoutes } from "./defects/defects.routes.js";
import { planRoutes } from "./plans/plans.routes.js";
import { projectRoutes } from "./projects/projects.routes.js";
import { resultRoutes } from "./results/results.routes.js";
import { resultV2Routes } from "./results/results.v2.routes.js";
import { runRoutes } from "./runs/runs.routes.js";
import { sessionRoutes } from "./sessions/sessions.routes.js";
import { settingsRoutes } from "./settings/settings.routes.js";
import { suiteRoutes } from "./suites/suites.routes.js";
import { systemRoutes } from "./system/system.routes.js";
import { systemFieldRoutes } from "./system-fields/system-fields.routes.js";
import { tokenRoutes } from "./tokens/tokens.routes.js";
import { userRoutes } from "./users/users.routes.js";
import { webRoutes } from "./web/web.routes.js";

/** Every feature's routes; each declares its own access in route config. */
export async function registerFeatures(app: App, ctx: AppContext) {
  await systemRoutes(app, ctx);
  await sessionRoutes(app, ctx);
  await userRoutes(app, ctx);
  await tokenRoutes(app, ctx);
  await projectRoutes(app, ctx);
  await auditRoutes(app, ctx);
  await settingsRoutes(app, ctx);
  await suiteRoutes(app, ctx);
  await caseRoutes(app, ctx);
  await planRoutes(app, ctx);
  await runRoutes(app, ctx);
  await resultRoutes(app, ctx);
  await resultV2Routes(app, ctx);
  await defectRoutes(app, ctx);
  await systemFieldRoutes(app, ctx);
  await attachmentRoutes(app, ctx);
  await webRoutes(app, ctx);
}
