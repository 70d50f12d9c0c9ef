import { Badge, Button, Stack, Text } from "@mantine/core";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "react-router-dom";
import { api, type Me, type Page } from "../api";
import { ConfirmModal } from "./ConfirmModal";
import { MANAGE_PAGE } from "./data";
import { EditDeleteButtons, ManageTable } from "./ManageTable";
import { ProjectHeader } from "./ProjectHeader";
import { SharedParameterFormModal } from "./SharedParameterForm";
import type { SharedParameter } from "./types";

/** Workspace shared parameters (value lists cases are run with); marked when enabled for this project. */
export function SharedParametersPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const canWrite = me.permissions.includes("settings.manage");
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<SharedParameter | "new" | null>(null);
  const [deleting, setDeleting] = useState<SharedParameter | null>(null);
  const params = useQuery({
    queryKey: ["shared_parameter", page],
    queryFn: async (): Promise<Page<SharedParameter>> => {
      const q = new URLSearchParams({ limit: String(MANAGE_PAGE), offset: String((page - 1) * MANAGE_PAGE) });
      // Qase's shape here has no filtered/count: total is what matches.
      const r = await api<{ total: number; entities: SharedParameter[] }>("GET", `/v1/shared_parameter?${q}`);
      return { total: r.total, filtered: r.total, count: r.entities.length, entities: r.entities };
    },
    placeholderData: keepPreviousData,
  });
  const invalidate = () => client.invalidateQueries({ queryKey: ["shared_parameter"] });
  const enabledHere = (p: SharedParameter) =>
    p.is_enabled_for_all_projects || p.project_codes.includes(code.toUpperCase());

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="shared-parameters"
        actions={canWrite && <Button onClick={() => setEditing("new")}>New shared parameter</Button>}
      />
      <Text size="sm" c="dimmed">
        Shared parameters are shared by all projects of the workspace; “This project” says whether {code} may
        use each one.
      </Text>
      <ManageTable
        label="Shared parameters"
        query={params}
        page={page}
        onPage={setPage}
        rowKey={(p) => p.id}
        minWidth={640}
        empty="No shared parameters yet."
        columns={[
          {
            header: "Title",
            cell: (p) => (
              <>
                <Text size="sm" fw={500}>
                  {p.title}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={2}>
                  {p.parameters.map((x) => `${x.title}: ${x.values.join(", ")}`).join(" · ")}
                </Text>
              </>
            ),
          },
          { header: "Type", cell: (p) => (p.type === "group" ? "Group" : "Single") },
          {
            header: "This project",
            // A badge squeezed by the table's layout would cut its word short.
            style: { minWidth: 120 },
            cell: (p) => (
              <Badge color={enabledHere(p) ? "green" : "gray"} variant="light" tt="none">
                {enabledHere(p) ? "Enabled" : "Not enabled"}
              </Badge>
            ),
          },
          {
            header: "Projects",
            cell: (p) =>
              p.is_enabled_for_all_projects ? "All projects" : p.project_codes.join(", ") || "None",
          },
        ]}
        actions={
          canWrite &&
          ((p) => (
            <EditDeleteButtons name={p.title} onEdit={() => setEditing(p)} onDelete={() => setDeleting(p)} />
          ))
        }
      />
      {editing && (
        <SharedParameterFormModal
          code={code}
          parameter={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            invalidate();
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmModal
          title="Delete shared parameter?"
          confirmLabel="Delete shared parameter"
          action={() => api("DELETE", `/v1/shared_parameter/${deleting.id}`)}
          onClose={() => setDeleting(null)}
          onDone={() => {
            invalidate();
            setDeleting(null);
          }}
        >
          “{deleting.title}” will be deleted from every project.
        </ConfirmModal>
      )}
    </Stack>
  );
}
