import type { CustomField } from "./types";

/** The API numbers entities and types on write (their index here) and names them on read. */
export const FIELD_ENTITIES = [
  { value: "case", label: "Test case" },
  { value: "run", label: "Test run" },
  { value: "defect", label: "Defect" },
] as const;

export const FIELD_TYPES = [
  { value: "number", label: "Number" },
  { value: "string", label: "String" },
  { value: "text", label: "Text" },
  { value: "selectbox", label: "Select box" },
  { value: "checkbox", label: "Checkbox" },
  { value: "radio", label: "Radio" },
  { value: "multiselect", label: "Multi-select" },
  { value: "url", label: "URL" },
  { value: "user", label: "User" },
  { value: "datetime", label: "Date and time" },
] as const;

/** Types whose values are option ids. */
export const OPTION_TYPES: ReadonlySet<string> = new Set(["selectbox", "radio", "multiselect"]);

export function labelOf(list: readonly { value: string; label: string }[], value: string): string {
  return list.find((i) => i.value === value)?.label ?? value;
}

export interface FieldOption {
  id: number;
  title: string;
}

/** The options of an option-type field (sent by the API as JSON text). */
export function fieldOptions(field: CustomField | null): FieldOption[] {
  if (!field?.value) return [];
  try {
    const parsed = JSON.parse(field.value) as unknown;
    return Array.isArray(parsed) ? (parsed as FieldOption[]) : [];
  } catch {
    return [];
  }
}

export interface OptionDraft {
  key: number;
  id: number | null;
  title: string;
}

/**
 * The id each option will have once saved: kept ids stay, new options are numbered after the highest id
 * the field ever had (as the server numbers them), so that a default can be chosen among new options.
 */
export function predictedIds(drafts: OptionDraft[], previous: FieldOption[]): number[] {
  let next = Math.max(0, ...previous.map((o) => o.id), ...drafts.map((o) => o.id ?? 0)) + 1;
  return drafts.map((o) => o.id ?? next++);
}

export function enabledFor(field: CustomField, code: string): boolean {
  return field.is_enabled_for_all_projects || field.projects_codes.includes(code.toUpperCase());
}
