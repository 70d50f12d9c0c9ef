import { Tabs } from "@mantine/core";
import { useNavigate } from "react-router-dom";

const TABS = [
  { value: "repository", label: "Repository", path: "" },
  { value: "runs", label: "Runs", path: "/runs" },
  { value: "plans", label: "Plans", path: "/plans" },
  { value: "milestones", label: "Milestones", path: "/milestones" },
  { value: "environments", label: "Environments", path: "/environments" },
  { value: "defects", label: "Defects", path: "/defects" },
  { value: "shared-steps", label: "Shared steps", path: "/shared-steps" },
  { value: "configurations", label: "Configurations", path: "/configurations" },
  { value: "custom-fields", label: "Custom fields", path: "/custom-fields" },
  { value: "shared-parameters", label: "Shared parameters", path: "/shared-parameters" },
  { value: "settings", label: "Settings", path: "/settings" },
] as const;

export type ProjectTab = (typeof TABS)[number]["value"];

/** The sections of a project page; each is its own address under /projects/CODE. */
export function ProjectTabs({ code, active }: { code: string; active: ProjectTab }) {
  const navigate = useNavigate();
  return (
    <Tabs
      value={active}
      onChange={(v) => {
        const tab = TABS.find((t) => t.value === v);
        if (tab) navigate(`/projects/${code}${tab.path}`);
      }}
    >
      <Tabs.List>
        {TABS.map((t) => (
          <Tabs.Tab key={t.value} value={t.value}>
            {t.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
