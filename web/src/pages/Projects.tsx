import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  Pagination,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { ApiError, api, type Me, type Page, type Project } from "../api";

const PAGE = 20;

export function ProjectsPage({ me }: { me: Me }) {
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const projects = useQuery({
    queryKey: ["projects", offset],
    queryFn: () => api<Page<Project>>("GET", `/v1/project?limit=${PAGE}&offset=${offset}`),
  });
  const canCreate = me.permissions.includes("project.create");
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Projects</Title>
        {canCreate && <Button onClick={() => setCreating(true)}>New project</Button>}
      </Group>
      {projects.error && <Alert color="red">{projects.error.message}</Alert>}
      {projects.data && projects.data.total === 0 && (
        <Text c="dimmed">No projects yet.{canCreate ? " Create the first one." : ""}</Text>
      )}
      {projects.data && projects.data.count > 0 && (
        <Table.ScrollContainer minWidth={480}>
          <Table striped highlightOnHover aria-label="Projects">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Code</Table.Th>
                <Table.Th>Title</Table.Th>
                <Table.Th>Cases</Table.Th>
                <Table.Th>Active runs</Table.Th>
                <Table.Th>Open defects</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {projects.data.entities.map((p) => (
                <Table.Tr key={p.code}>
                  <Table.Td>{p.code}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/projects/${p.code}`}>
                      {p.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{p.counts.cases}</Table.Td>
                  <Table.Td>{p.counts.runs.active}</Table.Td>
                  <Table.Td>{p.counts.defects.open}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {projects.data && projects.data.total > PAGE && (
        <Pagination
          total={Math.ceil(projects.data.total / PAGE)}
          value={offset / PAGE + 1}
          onChange={(p) => setOffset((p - 1) * PAGE)}
        />
      )}
      <CreateProject opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}

function CreateProject({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ title: "", code: "", description: "", access: "all" });
  const create = useMutation({
    mutationFn: () =>
      api<{ code: string }>("POST", "/v1/project", { ...form, description: form.description || null }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: ["projects"] });
      setForm({ title: "", code: "", description: "", access: "all" });
      onClose();
    },
  });
  const err = create.error instanceof ApiError ? create.error : null;
  return (
    <Modal opened={opened} onClose={onClose} title="New project">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          {err && <Alert color="red">{err.message}</Alert>}
          <TextInput
            label="Title"
            required
            value={form.title}
            onChange={(e) => setForm({ ...form, title: e.currentTarget.value })}
            error={err?.fieldError("title")}
          />
          <TextInput
            label="Code"
            description="2 to 10 letters; case ids look like CODE-12"
            required
            value={form.code}
            onChange={(e) => setForm({ ...form, code: e.currentTarget.value.toUpperCase() })}
            error={err?.fieldError("code")}
          />
          <Textarea
            label="Description"
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
          />
          <Select
            label="Access"
            data={[
              { value: "all", label: "Everyone in the workspace" },
              { value: "group", label: "Members only" },
              { value: "none", label: "Admins and members only" },
            ]}
            value={form.access}
            onChange={(v) => setForm({ ...form, access: v ?? "all" })}
            allowDeselect={false}
          />
          <Button type="submit" loading={create.isPending}>
            Create project
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
