/**
 * A project's sections, each its own address under /projects/CODE. The first few are the ones people
 * switch between all day; the rest are grouped the way Qase and TestRail users expect to find them.
 */
export const SECTIONS = [
  { value: "repository", label: "Repository", path: "" },
  { value: "runs", label: "Runs", path: "/runs" },
  { value: "plans", label: "Plans", path: "/plans" },
  { value: "defects", label: "Defects", path: "/defects" },
  { value: "milestones", label: "Milestones", path: "/milestones" },
  { value: "environments", label: "Environments", path: "/environments" },
  { value: "shared-steps", label: "Shared steps", path: "/shared-steps" },
  { value: "shared-parameters", label: "Shared parameters", path: "/shared-parameters" },
  { value: "custom-fields", label: "Custom fields", path: "/custom-fields" },
  { value: "configurations", label: "Configurations", path: "/configurations" },
  { value: "reviews", label: "Reviews", path: "/reviews" },
  { value: "settings", label: "Settings", path: "/settings" },
] as const;

export type Section = (typeof SECTIONS)[number];
export type SectionValue = Section["value"];

/** One entry of the project bar: a section's own link, or a named menu of sections. */
export type NavEntry =
  | { kind: "link"; section: Section }
  | { kind: "group"; label: string; sections: Section[] };

function pick(...values: SectionValue[]): Section[] {
  return values.map((v) => SECTIONS.find((s) => s.value === v) as Section);
}

export const NAV_ENTRIES: NavEntry[] = [
  ...pick("repository", "runs", "plans", "defects").map((section) => ({ kind: "link" as const, section })),
  { kind: "group", label: "Planning", sections: pick("milestones", "environments") },
  {
    kind: "group",
    label: "Library",
    sections: pick("shared-steps", "shared-parameters", "custom-fields", "configurations", "reviews"),
  },
  ...pick("settings").map((section) => ({ kind: "link" as const, section })),
];

export function sectionPath(code: string, section: Section): string {
  return `/projects/${encodeURIComponent(code)}${section.path}`;
}
