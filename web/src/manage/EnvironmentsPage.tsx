import { Button, Code, Stack, Textarea, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "react-router-dom";
import { ApiError, api, type Me } from "../api";
import { ConfirmModal } from "./ConfirmModal";
import { useInvalidate, useProjectList } from "./data";
import { FormModal } from "./FormModal";
import { EditDeleteButtons, ManageTable, TitleCell } from "./ManageTable";
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

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="environments"
        actions={canWrite && <Button onClick={() => setEditing("new")}>New environment</Button>}
      />
      <ManageTable
        label="Environments"
        pagerLabel="Environment pages"
        query={environments}
        page={page}
        onPage={setPage}
        rowKey={(e) => e.id}
        empty="No environments yet."
        columns={[
          { header: "Title", cell: (e) => <TitleCell title={e.title} description={e.description} /> },
          { header: "Slug", cell: (e) => <Code>{e.slug}</Code> },
          { header: "Host", cell: (e) => e.host ?? "—", style: { wordBreak: "break-all" } },
        ]}
        actions={
          canWrite &&
          ((e) => (
            <EditDeleteButtons name={e.title} onEdit={() => setEditing(e)} onDelete={() => setDeleting(e)} />
          ))
        }
      />
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
