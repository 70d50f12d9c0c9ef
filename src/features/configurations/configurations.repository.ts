import type { Db } from "../../db/database.js";

export interface GroupWithConfigurations {
  id: number;
  title: string;
  configurations: { id: number; title: string }[];
}

/** The project's groups in creation order, each with its configurations in creation order. */
export async function listGroups(db: Db, projectId: number): Promise<GroupWithConfigurations[]> {
  const [groups, items] = await Promise.all([
    db
      .selectFrom("configuration_groups")
      .select(["id", "title"])
      .where("project_id", "=", projectId)
      .orderBy("id")
      .execute(),
    db
      .selectFrom("configurations")
      .select(["id", "group_id", "title"])
      .where("project_id", "=", projectId)
      .orderBy("id")
      .execute(),
  ]);
  const byGroup = new Map<number, GroupWithConfigurations>();
  const out = groups.map((g) => {
    const group = { id: Number(g.id), title: g.title, configurations: [] };
    byGroup.set(group.id, group);
    return group;
  });
  for (const c of items)
    byGroup.get(Number(c.group_id))?.configurations.push({ id: Number(c.id), title: c.title });
  return out;
}

export function findGroup(db: Db, projectId: number, id: number) {
  return db
    .selectFrom("configuration_groups")
    .select(["id", "title"])
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function findGroupByTitle(db: Db, projectId: number, title: string) {
  const row = await db
    .selectFrom("configuration_groups")
    .select("id")
    .where("project_id", "=", projectId)
    .where("title", "=", title)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.id);
}

export async function insertGroup(db: Db, projectId: number, title: string, at: number): Promise<number> {
  const row = await db
    .insertInto("configuration_groups")
    .values({ project_id: projectId, title, created_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function findConfigurationByTitle(db: Db, groupId: number, title: string) {
  const row = await db
    .selectFrom("configurations")
    .select("id")
    .where("group_id", "=", groupId)
    .where("title", "=", title)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.id);
}

export async function insertConfiguration(
  db: Db,
  projectId: number,
  groupId: number,
  title: string,
  at: number,
): Promise<number> {
  const row = await db
    .insertInto("configurations")
    .values({ project_id: projectId, group_id: groupId, title, created_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Ids among `ids` that are configurations of the project. */
export async function existingConfigurationIds(db: Db, projectId: number, ids: number[]) {
  if (ids.length === 0) return new Set<number>();
  const rows = await db
    .selectFrom("configurations")
    .select("id")
    .where("project_id", "=", projectId)
    .where("id", "in", ids)
    .execute();
  return new Set(rows.map((r) => Number(r.id)));
}
