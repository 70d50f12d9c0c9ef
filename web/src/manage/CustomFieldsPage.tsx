import { Badge, Button, SegmentedControl, Stack, Text } from "@mantine/core";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "react-router-dom";
import { api, type Me, type Page } from "../api";
import { formatTime } from "../repository/data";
import { ConfirmModal } from "./ConfirmModal";
import { CustomFieldFormModal } from "./CustomFieldForm";
import { enabledFor, FIELD_ENTITIES, FIELD_TYPES, fieldOptions, labelOf } from "./customFields";
import { MANAGE_PAGE } from "./data";
import { EditDeleteButtons, ManageTable } from "./ManageTable";
import { ProjectHeader } from "./ProjectHeader";
import type { CustomField } from "./types";

/**
 * Custom fields belong to the workspace; this page lists them all from a project and marks those enabled
 * for it. Only workspace admins (settings.manage) may change them.
 */
export function CustomFieldsPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const canWrite = me.permissions.includes("settings.manage");
  const client = useQueryClient();
  const [entity, setEntity] = useState("");
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<CustomField | "new" | null>(null);
  const [deleting, setDeleting] = useState<CustomField | null>(null);
  const fields = useQuery({
    queryKey: ["custom_field", page, entity],
    queryFn: () => {
      const q = new URLSearchParams({
        limit: String(MANAGE_PAGE),
        offset: String((page - 1) * MANAGE_PAGE),
        ...(entity ? { entity } : {}),
      });
      return api<Page<CustomField>>("GET", `/v1/custom_field?${q}`);
    },
    placeholderData: keepPreviousData,
  });
  const invalidate = () => client.invalidateQueries({ queryKey: ["custom_field"] });

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="custom-fields"
        actions={canWrite && <Button onClick={() => setEditing("new")}>New custom field</Button>}
      />
      <Text size="sm" c="dimmed">
        Custom fields are shared by all projects of the workspace; “This project” says whether {code} uses
        each one.
      </Text>
      <SegmentedControl
        aria-label="Custom field entity"
        data={[{ value: "", label: "All" }, ...FIELD_ENTITIES.map(({ value, label }) => ({ value, label }))]}
        value={entity}
        onChange={(v) => {
          setEntity(v);
          setPage(1);
        }}
        style={{ alignSelf: "flex-start" }}
      />
      <ManageTable
        label="Custom fields"
        query={fields}
        page={page}
        onPage={setPage}
        rowKey={(f) => f.id}
        minWidth={720}
        empty={entity ? "No custom fields for this entity." : "No custom fields yet."}
        columns={[
          {
            header: "Title",
            cell: (f) => (
              <>
                <Text size="sm" fw={500}>
                  {f.title}
                  {f.is_required && (
                    <Text span c="red" aria-label="required">
                      {" "}
                      *
                    </Text>
                  )}
                </Text>
                {fieldOptions(f).length > 0 && (
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {fieldOptions(f)
                      .map((o) => o.title)
                      .join(", ")}
                  </Text>
                )}
              </>
            ),
          },
          { header: "Entity", cell: (f) => labelOf(FIELD_ENTITIES, f.entity), nowrap: true },
          { header: "Type", cell: (f) => labelOf(FIELD_TYPES, f.type), nowrap: true },
          {
            header: "This project",
            // A badge squeezed by the table's layout would cut its word short.
            style: { minWidth: 120 },
            cell: (f) => (
              <Badge color={enabledFor(f, code) ? "green" : "gray"} variant="light" tt="none">
                {enabledFor(f, code) ? "Enabled" : "Not enabled"}
              </Badge>
            ),
          },
          {
            header: "Projects",
            cell: (f) =>
              f.is_enabled_for_all_projects ? "All projects" : f.projects_codes.join(", ") || "None",
          },
          { header: "Updated", cell: (f) => formatTime(f.updated_at), nowrap: true },
        ]}
        actions={
          canWrite &&
          ((f) => (
            <EditDeleteButtons name={f.title} onEdit={() => setEditing(f)} onDelete={() => setDeleting(f)} />
          ))
        }
      />
      {editing && (
        <CustomFieldFormModal
          code={code}
          field={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            invalidate();
            setEditing(null);
          }}
        />
      )}
      {deleting && (
        <ConfirmModal
          title="Delete custom field?"
          confirmLabel="Delete custom field"
          action={() => api("DELETE", `/v1/custom_field/${deleting.id}`)}
          onClose={() => setDeleting(null)}
          onDone={() => {
            invalidate();
            setDeleting(null);
          }}
        >
          “{deleting.title}” will be deleted from every project. Values already stored stay, but no new values
          are accepted.
        </ConfirmModal>
      )}
    </Stack>
  );
}
