import {
  Alert,
  Button,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { ApiError, api, type Me, type Project } from "../api";
import { useProject } from "../repository/data";
import { ProjectHeader } from "./ProjectHeader";
import { ProjectMembers } from "./ProjectMembers";

/** "1 case", "3 cases". */
const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

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

/** Title, description, access and whether automated results may create cases (PATCH /v1/project). */
function EditProject({ project }: { project: Project }) {
  const client = useQueryClient();
  const [title, setTitle] = useState(project.title);
  const [description, setDescription] = useState(project.description ?? "");
  const [access, setAccess] = useState(project.access);
  const [autoCreate, setAutoCreate] = useState(project.settings?.auto_create_cases !== false);
  const save = useMutation({
    mutationFn: () =>
      api<Project>("PATCH", `/v1/project/${encodeURIComponent(project.code)}`, {
        title,
        description: description === "" ? null : description,
        access,
        settings: { auto_create_cases: autoCreate },
      }),
    onSuccess: (updated) => {
      client.setQueryData(["project", project.code], updated);
      client.invalidateQueries({ queryKey: ["projects"] });
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <Paper withBorder p="md">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm" maw={520}>
          <Title order={3}>Project</Title>
          {save.error && !err?.fields.length && <Alert color="red">{save.error.message}</Alert>}
          {save.isSuccess && <Alert color="green">Saved.</Alert>}
          <TextInput
            label="Title"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={err?.fieldError("title")}
          />
          <Textarea
            label="Description"
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={err?.fieldError("description")}
          />
          <Select
            label="Access"
            data={[
              { value: "all", label: "Everyone in the workspace" },
              { value: "group", label: "Members of the project" },
              { value: "none", label: "Admins only" },
            ]}
            value={access}
            onChange={(v) => v && setAccess(v)}
            allowDeselect={false}
            error={err?.fieldError("access")}
          />
          <Switch
            label="Create test cases for automated results that match none"
            checked={autoCreate}
            onChange={(e) => setAutoCreate(e.currentTarget.checked)}
          />
          <Button type="submit" loading={save.isPending} w="fit-content">
            Save
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

/** What the project holds, its settings for admins, and deleting it. */
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
  const canEdit = me.permissions.includes("project.update");

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
      {p && canEdit && <EditProject key={p.code} project={p} />}
      {p && <ProjectMembers project={p} me={me} />}
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
                Deleting {p.title} removes its {counted(p.counts.cases, "case")},{" "}
                {counted(p.counts.suites, "suite")}, {counted(p.counts.runs.total, "run")} with their results,
                and {counted(p.counts.defects.total, "defect")}. This cannot be undone.
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
