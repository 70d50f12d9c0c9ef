import { type ErrorField, fail } from "../../http/errors.js";

/**
 * The case enums, as Qase's system fields: each option's id is what the cases table stores and what
 * reads return; its slug is what list filters take. Writes accept either. Defaults match the column
 * defaults of migration 0002 (severity 0, priority 0, type 1, layer 0, behavior 1, automation 0, status 0).
 */
export interface EnumOption {
  id: number;
  title: string;
  slug: string;
  color: string | null;
  icon: string | null;
}

export interface EnumField {
  title: string;
  slug: CaseEnum;
  defaultId: number;
  options: EnumOption[];
}

export const CASE_ENUMS = [
  "severity",
  "priority",
  "type",
  "layer",
  "behavior",
  "automation",
  "status",
] as const;
export type CaseEnum = (typeof CASE_ENUMS)[number];

function options(list: [number, string, string, string | null][]): EnumOption[] {
  return list.map(([id, title, slug, color]) => ({ id, title, slug, color, icon: null }));
}

export const ENUM_FIELDS: Record<CaseEnum, EnumField> = {
  severity: {
    title: "Severity",
    slug: "severity",
    defaultId: 0,
    options: options([
      [0, "Not set", "undefined", null],
      [1, "Blocker", "blocker", "#e5484d"],
      [2, "Critical", "critical", "#f76b15"],
      [3, "Major", "major", "#ffc53d"],
      [4, "Normal", "normal", "#8d8d8d"],
      [5, "Minor", "minor", "#3e63dd"],
      [6, "Trivial", "trivial", "#30a46c"],
    ]),
  },
  priority: {
    title: "Priority",
    slug: "priority",
    defaultId: 0,
    options: options([
      [0, "Not set", "undefined", null],
      [1, "High", "high", "#e5484d"],
      [2, "Medium", "medium", "#ffc53d"],
      [3, "Low", "low", "#30a46c"],
    ]),
  },
  type: {
    title: "Type",
    slug: "type",
    defaultId: 1,
    options: options([
      [1, "Other", "other", null],
      [2, "Functional", "functional", null],
      [3, "Smoke", "smoke", null],
      [4, "Regression", "regression", null],
      [5, "Security", "security", null],
      [6, "Usability", "usability", null],
      [7, "Performance", "performance", null],
      [8, "Acceptance", "acceptance", null],
      [9, "Compatibility", "compatibility", null],
      [10, "Integration", "integration", null],
      [11, "Exploratory", "exploratory", null],
    ]),
  },
  layer: {
    title: "Layer",
    slug: "layer",
    defaultId: 0,
    options: options([
      [0, "Unknown", "unknown", null],
      [1, "E2E", "e2e", null],
      [2, "API", "api", null],
      [3, "Unit", "unit", null],
    ]),
  },
  behavior: {
    title: "Behavior",
    slug: "behavior",
    defaultId: 1,
    options: options([
      [1, "Not set", "undefined", null],
      [2, "Positive", "positive", null],
      [3, "Negative", "negative", null],
      [4, "Destructive", "destructive", null],
    ]),
  },
  automation: {
    title: "Automation status",
    slug: "automation",
    defaultId: 0,
    options: options([
      [0, "Manual", "is-not-automated", null],
      [1, "To be automated", "to-be-automated", null],
      [2, "Automated", "automated", null],
    ]),
  },
  status: {
    title: "Status",
    slug: "status",
    defaultId: 0,
    options: options([
      [0, "Actual", "actual", "#30a46c"],
      [1, "Draft", "draft", "#8d8d8d"],
      [2, "Deprecated", "deprecated", "#e5484d"],
    ]),
  },
};

/** The option id for an id or slug the client wrote, or undefined when the field has no such option. */
export function enumId(field: CaseEnum, value: number | string): number | undefined {
  const opts = ENUM_FIELDS[field].options;
  if (typeof value === "number") return opts.find((o) => o.id === value)?.id;
  const text = value.trim().toLowerCase();
  if (/^\d+$/.test(text)) return opts.find((o) => o.id === Number(text))?.id;
  return opts.find((o) => o.slug === text)?.id;
}

function allowed(field: CaseEnum): string {
  return ENUM_FIELDS[field].options.map((o) => `${o.id} (${o.slug})`).join(", ");
}

export function enumError(field: CaseEnum, name: string = field): ErrorField {
  return { field: name, error: `must be one of ${allowed(field)}` };
}

/** Parses a comma-separated filter of slugs (or ids) into option ids; 422 naming the first unknown value. */
export function enumFilter(field: CaseEnum, value: string | undefined): number[] | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const ids: number[] = [];
  for (const part of value.split(",")) {
    if (part.trim() === "") continue;
    const id = enumId(field, part);
    if (id === undefined) {
      throw fail.invalid(field, `unknown value "${part.trim()}"; use ${allowed(field)}`);
    }
    ids.push(id);
  }
  return ids.length > 0 ? ids : undefined;
}

/** Qase's SystemField shape: entity 0 = test case, type 3 = selectbox. */
export function systemFields() {
  return CASE_ENUMS.map((key) => {
    const f = ENUM_FIELDS[key];
    return {
      title: f.title,
      slug: f.slug,
      default_value: String(f.defaultId),
      is_required: false,
      entity: 0,
      type: 3,
      options: f.options.map((o) => ({
        id: o.id,
        title: o.title,
        slug: o.slug,
        color: o.color,
        icon: o.icon,
        is_default: o.id === f.defaultId,
        read_only: false,
      })),
    };
  });
}
