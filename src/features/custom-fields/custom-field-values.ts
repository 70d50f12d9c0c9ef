import type { Db } from "../../db/database.js";
import type { ErrorField } from "../../http/errors.js";
import { parseTime } from "../../http/parse-time.js";
import { existingUserIds } from "../cases/cases.repository.js";
import {
  entityName,
  FIELD_ENTITIES,
  type FieldEntity,
  type FieldType,
  typeName,
} from "./custom-fields.catalog.js";
import { type FieldForValues, type FieldRow, fieldsForValues } from "./custom-fields.repository.js";

/**
 * Custom field values in write bodies (Qase's CustomFieldValueMap): `{"<field id>": "<string>"}`.
 * Case, run and defect writes all go through this module, so every entity checks values the same way.
 */
export type ValueMap = Record<string, string | null>;

export interface FieldOption {
  id: number;
  title: string;
}

/** A string field is one line in Qase; text fields are bounded by the body schema (65535). */
export const STRING_MAX = 255;

const FIELD_ID = /^[1-9]\d{0,9}$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ID_LIST = /^\d+(,\d+)*$/;

export function optionsOf(row: Pick<FieldRow, "options">): FieldOption[] {
  try {
    return JSON.parse(row.options) as FieldOption[];
  } catch {
    return [];
  }
}

/**
 * The body's map with canonical keys ("007" -> "7"); keys that are not field ids are errors named
 * `<prefix>custom_field.<key>`. Undefined when the body does not carry the map.
 */
export function parseValueMap(
  given: ValueMap | null | undefined,
  prefix: string,
  errors: ErrorField[],
): ValueMap | undefined {
  if (given === undefined) return undefined;
  const out: ValueMap = {};
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!FIELD_ID.test(key))
      errors.push({ field: `${prefix}custom_field.${key}`, error: "custom field ids are positive integers" });
    else out[String(Number(key))] = value;
  }
  return out;
}

/** "" and null mean "no value" for every type; an unchecked checkbox ("0") is no value too. */
function isEmpty(type: FieldType, value: string | null): boolean {
  return value === null || value.trim() === "" || (type === "checkbox" && value === "0");
}

/**
 * Why a non-empty value does not fit the field's type (undefined when it fits). User ids are checked
 * against `users`, the set of existing user ids among all values of the write.
 */
