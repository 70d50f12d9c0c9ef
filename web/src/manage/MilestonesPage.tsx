import {
  Alert,
  Badge,
  Button,
  Group,
  Pagination,
  Select,
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
import type { Milestone } from "./types";

/** "2026-12-31" for a date input from the API's ISO due date (kept in UTC, as the API stores days). */
const toDay = (iso: string | null) => (iso ? iso.slice(0, 10) : "");
/** The API takes a due date as Unix seconds. */
const toSeconds = (day: string) => (day ? Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) : null);

/** A project's milestones: what runs and defects count towards, with a status and a due date. */
export function MilestonesPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const canWrite = me.permissions.includes("repository.write");
  const invalidate = useInvalidate(code);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Milestone | "new" | null>(null);
  const [deleting, setDeleting] = useState<Milestone | null>(null);
  const milestones = useProjectList<Milestone>("milestone", code, page);
  const pages = milestones.data ? Math.ceil(milestones.data.filtered / MANAGE_PAGE) : 0;

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="milestones"
        actions={canWrite && <Button onClick={() => setEditing("new")}>New milestone</Button>}
      />
      {milestones.error && <Alert color="red">{milestones.error.message}</Alert>}
      {milestones.data && milestones.data.total === 0 && <Text c="dimmed">No milestones yet.</Text>}
      {milestones.data && milestones.data.count > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label="Milestones">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Title</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Due</Table.Th>
                {canWrite && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {milestones.data.entities.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {m.title}
                    </Text>
                    {m.description && (
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {m.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={m.status === "completed" ? "green" : "blue"} variant="light" tt="none">
                      {m.status === "completed" ? "Completed" : "Active"}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{toDay(m.due_date) || "—"}</Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap" justify="flex-end">
                        <Button
                          size="xs"
                          variant="light"
                          aria-label={`Edit ${m.title}`}
                          onClick={() => setEditing(m)}
                        >
                          Edit
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          aria-label={`Delete ${m.title}`}
                          onClick={() => setDeleting(m)}
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
      {pages > 1 && <Pagination aria-label="Milestone pages" total={pages} value={page} onChange={setPage} />}
      {editing && (
        <MilestoneFormModal
          code={code}
          milestone={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            invalidate("milestone");
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmModal
          title="Delete milestone?"
          confirmLabel="Delete milestone"
          action={() => api("DELETE", `/v1/milestone/${encodeURIComponent(code)}/${deleting.id}`)}
          onClose={() => setDeleting(null)}
          onDone={() => {
            invalidate("milestone");
            setDeleting(null);
          }}
        >
          “{deleting.title}” will be deleted.
        </ConfirmModal>
      )}
    </Stack>
  );
}

function MilestoneFormModal({
  code,
  milestone,
  onClose,
  onSaved,
}: {
  code: string;
  milestone: Milestone | null;
  onClose(): void;
  onSaved(): void;
}) {
  const [title, setTitle] = useState(milestone?.title ?? "");
  const [description, setDescription] = useState(milestone?.description ?? "");
  const [status, setStatus] = useState<string | null>(milestone?.status ?? "active");
  const [due, setDue] = useState(toDay(milestone?.due_date ?? null));
  const save = useMutation({
    mutationFn: () => {
      const body = { title, description: description || null, status, due_date: toSeconds(due) };
      const base = `/v1/milestone/${encodeURIComponent(code)}`;
      return milestone === null ? api("POST", base, body) : api("PATCH", `${base}/${milestone.id}`, body);
    },
    onSuccess: onSaved,
  });
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <FormModal
      title={milestone ? `Edit milestone “${milestone.title}”` : "New milestone"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error}
      pending={save.isPending}
      submitLabel={milestone ? "Save milestone" : "Create milestone"}
    >
      <TextInput
        label="Milestone title"
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={err?.fieldError("title")}
        data-autofocus
      />
      <Textarea
        label="Milestone description"
        autosize
        minRows={2}
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
        error={err?.fieldError("description")}
      />
      <Select
        label="Milestone status"
        data={[
          { value: "active", label: "Active" },
          { value: "completed", label: "Completed" },
        ]}
        value={status}
        onChange={setStatus}
        allowDeselect={false}
        error={err?.fieldError("status")}
      />
      <TextInput
        type="date"
        label="Due date"
        value={due}
        onChange={(e) => setDue(e.currentTarget.value)}
        error={err?.fieldError("due_date")}
      />
    </FormModal>
  );
}
