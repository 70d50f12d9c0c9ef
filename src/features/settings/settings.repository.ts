import type { Db } from "../../db/database.js";

export async function readSettings(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom("settings").select(["key", "value"]).execute();
  return new Map(rows.map((r) => [r.key, r.value]));
}

export async function readSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

export async function writeSetting(db: Db, key: string, value: string, at: number): Promise<void> {
  await db
    .insertInto("settings")
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: at }))
    .execute();
}
