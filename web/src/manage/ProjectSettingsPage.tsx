import { Alert, Button, Paper, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { api, type Me } from "../api";
import { useProject } from "../repository/data";
import { ProjectHeader } from "./ProjectHeader";

function Count({ label, value }: { label: string; value: string | number }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={600}>
        {value}
      </Text>
    </Paper>
  );
}

/**
 * What the project holds, and deleting it. The API has no route that changes a project's title,
 * access or settings after creation, so there is nothing here to edit them with.
 */
export function ProjectSettingsPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const project = useProject(code);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [typed, setTyped] = useState("");
  const remove = useMutation({
    mutationFn: () => api("DELETE", `/v1/project/${encodeURIComponent(code)}`),
    onSuccess: () => {
      client.removeQueries({ queryKey: ["project", code] });
      client.invalidateQueries({ queryKey: ["projects"] });
      navigate("/projects");
    },
  });
  const p = project.data;
  const canDelete = me.permissions.includes("project.delete");

  return (
    <Stack>
      <ProjectHeader code={code} active="settings" />
      {p && (
        <>
          <Text size="sm">
            Access: <b>{p.access}</b>
            {p.description ? ` · ${p.description}` : ""}
          </Text>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm" aria-label="Project counts">
            <Count label="Cases" value={p.counts.cases} />
            <Count label="Suites" value={p.counts.suites} />
            <Count label="Runs" value={p.counts.runs.total} />
            <Count label="Active runs" value={p.counts.runs.active} />
            <Count label="Defects" value={p.counts.defects.total} />
            <Count label="Open defects" value={p.counts.defects.open} />
          </SimpleGrid>
        </>
      )}
      {p && canDelete && (
        <Paper withBorder p="md" style={{ borderColor: "var(--mantine-color-red-4)" }}>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (typed === code) remove.mutate();
            }}
          >
            <Stack gap="sm" maw={520}>
              <Title order={3}>Delete project</Title>
              <Text size="sm">
                Deleting {p.title} removes its {p.counts.cases} cases, {p.counts.suites} suites,{" "}
                {p.counts.runs.total} runs with their results, and {p.counts.defects.total} defects. This
                cannot be undone.
              </Text>
              {remove.error && <Alert color="red">{remove.error.message}</Alert>}
              <TextInput
                label={`Type ${code} to confirm`}
                value={typed}
                onChange={(e) => setTyped(e.currentTarget.value)}
                autoComplete="off"
              />
              <Button type="submit" color="red" disabled={typed !== code} loading={remove.isPending}>
                Delete this project
              </Button>
            </Stack>
          </form>
        </Paper>
      )}
    </Stack>
  );
}
