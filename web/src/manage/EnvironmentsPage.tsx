import {
  Alert,
  Button,
  Code,
  Group,
  Pagination,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "react-router-dom";
import { ApiError, api, type Me } from "../api";
import { ConfirmModal } from "./ConfirmModal";
import { MANAGE_PAGE, useInvalidate, useProjectList } from "./data";
import { FormModal } from "./FormModal";
import { ProjectHeader } from "./ProjectHeader";
import type { Environment } from "./types";

/** A project's environments; reporters name them by slug (environment_slug) when they start a run. */
export function EnvironmentsPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const canWrite = me.permissions.includes("repository.write");
  const invalidate = useInvalidate(code);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Environment | "new" | null>(null);
  const [deleting, setDeleting] = useState<Environment | null>(null);
  const environments = useProjectList<Environment>("environment", code, page);
  const pages = environments.data ? Math.ceil(environments.data.filtered / MANAGE_PAGE) : 0;

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="environments"
        actions={canWrite && <Button onClick={() => setEditing("new")}>New environment</Button>}
      />
      {environments.error && <Alert color="red">{environments.error.message}</Alert>}
      {environments.data && environments.data.total === 0 && <Text c="dimmed">No environments yet.</Text>}
      {environments.data && environments.data.count > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label="Environments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Title</Table.Th>
                <Table.Th>Slug</Table.Th>
                <Table.Th>Host</Table.Th>
                {canWrite && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {environments.data.entities.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {e.title}
                    </Text>
                    {e.description && (
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {e.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Code>{e.slug}</Code>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: "break-all" }}>{e.host ?? "—"}</Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap" justify="flex-end">
                        <Button
                          size="xs"
                          variant="light"
                          aria-label={`Edit ${e.title}`}
                          onClick={() => setEditing(e)}
                        >
                          Edit
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={`Delete ${e.title}`}
                          onClick={() => setDeleting(e)}
                        >
                          Delete
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && (
        <Pagination aria-label="Environment pages" total={pages} value={page} onChange={setPage} />
      )}
      {editing && (
        <EnvironmentFormModal
          code={code}
          environment={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            invalidate("environment");
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmModal
          title="Delete environment?"
          confirmLabel="Delete environment"
          action={() => api("DELETE", `/v1/environment/${encodeURIComponent(code)}/${deleting.id}`)}
          onClose={() => setDeleting(null)}
          onDone={() => {
            invalidate("environment");
            setDeleting(null);
          }}
        >
          “{deleting.title}” will be deleted. Reporters sending the slug <Code>{deleting.slug}</Code> will be
          refused.
        </ConfirmModal>
      )}
    </Stack>
  );
}

function EnvironmentFormModal({
  code,
  environment,
  onClose,
  onSaved,
}: {
  code: string;
  environment: Environment | null;
  onClose(): void;
  onSaved(): void;
}) {
  const [title, setTitle] = useState(environment?.title ?? "");
  const [slug, setSlug] = useState(environment?.slug ?? "");
  const [description, setDescription] = useState(environment?.description ?? "");
  const [host, setHost] = useState(environment?.host ?? "");
  const save = useMutation({
    mutationFn: () => {
      const body = { title, slug, description: description || null, host: host || null };
      const base = `/v1/environment/${encodeURIComponent(code)}`;
      return environment === null ? api("POST", base, body) : api("PATCH", `${base}/${environment.id}`, body);
    },
    onSuccess: onSaved,
  });
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <FormModal
      title={environment ? `Edit environment “${environment.title}”` : "New environment"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error}
      pending={save.isPending}
      submitLabel={environment ? "Save environment" : "Create environment"}
    >
      <TextInput
        label="Environment title"
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={err?.fieldError("title")}
        data-autofocus
      />
      <TextInput
        label="Slug"
        description="What reporters send as environment_slug; no spaces"
        value={slug}
        onChange={(e) => setSlug(e.currentTarget.value)}
        error={err?.fieldError("slug")}
      />
      <TextInput
        label="Host"
        placeholder="https://staging.example.com"
        value={host}
        onChange={(e) => setHost(e.currentTarget.value)}
        error={err?.fieldError("host")}
      />
      <Textarea
        label="Environment description"
        autosize
        minRows={2}
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
        error={err?.fieldError("description")}
      />
    </FormModal>
  );
}
