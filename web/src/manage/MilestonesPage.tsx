import { Badge, Button, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "react-router-dom";
import { ApiError, api, type Me } from "../api";
import { ConfirmModal } from "./ConfirmModal";
import { useInvalidate, useProjectList } from "./data";
import { FormModal } from "./FormModal";
import { EditDeleteButtons, ManageTable, TitleCell } from "./ManageTable";
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

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="milestones"
        actions={canWrite && <Button onClick={() => setEditing("new")}>New milestone</Button>}
      />
      <ManageTable
        label="Milestones"
        pagerLabel="Milestone pages"
        query={milestones}
        page={page}
        onPage={setPage}
        rowKey={(m) => m.id}
        empty="No milestones yet."
        columns={[
          { header: "Title", cell: (m) => <TitleCell title={m.title} description={m.description} /> },
          {
            header: "Status",
            cell: (m) => (
              <Badge color={m.status === "completed" ? "green" : "blue"} variant="light" tt="none">
                {m.status === "completed" ? "Completed" : "Active"}
              </Badge>
            ),
          },
          { header: "Due", cell: (m) => toDay(m.due_date) || "—" },
        ]}
        actions={
          canWrite &&
          ((m) => (
            <EditDeleteButtons name={m.title} onEdit={() => setEditing(m)} onDelete={() => setDeleting(m)} />
          ))
        }
      />
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
