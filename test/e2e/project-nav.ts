import type { Page } from "playwright-core";

/** Which project sections sit behind a menu of the project bar on a laptop (web/src/nav/sections.ts). */
const GROUP_OF: Record<string, string> = {
  Milestones: "Planning",
  Environments: "Planning",
  "Shared steps": "Library",
  "Shared parameters": "Library",
  "Custom fields": "Library",
  Configurations: "Library",
  Reviews: "Library",
};

/** Opens a project section through the project bar (laptop widths), opening its menu first if it has one. */
export async function openSection(page: Page, name: string): Promise<void> {
  const nav = page.getByRole("navigation", { name: "Project sections" });
  const group = GROUP_OF[name];
  if (group) await nav.getByRole("button", { name: group }).click();
  await nav.getByRole("link", { name, exact: true }).click();
}
