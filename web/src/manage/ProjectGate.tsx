import { Alert, Anchor, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useMatch } from "react-router-dom";
import { ApiError, api, type Project } from "../api";

/** The project answers these when the user may not open it, or it is not (or no longer) there. */
const REFUSED = new Set([403, 404, 410]);

/**
 * Every page under /projects/CODE: while the project itself is refused or gone, the page shows that
 * alone, instead of an empty repository (or runs, or settings) with buttons that could only fail.
 * Shares the ["project", code] query with the pages, so it costs no extra request.
 */
export function ProjectGate({ children }: { children: ReactNode }) {
  const code = useMatch("/projects/:code/*")?.params.code;
  const project = useQuery({
    queryKey: ["project", code ?? ""],
    queryFn: () => api<Project>("GET", `/v1/project/${encodeURIComponent(code ?? "")}`),
    enabled: code !== undefined,
  });
  const error = project.error;
  if (code === undefined || !(error instanceof ApiError) || !REFUSED.has(error.status)) return children;
  return (
    <Stack maw={640}>
      <div>
        <Text size="sm" c="dimmed">
          {code}
        </Text>
        <Title order={2}>
          {error.status === 403 ? "No access to this project" : "Project not available"}
        </Title>
      </div>
      <Alert color="red">{error.message}</Alert>
      <Text size="sm">
        {error.status === 403
          ? "An admin can give you access in the project's settings."
          : "It may have been deleted, or its code may be mistyped."}
      </Text>
      <Anchor component={Link} to="/projects" w="fit-content">
        Back to projects
      </Anchor>
    </Stack>
  );
}
