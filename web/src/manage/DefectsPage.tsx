import {
  Alert,
  Badge,
  Button,
  Menu,
  SegmentedControl,
  Select,
  Stack,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "react-router-dom";
import { ApiError, api, type Me } from "../api";
import { enumOptions, formatTime, useSystemFields } from "../repository/data";
import { selectData, useInvalidate, useMilestoneOptions, useProjectList } from "./data";
import { FormModal } from "./FormModal";
import { ManageTable, TitleCell } from "./ManageTable";
import { ProjectHeader } from "./ProjectHeader";
import type { Defect } from "./types";

const STATUSES = [
  { value: "open", label: "Open", color: "red" },
  { value: "in_progress", label: "In progress", color: "blue" },
  { value: "resolved", label: "Resolved", color: "green" },
  { value: "invalid", label: "Invalid", color: "gray" },
];
/** The statuses PATCH /v1/defect/{code}/status/{id} moves a defect to. */
const SETTABLE = STATUSES.filter((s) => s.value !== "open");

function statusOf(value: string) {
  return STATUSES.find((s) => s.value === value) ?? { value, label: value, color: "grape" };
}

/** A project's defects, filtered by status on the server; members resolve them or move them on. */
export function DefectsPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const canWrite = me.permissions.includes("defect.write");
  const invalidate = useInvalidate(code);
  const fields = useSystemFields();
  const severities = enumOptions(fields.data, "severity");
  const [status, setStatus] = useState("");
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const defects = useProjectList<Defect>("defect", code, page, status ? { status } : {});
  const change = useMutation({
    mutationFn: ({ defect, to }: { defect: Defect; to: string }) => {
      const base = `/v1/defect/${encodeURIComponent(code)}`;
      return to === "resolved"
        ? api("PATCH", `${base}/resolve/${defect.id}`)
        : api("PATCH", `${base}/status/${defect.id}`, { status: to });
    },
    onSuccess: () => invalidate("defect"),
  });

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="defects"
        actions={canWrite && <Button onClick={() => setCreating(true)}>New defect</Button>}
      />
      {change.error && <Alert color="red">{change.error.message}</Alert>}
      <SegmentedControl
        aria-label="Defect status"
        data={[{ value: "", label: "All" }, ...STATUSES.map(({ value, label }) => ({ value, label }))]}
        value={status}
        onChange={(v) => {
          setStatus(v);
          setPage(1);
        }}
        style={{ alignSelf: "flex-start" }}
      />
      <ManageTable
        label="Defects"
        pagerLabel="Defect pages"
        query={defects}
        page={page}
        onPage={setPage}
        rowKey={(d) => d.id}
        minWidth={640}
        empty={defects.data?.total === 0 && !status ? "No defects yet." : "No defects match."}
        columns={[
          { header: "ID", cell: (d) => d.id },
          { header: "Title", cell: (d) => <TitleCell title={d.title} description={d.actual_result} /> },
          {
            header: "Severity",
            cell: (d) => severities.find((o) => o.slug === d.severity)?.title ?? d.severity,
          },
          {
            header: "Status",
            cell: (d) => {
              const s = statusOf(d.status);
              return (
                <Badge color={s.color} variant="light" tt="none">
                  {s.label}
                </Badge>
              );
            },
          },
          { header: "Reported", cell: (d) => formatTime(d.created_at), nowrap: true },
        ]}
        actions={
          canWrite &&
          ((d) => (
            <>
              {d.status !== "resolved" && (
                <Button
                  size="xs"
                  variant="light"
                  color="green"
                  aria-label={`Resolve ${d.title}`}
                  onClick={() => change.mutate({ defect: d, to: "resolved" })}
                >
                  Resolve
                </Button>
              )}
              <Menu position="bottom-end">
                <Menu.Target>
                  <Button size="xs" variant="default" aria-label={`Change status of ${d.title}`}>
                    Status…
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  {SETTABLE.filter((o) => o.value !== d.status).map((o) => (
                    <Menu.Item key={o.value} onClick={() => change.mutate({ defect: d, to: o.value })}>
                      {o.label}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            </>
          ))
        }
      />
      {creating && (
        <DefectFormModal
          code={code}
          severities={severities.map((o) => ({ value: o.slug, label: o.title }))}
          onClose={() => setCreating(false)}
          onSaved={() => {
            invalidate("defect");
            setCreating(false);
          }}
        />
      )}
    </Stack>
  );
}

function DefectFormModal({
  code,
  severities,
  onClose,
  onSaved,
}: {
  code: string;
  severities: { value: string; label: string }[];
  onClose(): void;
  onSaved(): void;
}) {
  const milestones = useMilestoneOptions(code);
  const [title, setTitle] = useState("");
  const [actual, setActual] = useState("");
  const [severity, setSeverity] = useState<string | null>(null);
  const [milestone, setMilestone] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      api("POST", `/v1/defect/${encodeURIComponent(code)}`, {
        title,
        actual_result: actual,
        severity: severity ?? 0,
        milestone_id: milestone === null ? null : Number(milestone),
      }),
    onSuccess: onSaved,
  });
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <FormModal
      title="New defect"
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error}
      pending={save.isPending}
      submitLabel="Create defect"
    >
      <TextInput
        label="Defect title"
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={err?.fieldError("title")}
        data-autofocus
      />
      <Textarea
        label="Actual result"
        autosize
        minRows={3}
        value={actual}
        onChange={(e) => setActual(e.currentTarget.value)}
        error={err?.fieldError("actual_result")}
      />
      <Select
        label="Severity"
        placeholder="Not set"
        data={severities}
        value={severity}
        onChange={setSeverity}
        error={err?.fieldError("severity")}
      />
      <Select
        label="Milestone"
        placeholder="None"
        clearable
        data={selectData(milestones.data?.entities)}
        value={milestone}
        onChange={setMilestone}
        error={err?.fieldError("milestone_id")}
      />
    </FormModal>
  );
}
