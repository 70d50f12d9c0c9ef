import { Button, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "react-router-dom";
import { ApiError, api, type Me } from "../api";
import { formatTime } from "../repository/data";
import { draftSteps, type StepDraft, StepsEditor, stepBodies } from "../repository/StepsEditor";
import type { Step } from "../repository/types";
import { ConfirmModal } from "./ConfirmModal";
import { useInvalidate, useProjectList } from "./data";
import { FormModal } from "./FormModal";
import { EditDeleteButtons, ManageTable } from "./ManageTable";
import { ProjectHeader } from "./ProjectHeader";
import type { SharedStep, SharedStepItem } from "./types";

function countSteps(steps: SharedStepItem[]): number {
  return steps.reduce((n, s) => n + 1 + countSteps(s.steps), 0);
}

/** The case-step shape the steps editor starts from (shared steps have no position or shared reference). */
function asCaseSteps(steps: SharedStepItem[]): Step[] {
  return steps.map((s, i) => ({
    hash: s.hash,
    position: i + 1,
    action: s.action,
    expected_result: s.expected_result,
    data: s.data,
    shared_step_hash: null,
    attachments: s.attachments,
    steps: asCaseSteps(s.steps),
  }));
}

/** A project's shared steps: step lists written once and included by many cases. */
export function SharedStepsPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const canWrite = me.permissions.includes("repository.write");
  const invalidate = useInvalidate(code);
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState("");
  const [editing, setEditing] = useState<SharedStep | "new" | null>(null);
  const [deleting, setDeleting] = useState<SharedStep | null>(null);
  const [query] = useDebouncedValue(search.trim(), 250);
  const shared = useProjectList<SharedStep>("shared_step", code, page, query ? { search: query } : {});

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="shared-steps"
        actions={canWrite && <Button onClick={() => setEditing("new")}>New shared step</Button>}
      />
      <TextInput
        label="Search shared steps"
        placeholder="Title contains…"
        value={search}
        onChange={(e) => {
          setSearch(e.currentTarget.value);
          setPage(1);
        }}
        maw={360}
      />
      <ManageTable
        label="Shared steps"
        query={shared}
        page={page}
        onPage={setPage}
        rowKey={(s) => s.hash}
        empty={query ? "No shared steps match." : "No shared steps yet."}
        columns={[
          {
            header: "Title",
            cell: (s) => (
              <>
                <Text size="sm" fw={500}>
                  {s.title}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {s.steps[0]?.action}
                </Text>
              </>
            ),
          },
          { header: "Steps", cell: (s) => countSteps(s.steps) },
          { header: "Cases", cell: (s) => s.cases_count },
          { header: "Updated", cell: (s) => formatTime(s.updated_at), nowrap: true },
        ]}
        actions={
          canWrite &&
          ((s) => (
            <EditDeleteButtons name={s.title} onEdit={() => setEditing(s)} onDelete={() => setDeleting(s)} />
          ))
        }
      />
      {editing && (
        <SharedStepFormModal
          code={code}
          shared={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            invalidate("shared_step");
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmModal
          title="Delete shared step?"
          confirmLabel="Delete shared step"
          action={() => api("DELETE", `/v1/shared_step/${encodeURIComponent(code)}/${deleting.hash}`)}
          onClose={() => setDeleting(null)}
          onDone={() => {
            invalidate("shared_step");
            setDeleting(null);
          }}
        >
          “{deleting.title}” will be deleted.
          {deleting.cases_count > 0 &&
            ` ${deleting.cases_count} case${deleting.cases_count === 1 ? "" : "s"} include it.`}
        </ConfirmModal>
      )}
    </Stack>
  );
}

function SharedStepFormModal({
  code,
  shared,
  onClose,
  onSaved,
}: {
  code: string;
  shared: SharedStep | null;
  onClose(): void;
  onSaved(): void;
}) {
  const [title, setTitle] = useState(shared?.title ?? "");
  const [steps, setSteps] = useState<StepDraft[]>(() => draftSteps(asCaseSteps(shared?.steps ?? [])));
  const save = useMutation({
    mutationFn: () => {
      const body = { title, steps: stepBodies(steps) };
      const base = `/v1/shared_step/${encodeURIComponent(code)}`;
      return shared === null ? api("POST", base, body) : api("PATCH", `${base}/${shared.hash}`, body);
    },
    onSuccess: onSaved,
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const stepsError = err?.fieldError("steps");
  return (
    <FormModal
      title={shared ? `Edit shared step “${shared.title}”` : "New shared step"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error}
      pending={save.isPending}
      submitLabel={shared ? "Save shared step" : "Create shared step"}
      size="xl"
    >
      <TextInput
        label="Shared step title"
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={err?.fieldError("title")}
        data-autofocus
      />
      <div>
        <Text size="sm" fw={500} mb={4}>
          Steps
        </Text>
        <StepsEditor steps={steps} onChange={(fn) => setSteps(fn)} errorOf={(f) => err?.fieldError(f)} />
        {stepsError && (
          <Text size="xs" c="red" mt={4} role="alert">
            {stepsError}
          </Text>
        )}
      </div>
    </FormModal>
  );
}
