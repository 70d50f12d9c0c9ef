import type { AppContext } from "../../context.js";
import type { Db } from "../../db/database.js";
import { iso, now, plain } from "../../db/time.js";
import { type ErrorField, fail } from "../../http/errors.js";
import { replacementErrors, replaceStoredValues, replaceValue } from "./custom-field-replace.js";
import { type FieldOption, optionsOf } from "./custom-field-values.js";
import {
  entityName,
  FIELD_ENTITIES,
  FIELD_TYPES,
  type FieldEntity,
  type FieldType,
  OPTION_TYPES,
  typeName,
} from "./custom-fields.catalog.js";
import {
  type FieldRow,
  fieldProjectCodes,
  findField,
  insertField,
  listFields,
  projectIdsByCode,
  setFieldProjects,
  updateField,
} from "./custom-fields.repository.js";

interface FieldInput {
  title?: string | undefined;
  value?: { id?: number | undefined; title: string }[] | null | undefined;
  placeholder?: string | null | undefined;
  default_value?: string | null | undefined;
  is_filterable?: boolean | undefined;
  is_visible?: boolean | undefined;
  is_required?: boolean | undefined;
  is_enabled_for_all_projects?: boolean | undefined;
  projects_codes?: string[] | undefined;
  replace_values?: Record<string, string> | null | undefined;
}

const flag = (b: boolean) => (b ? 1 : 0);

export function presentField(row: FieldRow, codes: string[]) {
  const type = Number(row.type);
  const created = Number(row.created_at);
  const updated = Number(row.updated_at);
  return {
    id: Number(row.id),
    title: row.title,
    entity: entityName(Number(row.entity)),
    type: typeName(type),
    placeholder: row.placeholder,
    default_value: row.default_value,
    value: OPTION_TYPES.has(type) ? JSON.stringify(optionsOf(row)) : null,
    is_required: Number(row.is_required) === 1,
    is_visible: Number(row.is_visible) === 1,
    is_filterable: Number(row.is_filterable) === 1,
    is_enabled_for_all_projects: Number(row.is_enabled_for_all_projects) === 1,
    created: plain(created),
    updated: plain(updated),
    created_at: iso(created) ?? "",
    updated_at: iso(updated) ?? "",
    projects_codes: codes,
  };
}

/** Options with ids: given ids are kept, missing ones numbered after the highest known id. */
function normaliseOptions(
  given: { id?: number | undefined; title: string }[],
  previous: FieldOption[],
  errors: ErrorField[],
): FieldOption[] {
  let next = Math.max(0, ...previous.map((o) => o.id), ...given.map((o) => o.id ?? 0)) + 1;
  const ids = new Set<number>();
  const titles = new Set<string>();
  return given.map((o, i) => {
    const title = o.title.trim();
    if (title === "") errors.push({ field: `value.${i}.title`, error: "must not be blank" });
    if (titles.has(title.toLowerCase()))
      errors.push({ field: `value.${i}.title`, error: `option "${title}" is listed twice` });
    titles.add(title.toLowerCase());
    const id = o.id ?? next++;
    if (ids.has(id)) errors.push({ field: `value.${i}.id`, error: `option id ${id} is used twice` });
    ids.add(id);
    return { id, title };
  });
}

/** A default must be a value the field can hold: option ids for option types, a number, a checkbox flag. */
function checkDefault(type: number, options: FieldOption[], value: string | null, errors: ErrorField[]) {
  if (value === null || value === "") return;
  const ids = new Set(options.map((o) => String(o.id)));
  const name = typeName(type) as FieldType;
  const bad = (error: string) => errors.push({ field: "default_value", error });
  if (name === "multiselect") {
    const unknown = value.split(",").filter((v) => !ids.has(v.trim()));
    if (unknown.length > 0) bad(`unknown option ids: ${unknown.join(", ")}`);
  } else if (OPTION_TYPES.has(type)) {
    if (!ids.has(value)) bad(`"${value}" is not an option id of this field`);
  } else if (name === "number" && !Number.isFinite(Number(value))) bad("must be a number");
  else if (name === "checkbox" && value !== "0" && value !== "1") bad('use "1" (checked) or "0"');
}

/** Project ids for the codes; unknown codes are errors on projects_codes. */
async function resolveCodes(db: Db, codes: string[], errors: ErrorField[]): Promise<number[]> {
  const found = await projectIdsByCode(db, codes);
  const unknown = [...new Set(codes.map((c) => c.toUpperCase()))].filter((c) => !found.has(c));
  if (unknown.length > 0)
    errors.push({ field: "projects_codes", error: `unknown projects: ${unknown.join(", ")}` });
  return [...found.values()];
}

/** 404 for a field that never existed, 410 for a deleted one. */
async function liveField(db: Db, id: number): Promise<FieldRow> {
  const row = await findField(db, id);
  if (!row) throw fail.notFound(`Custom field ${id}`);
  if (row.deleted_at !== null) throw fail.gone(`Custom field ${id}`);
  return row;
}

