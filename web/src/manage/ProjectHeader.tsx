import { Alert, Group, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useProject } from "../repository/data";
import { type ProjectTab, ProjectTabs } from "../repository/ProjectTabs";

/** The project's code, title and section tabs, with the section's own buttons on the right. */
export function ProjectHeader({
  code,
  active,
  actions,
}: {
  code: string;
  active: ProjectTab;
  actions?: ReactNode;
}) {
  const project = useProject(code);
  return (
    <>
      <Group justify="space-between" align="flex-end">
        <div>
          <Text size="sm" c="dimmed">
            {code}
          </Text>
          <Title order={2}>{project.data?.title ?? code}</Title>
        </div>
        {actions && <Group gap="xs">{actions}</Group>}
      </Group>
      <ProjectTabs code={code} active={active} />
      {project.error && <Alert color="red">{project.error.message}</Alert>}
    </>
  );
}
