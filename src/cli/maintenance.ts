import type { Command } from "commander";
import { getMaintenance, setMaintenance } from "../features/settings/settings.service.js";
import { withContext, withStoreOptions } from "./shared.js";

export function maintenanceCommand(program: Command) {
  withStoreOptions(program.command("maintenance"))
    .description(
      "turn maintenance mode on or off: API calls answer 503 with Retry-After; health checks still answer",
    )
    .argument("<state>", "on | off | status")
    .option("--message <text>", "shown in the 503 body", "")
    .action(async (state: string, flags: { dataDir?: string; message: string }) => {
      if (!["on", "off", "status"].includes(state)) throw new Error('state must be "on", "off" or "status"');
      const now = await withContext(flags, async (ctx) => {
        if (state !== "status") await setMaintenance(ctx.db, state === "on", flags.message);
        return getMaintenance(ctx.db);
      });
      console.log(`maintenance is ${now.on ? "on" : "off"}`);
    });
}
