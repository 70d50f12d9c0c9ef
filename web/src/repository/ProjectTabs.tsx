import { Tabs } from "@mantine/core";
import { useNavigate } from "react-router-dom";

const TABS = [
  { value: "repository", label: "Repository", path: "" },
  { value: "runs", label: "Runs", path: "/runs" },
] as const;

/** The sections of a project page; each is its own address under /projects/CODE. */
export function ProjectTabs({ code, active }: { code: string; active: (typeof TABS)[number]["value"] }) {
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
