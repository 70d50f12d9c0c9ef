import type { Db } from "../../db/database.js";
import type { ErrorField } from "../../http/errors.js";
import { existingUserIds } from "../cases/cases.repository.js";
import { type FieldOption, optionsOf, valueProblem } from "./custom-field-values.js";
import { OPTION_TYPES, typeName } from "./custom-fields.catalog.js";
import { type FieldRow, rowsWithFieldValue, setStoredValues } from "./custom-fields.repository.js";

/**
 * `replace_values` of PATCH /v1/custom_field/{id}: "old value -> replacement" for the values cases,
 * runs or defects already hold. For option fields the values are option ids (each id of a multiselect
 * list is replaced on its own); "" as a replacement clears the value. Options the patch removes and
 * that are not replaced are cleared from stored values, so no stored value names a missing option.
 */
export interface Replacement {
  type: number;
  map: Record<string, string>;
  /** Option ids (as strings) the patch removes. */
  removed: ReadonlySet<string>;
}

/** Problems of a replace_values map: old values must be options the field had, new ones fit the field. */
export async function replacementErrors(
  db: Db,
  row: FieldRow,
  options: FieldOption[],
  map: Record<string, string>,
): Promise<ErrorField[]> {
  const errors: ErrorField[] = [];
  const entries = Object.entries(map);
  if (entries.length === 0) return errors;
  const type = Number(row.type);
  const before = new Set(optionsOf(row).map((o) => String(o.id)));
  const after = { type: row.type, options: JSON.stringify(options) };
  const userIds =
    typeName(type) === "user" ? entries.map(([, v]) => Number(v)).filter(Number.isSafeInteger) : [];
  const users = await existingUserIds(db, userIds);
  for (const [from, to] of entries) {
    const field = `replace_values.${from}`;
    if (OPTION_TYPES.has(type) && !before.has(from))
      errors.push({ field, error: `"${from}" is not an option id of this field` });
    else if (to !== "") {
      // A multiselect value is replaced id by id, so each replacement is a single option id.
      const problem =
        typeName(type) === "multiselect" && to.includes(",")
          ? "replace one option id with one option id"
          : valueProblem(after, to, users);
      if (problem) errors.push({ field, error: problem });
    }
  }
  return errors;
}

/** The value after the replacement; undefined when it is cleared. */
export function replaceValue(value: string, r: Replacement): string | undefined {
  const one = (v: string): string | undefined => {
    if (v in r.map) return r.map[v] === "" ? undefined : r.map[v];
    return r.removed.has(v) ? undefined : v;
  };
  if (typeName(r.type) !== "multiselect") return one(value);
  const ids = value.split(",").flatMap((v) => {
    const out = one(v);
    return out === undefined ? [] : [out];
  });
  return ids.length === 0 ? undefined : [...new Set(ids)].join(",");
}

/** Rewrites the stored values of the field in every case, run or defect (entity 0, 1 or 2) holding one. */
export async function replaceStoredValues(db: Db, entity: number, fieldId: number, r: Replacement) {
  if (Object.keys(r.map).length === 0 && r.removed.size === 0) return 0;
  const key = String(fieldId);
  let changed = 0;
  for (const row of await rowsWithFieldValue(db, entity, fieldId)) {
    let values: Record<string, string>;
    try {
      values = JSON.parse(row.values) as Record<string, string>;
    } catch {
      continue;
    }
    const old = values[key];
    if (typeof old !== "string") continue;
    const next = replaceValue(old, r);
    if (next === old) continue;
    if (next === undefined) delete values[key];
    else values[key] = next;
    await setStoredValues(db, entity, row, JSON.stringify(values));
    changed++;
  }
  return changed;
}