export function valueProblem(
  field: Pick<FieldRow, "type" | "options">,
  value: string,
  users: ReadonlySet<number>,
): string | undefined {
  const type = typeName(Number(field.type)) as FieldType;
  const optionIds = () => new Set(optionsOf(field).map((o) => String(o.id)));
  switch (type) {
    case "number":
      return NUMBER.test(value.trim()) ? undefined : `"${value}" is not a number`;
    case "string":
      return value.length <= STRING_MAX ? undefined : `at most ${STRING_MAX} characters`;
    case "text":
      return undefined;
    case "selectbox":
    case "radio":
      return optionIds().has(value) ? undefined : `"${value}" is not an option id of this field`;
    case "multiselect": {
      if (!ID_LIST.test(value)) return 'use option ids separated by commas, e.g. "1,2"';
      const ids = optionIds();
      const unknown = value.split(",").filter((v) => !ids.has(String(Number(v))));
      return unknown.length === 0 ? undefined : `unknown option ids: ${unknown.join(", ")}`;
    }
    case "checkbox":
      return value === "1" ? undefined : 'use "1" (checked), "0" or "" (unchecked)';
    case "url":
      return isHttpUrl(value) ? undefined : "must be an http or https URL";
    case "user":
      return FIELD_ID.test(value) && users.has(Number(value)) ? undefined : `user ${value} does not exist`;
    case "datetime":
      return parseTime(value.trim()) === undefined
        ? 'use an ISO 8601 date or time, e.g. "2026-04-29T15:00:00Z", or "YYYY-MM-DD HH:MM:SS" (UTC)'
        : undefined;
    default:
      return `custom field type ${field.type} is unknown`;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** User ids named by values of user fields, so they can be looked up in one query. */
function userIdsIn(fields: Map<number, FieldForValues>, maps: ValueMap[]): number[] {
  const ids = new Set<number>();
  for (const map of maps)
    for (const [key, value] of Object.entries(map)) {
      const f = fields.get(Number(key));
      if (f && typeName(Number(f.type)) === "user" && value !== null && FIELD_ID.test(value))
        ids.add(Number(value));
    }
  return [...ids];
}

export interface ValueWrite {
  /** Prefix of error field names: "" or e.g. "cases.3." in a bulk write. */
  prefix: string;
  /** The body's map after parseValueMap; undefined when the body does not carry one. */
  given: ValueMap | undefined;
  /**
   * Full writes (case, run and defect create; run update) replace the stored map and must hold every
   * required field; partial writes (case and defect update) change only the fields they name.
   */
  full: boolean;
  /** The stored map (JSON text) a partial write applies to. */
  stored?: string | undefined;
}

function storedMap(json: string | undefined): Record<string, string> {
  if (json === undefined) return {};
  try {
    return JSON.parse(json) as Record<string, string>;
  } catch {
    return {};
  }
}

/**
 * Checks each write's custom field values against the fields of `entity` in the project, and returns
 * what to store (JSON text, undefined when a write leaves the values alone) with one error per bad
 * field, named `<prefix>custom_field.<id>`:
 * - the field must exist (live), belong to the entity and be enabled for the project;
 * - a non-empty value must fit the field's type; an empty one ("" or null) clears it;
 * - required fields must end up with a value: absent or empty ones take the field's default, and
 *   without a default they are refused. Partial writes enforce this only for the fields they name.
 */
export async function resolveCustomFieldValues(
  db: Db,
  projectId: number,
  entity: FieldEntity,
  writes: ValueWrite[],
): Promise<{ errors: ErrorField[]; values: (string | undefined)[] }> {
  const entityNo = FIELD_ENTITIES.indexOf(entity);
  const active = writes.filter((w) => w.given !== undefined || w.full);
  if (active.length === 0) return { errors: [], values: writes.map(() => undefined) };
  const named = [...new Set(active.flatMap((w) => Object.keys(w.given ?? {}).map(Number)))];
  const fields = new Map(
    (await fieldsForValues(db, projectId, entityNo, named)).map((f) => [Number(f.id), f]),
  );
  const users = await existingUserIds(
    db,
    userIdsIn(
      fields,
      active.map((w) => w.given ?? {}),
    ),
  );
  const required = [...fields.values()].filter(
    (f) => Number(f.entity) === entityNo && Number(f.is_required) === 1 && f.deleted_at === null && f.enabled,
  );
  const errors: ErrorField[] = [];
  const values = writes.map((w) => {
    if (w.given === undefined && !w.full) return undefined;
    const given = w.given ?? {};
    const out: Record<string, string> = w.full ? {} : storedMap(w.stored);
    const name = (id: number | string) => `${w.prefix}custom_field.${id}`;
    const before = errors.length;
    for (const [key, value] of Object.entries(given)) {
      const id = Number(key);
      const f = fields.get(id);
      if (!f || f.deleted_at !== null)
        errors.push({ field: name(key), error: `custom field ${id} does not exist` });
      else if (Number(f.entity) !== entityNo)
        errors.push({
          field: name(key),
          error: `custom field ${id} is a ${entityName(Number(f.entity))} field, not a ${entity} field`,
        });
      else if (!f.enabled)
        errors.push({ field: name(key), error: `custom field ${id} is not enabled for this project` });
      else if (isEmpty(typeName(Number(f.type)) as FieldType, value)) delete out[key];
      else {
        const problem = valueProblem(f, value as string, users);
        if (problem) errors.push({ field: name(key), error: problem });
        else out[key] = value as string;
      }
    }
    const refused = new Set(errors.slice(before).map((e) => e.field));
    for (const f of required) {
      const key = String(f.id);
      if (!w.full && !(key in given)) continue;
      if (out[key] !== undefined || refused.has(name(key))) continue;
      if (f.default_value !== null && f.default_value !== "") out[key] = f.default_value;
      else errors.push({ field: name(key), error: `custom field ${key} ("${f.title}") is required` });
    }
    return JSON.stringify(out);
  });
  return { errors, values };
}
