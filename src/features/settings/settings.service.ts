import type { Db } from "../../db/database.js";
import { now } from "../../db/time.js";
import { fail } from "../../http/errors.js";
import type { Principal } from "../../http/principal.js";
import { record } from "../audit/audit.service.js";
import { readSetting, readSettings, writeSetting } from "./settings.repository.js";

/** Workspace-wide token policy, editable by admins. */
export interface TokenPolicy {
  /** Longest lifetime a new token may have, in days; null = no cap. */
  maxLifetimeDays: number | null;
  /** Whether tokens that never expire may be created. */
  allowNever: boolean;
}

export async function getTokenPolicy(db: Db): Promise<TokenPolicy> {
  const s = await readSettings(db);
  const max = s.get("token.max_lifetime_days");
  return {
    maxLifetimeDays: max ? Number(max) : null,
    allowNever: s.get("token.allow_never") !== "false",
  };
}

export async function updateTokenPolicy(
  db: Db,
  actor: Principal | null,
  patch: { maxLifetimeDays?: number | null; allowNever?: boolean },
): Promise<TokenPolicy> {
  if (patch.maxLifetimeDays !== undefined && patch.maxLifetimeDays !== null) {
    if (
      !Number.isInteger(patch.maxLifetimeDays) ||
      patch.maxLifetimeDays < 1 ||
      patch.maxLifetimeDays > 3650
    ) {
      throw fail.invalid("token_max_lifetime_days", "must be an integer from 1 to 3650, or null");
    }
  }
  const at = now();
  await db.transaction().execute(async (tx) => {
    if (patch.maxLifetimeDays !== undefined) {
      await writeSetting(
        tx,
        "token.max_lifetime_days",
        patch.maxLifetimeDays === null ? "" : String(patch.maxLifetimeDays),
        at,
      );
    }
    if (patch.allowNever !== undefined) {
      await writeSetting(tx, "token.allow_never", String(patch.allowNever), at);
    }
    await record(tx, { action: "settings.changed", actor, details: { ...patch } });
  });
  return getTokenPolicy(db);
}

export interface MaintenanceState {
  on: boolean;
  message: string;
}

export async function getMaintenance(db: Db): Promise<MaintenanceState> {
  const raw = await readSetting(db, "maintenance");
  if (!raw) return { on: false, message: "" };
  const parsed = JSON.parse(raw) as MaintenanceState;
  return { on: parsed.on === true, message: String(parsed.message ?? "") };
}

export async function setMaintenance(db: Db, on: boolean, message = ""): Promise<void> {
  const at = now();
  await db.transaction().execute(async (tx) => {
    await writeSetting(tx, "maintenance", JSON.stringify({ on, message }), at);
    await record(tx, { action: "maintenance.changed", details: { on } });
  });
}
