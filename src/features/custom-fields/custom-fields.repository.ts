import type { Insertable, Selectable } from "kysely";
import type { CustomFieldsTable, Db } from "../../db/database.js";

export type FieldRow = Selectable<CustomFieldsTable>;

export function findField(db: Db, id: number): Promise<FieldRow | undefined> {
  return db.selectFrom("custom_fields").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listFields(
  db: Db,
  filter: { entity?: number | undefined; type?: number | undefined },
  limit: number,
  offset: number,
) {
  let q = db.selectFrom("custom_fields").where("deleted_at", "is", null);
  const total = q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow();
  if (filter.entity !== undefined) q = q.where("entity", "=", filter.entity);
  if (filter.type !== undefined) q = q.where("type", "=", filter.type);
  const [t, f, rows] = await Promise.all([
    total,
    q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.selectAll().orderBy("id").limit(limit).offset(offset).execute(),
  ]);
  return { rows, total: Number(t.n), filtered: Number(f.n) };
}

export async function insertField(db: Db, row: Insertable<CustomFieldsTable>): Promise<number> {
  const r = await db.insertInto("custom_fields").values(row).returning("id").executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function updateField(db: Db, id: number, patch: Partial<Omit<FieldRow, "id">>): Promise<void> {
  await db.updateTable("custom_fields").set(patch).where("id", "=", id).execute();
}

/** Replaces the set of projects a field is enabled for. */
export async function setFieldProjects(db: Db, fieldId: number, projectIds: number[]): Promise<void> {
  await db.deleteFrom("custom_field_projects").where("field_id", "=", fieldId).execute();
  if (projectIds.length === 0) return;
  await db
    .insertInto("custom_field_projects")
    .values(projectIds.map((project_id) => ({ field_id: fieldId, project_id })))
    .execute();
}

/** Codes of the live projects each field is enabled for, sorted. */
export async function fieldProjectCodes(db: Db, fieldIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (fieldIds.length === 0) return out;
  const rows = await db
    .selectFrom("custom_field_projects as l")
    .innerJoin("projects as p", "p.id", "l.project_id")
    .select(["l.field_id", "p.code"])
    .where("l.field_id", "in", fieldIds)
    .where("p.deleted_at", "is", null)
    .orderBy("p.code")
    .execute();
  for (const r of rows) {
    const id = Number(r.field_id);
    out.set(id, [...(out.get(id) ?? []), r.code]);
  }
  return out;
}

/** Live project ids by (upper-case) code, for the codes that name one. */
export async function projectIdsByCode(db: Db, codes: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const wanted = [...new Set(codes.map((c) => c.toUpperCase()))];
  if (wanted.length === 0) return out;
  const rows = await db
    .selectFrom("projects")
    .select(["id", "code"])
    .where("code", "in", wanted)
    .where("deleted_at", "is", null)
    .execute();
  for (const r of rows) out.set(r.code, Number(r.id));
  return out;
}

/** A field as a value check needs it: its row plus whether it is enabled for the project in question. */
export type FieldForValues = FieldRow & { enabled: boolean };

/**
 * The fields a write of `entity` values in a project must look at: the ids it names (live or deleted,
 * of any entity) and every live required field of the entity.
 */
export async function fieldsForValues(
  db: Db,
  projectId: number,
  entity: number,
  ids: number[],
): Promise<FieldForValues[]> {
  const rows = await db
    .selectFrom("custom_fields as f")
    .leftJoin("custom_field_projects as l", (j) =>
      j.onRef("l.field_id", "=", "f.id").on("l.project_id", "=", projectId),
    )
    .selectAll("f")
    .select("l.project_id as linked_project")
    .where((eb) => {
      const required = eb.and([
        eb("f.entity", "=", entity),
        eb("f.is_required", "=", 1),
        eb("f.deleted_at", "is", null),
      ]);
      return ids.length === 0 ? required : eb.or([eb("f.id", "in", ids), required]);
    })
    .execute();
  return rows.map(({ linked_project, ...f }) => ({
    ...f,
    enabled: Number(f.is_enabled_for_all_projects) === 1 || linked_project !== null,
  }));
}

/** The tables that hold custom field values, by field entity (0 case, 1 run, 2 defect). */
const VALUE_TABLES = ["cases", "runs", "defects"] as const;

/** Rows of the entity's table (any project, deleted ones too) whose stored values name the field. */
export async function rowsWithFieldValue(db: Db, entity: number, fieldId: number) {
  const table = VALUE_TABLES[entity];
  if (table === undefined) return [];
  const rows = await db
    .selectFrom(table)
    .select(["project_id", "id", "custom_fields"])
    .where("custom_fields", "like", `%"${fieldId}":%`)
    .execute();
  return rows.map((r) => ({ projectId: Number(r.project_id), id: Number(r.id), values: r.custom_fields }));
}

export async function setStoredValues(
  db: Db,
  entity: number,
  row: { projectId: number; id: number },
  values: string,
): Promise<void> {
  const table = VALUE_TABLES[entity];
  if (table === undefined) return;
  await db
    .updateTable(table)
    .set({ custom_fields: values })
    .where("project_id", "=", row.projectId)
    .where("id", "=", row.id)
    .execute();
}
