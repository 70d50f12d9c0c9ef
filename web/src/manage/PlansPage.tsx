import { Alert, Button, Modal, Stack, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "react-router-dom";
import { ApiError, api, type Me } from "../api";
import { formatTime } from "../repository/data";
import { CasePicker } from "./CasePicker";
import { ConfirmModal } from "./ConfirmModal";
import { useInvalidate, useProjectList } from "./data";
import { EditDeleteButtons, ManageTable, TitleCell } from "./ManageTable";
import { ProjectHeader } from "./ProjectHeader";
import type { Plan, PlanDetailed } from "./types";

/** A project's test plans: named sets of cases that runs start from. */
export function PlansPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const canWrite = me.permissions.includes("repository.write");
  const invalidate = useInvalidate(code);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Plan | "new" | null>(null);
  const [deleting, setDeleting] = useState<Plan | null>(null);
  const plans = useProjectList<Plan>("plan", code, page);

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="plans"
        actions={canWrite && <Button onClick={() => setEditing("new")}>New plan</Button>}
      />
      <ManageTable
        label="Plans"
        pagerLabel="Plan pages"
        query={plans}
        page={page}
        onPage={setPage}
        rowKey={(p) => p.id}
        empty="No plans yet."
        columns={[
          { header: "Title", cell: (p) => <TitleCell title={p.title} description={p.description} /> },
          { header: "Cases", cell: (p) => p.cases_count },
          { header: "Updated", cell: (p) => formatTime(p.updated_at), nowrap: true },
        ]}
        actions={
          canWrite &&
          ((p) => (
            <EditDeleteButtons name={p.title} onEdit={() => setEditing(p)} onDelete={() => setDeleting(p)} />
          ))
        }
      />
      {editing && (
        <PlanFormModal
          code={code}
          plan={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            invalidate("plan");
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmModal
          title="Delete plan?"
          confirmLabel="Delete plan"
          action={() => api("DELETE", `/v1/plan/${encodeURIComponent(code)}/${deleting.id}`)}
          onClose={() => setDeleting(null)}
          onDone={() => {
            invalidate("plan");
            setDeleting(null);
          }}
        >
          “{deleting.title}” will be deleted. Its cases and the runs started from it stay.
        </ConfirmModal>
      )}
    </Stack>
  );
}

function PlanFormModal({
  code,
  plan,
  onClose,
  onSaved,
}: {
  code: string;
  plan: Plan | null;
  onClose(): void;
  onSaved(): void;
}) {
  const detail = useQuery({
    queryKey: ["plan", code, plan?.id, "detail"],
    queryFn: () => api<PlanDetailed>("GET", `/v1/plan/${encodeURIComponent(code)}/${plan?.id}`),
    enabled: plan !== null,
  });
  const [title, setTitle] = useState(plan?.title ?? "");
  const [description, setDescription] = useState(plan?.description ?? "");
  const [cases, setCases] = useState<number[] | null>(plan === null ? [] : null);
  // The plan's cases arrive with its detail; until the user changes them, they are the detail's.
  const chosen = cases ?? detail.data?.cases.map((c) => c.case_id) ?? [];
  const save = useMutation({
    mutationFn: () => {
      const body = { title, description: description || null, cases: chosen };
      const base = `/v1/plan/${encodeURIComponent(code)}`;
      return plan === null ? api("POST", base, body) : api("PATCH", `${base}/${plan.id}`, body);
    },
    onSuccess: onSaved,
  });
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <Modal opened onClose={onClose} title={plan ? `Edit plan “${plan.title}”` : "New plan"} size="xl">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          {(save.error ?? detail.error) && <Alert color="red">{(save.error ?? detail.error)?.message}</Alert>}
          <TextInput
            label="Plan title"
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={err?.fieldError("title")}
            data-autofocus
          />
          <Textarea
            label="Plan description"
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={err?.fieldError("description")}
          />
          <CasePicker code={code} value={chosen} onChange={setCases} error={err?.fieldError("cases")} />
          <Button type="submit" loading={save.isPending} disabled={plan !== null && detail.isPending}>
            {plan ? "Save plan" : "Create plan"}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