export async function listFieldsPage(
  ctx: AppContext,
  filter: { entity?: FieldEntity | undefined; type?: FieldType | undefined },
  limit: number,
  offset: number,
) {
  const r = await listFields(
    ctx.db,
    {
      entity: filter.entity === undefined ? undefined : FIELD_ENTITIES.indexOf(filter.entity),
      type: filter.type === undefined ? undefined : FIELD_TYPES.indexOf(filter.type),
    },
    limit,
    offset,
  );
  const codes = await fieldProjectCodes(
    ctx.db,
    r.rows.map((f) => Number(f.id)),
  );
  return {
    entities: r.rows.map((f) => presentField(f, codes.get(Number(f.id)) ?? [])),
    total: r.total,
    filtered: r.filtered,
  };
}

export async function getField(ctx: AppContext, id: number) {
  const row = await liveField(ctx.db, id);
  return presentField(row, (await fieldProjectCodes(ctx.db, [id])).get(id) ?? []);
}

export async function createField(
  ctx: AppContext,
  input: FieldInput & { title: string; entity: number; type: number },
): Promise<number> {
  const errors: ErrorField[] = [];
  const title = input.title.trim();
  if (title === "") errors.push({ field: "title", error: "must not be blank" });
  let options: FieldOption[] = [];
  if (OPTION_TYPES.has(input.type)) {
    if (!input.value || input.value.length === 0)
      errors.push({ field: "value", error: "selectbox, radio and multiselect fields need options" });
    else options = normaliseOptions(input.value, [], errors);
  } else if (input.value && input.value.length > 0) {
    errors.push({ field: "value", error: "only selectbox, radio and multiselect fields take options" });
  }
  const defaultValue = input.default_value ?? null;
  checkDefault(input.type, options, defaultValue, errors);
  return ctx.db.transaction().execute(async (tx) => {
    const projectIds = await resolveCodes(tx, input.projects_codes ?? [], errors);
    if (errors.length > 0) throw fail.invalidMany(errors);
    const at = now();
    const id = await insertField(tx, {
      title,
      entity: input.entity,
      type: input.type,
      options: JSON.stringify(options),
      placeholder: input.placeholder ?? null,
      default_value: defaultValue,
      is_required: flag(input.is_required ?? false),
      is_visible: flag(input.is_visible ?? true),
      is_filterable: flag(input.is_filterable ?? false),
      is_enabled_for_all_projects: flag(input.is_enabled_for_all_projects ?? false),
      created_at: at,
      updated_at: at,
      deleted_at: null,
    });
    await setFieldProjects(tx, id, projectIds);
    return id;
  });
}

export async function editField(ctx: AppContext, id: number, input: FieldInput) {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await liveField(tx, id);
    const type = Number(row.type);
    const errors: ErrorField[] = [];
    const patch: Partial<FieldRow> = {};
    if (input.title !== undefined) {
      patch.title = input.title.trim();
      if (patch.title === "") errors.push({ field: "title", error: "must not be blank" });
    }
    let options = optionsOf(row);
    if (input.value !== undefined && input.value !== null) {
      if (!OPTION_TYPES.has(type)) {
        if (input.value.length > 0)
          errors.push({ field: "value", error: "only selectbox, radio and multiselect fields take options" });
      } else if (input.value.length === 0) {
        errors.push({ field: "value", error: "selectbox, radio and multiselect fields need options" });
      } else {
        options = normaliseOptions(input.value, options, errors);
        patch.options = JSON.stringify(options);
      }
    }
    const replace = {
      type,
      map: input.replace_values ?? {},
      removed: new Set(
        optionsOf(row)
          .filter((o) => !options.some((n) => n.id === o.id))
          .map((o) => String(o.id)),
      ),
    };
    errors.push(...(await replacementErrors(tx, row, options, replace.map)));
    if (input.placeholder !== undefined) patch.placeholder = input.placeholder;
    if (input.default_value !== undefined) patch.default_value = input.default_value;
    else if (row.default_value !== null) {
      // A default naming a replaced or removed value follows the stored values.
      const moved = replaceValue(row.default_value, replace);
      if (moved !== row.default_value) patch.default_value = moved ?? null;
    }
    checkDefault(
      type,
      options,
      patch.default_value === undefined ? row.default_value : patch.default_value,
      errors,
    );
    if (input.is_required !== undefined) patch.is_required = flag(input.is_required);
    if (input.is_visible !== undefined) patch.is_visible = flag(input.is_visible);
    if (input.is_filterable !== undefined) patch.is_filterable = flag(input.is_filterable);
    if (input.is_enabled_for_all_projects !== undefined)
      patch.is_enabled_for_all_projects = flag(input.is_enabled_for_all_projects);
    const projectIds =
      input.projects_codes === undefined ? undefined : await resolveCodes(tx, input.projects_codes, errors);
    if (errors.length > 0) throw fail.invalidMany(errors);
    await updateField(tx, id, { ...patch, updated_at: now() });
    if (projectIds !== undefined) await setFieldProjects(tx, id, projectIds);
    await replaceStoredValues(tx, Number(row.entity), id, replace);
  });
}

/** Soft delete: 410 from now on; cases no longer accept values for it. Stored values stay as they are. */
export async function removeField(ctx: AppContext, id: number) {
  await ctx.db.transaction().execute(async (tx) => {
    await liveField(tx, id);
    const at = now();
    await updateField(tx, id, { deleted_at: at, updated_at: at });
  });
}
