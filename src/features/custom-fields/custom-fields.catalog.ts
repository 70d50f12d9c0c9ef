/** Qase numbers custom field entities and types on write and names them on read. */
export const FIELD_ENTITIES = ["case", "run", "defect"] as const;
export const FIELD_TYPES = [
  "number",
  "string",
  "text",
  "selectbox",
  "checkbox",
  "radio",
  "multiselect",
  "url",
  "user",
  "datetime",
] as const;

export type FieldEntity = (typeof FIELD_ENTITIES)[number];
export type FieldType = (typeof FIELD_TYPES)[number];

export const ENTITY_CASE = FIELD_ENTITIES.indexOf("case");

/** Types whose values are option ids: they need a list of options. */
export const OPTION_TYPES: ReadonlySet<number> = new Set(
  (["selectbox", "radio", "multiselect"] as const).map((t) => FIELD_TYPES.indexOf(t)),
);

export function entityName(n: number): string {
  return FIELD_ENTITIES[n] ?? String(n);
}

export function typeName(n: number): string {
  return FIELD_TYPES[n] ?? String(n);
}
