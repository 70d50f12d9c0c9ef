import { Badge, Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useParams } from "react-router-dom";
import { ApiError, api, type Me, type Page } from "../api";
import { MANAGE_PAGE, useInvalidate } from "./data";
import { FormModal } from "./FormModal";
import { ManageTable } from "./ManageTable";
import { ProjectHeader } from "./ProjectHeader";
import type { ConfigurationGroup } from "./types";

type Creating = { kind: "group" } | { kind: "configuration"; group: ConfigurationGroup };

/**
 * A project's configuration groups (browser, OS, ...) and their configurations, which runs are tagged
 * with. The API answers every group at once and has no edit or delete, so this page pages on the client
 * and only adds.
 */
export function ConfigurationsPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const canWrite = me.permissions.includes("configuration.create");
  const invalidate = useInvalidate(code);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState<Creating | null>(null);
  const groups = useQuery({
    queryKey: ["configuration", code],
    queryFn: () => api<Page<ConfigurationGroup>>("GET", `/v1/configuration/${encodeURIComponent(code)}`),
  });
  const all = groups.data?.entities ?? [];
  const shown = all.slice((page - 1) * MANAGE_PAGE, page * MANAGE_PAGE);
  const data = groups.data && {
    total: all.length,
    filtered: all.length,
    count: shown.length,
    entities: shown,
  };

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="configurations"
        actions={canWrite && <Button onClick={() => setCreating({ kind: "group" })}>New group</Button>}
      />
      <ManageTable
        label="Configuration groups"
        query={{ data, error: groups.error, isPending: groups.isPending }}
        page={page}
        onPage={setPage}
        rowKey={(g) => g.id}
        empty="No configuration groups yet."
        columns={[
          {
            header: "Group",
            cell: (g) => (
              <Text size="sm" fw={500}>
                {g.title}
              </Text>
            ),
          },
          {
            header: "Configurations",
            cell: (g) =>
              g.configurations.length === 0 ? (
                <Text size="sm" c="dimmed">
                  None yet
                </Text>
              ) : (
                <Group gap={6} aria-label={`Configurations of ${g.title}`}>
                  {g.configurations.map((c) => (
                    <Badge key={c.id} variant="light" tt="none">
                      {c.title}
                    </Badge>
                  ))}
                </Group>
              ),
          },
        ]}
        actions={
          canWrite &&
          ((g) => (
            <Button
              size="xs"
              variant="light"
              aria-label={`Add configuration to ${g.title}`}
              onClick={() => setCreating({ kind: "configuration", group: g })}
            >
              Add configuration
            </Button>
          ))
        }
      />
      {creating && (
        <ConfigurationFormModal
          code={code}
          creating={creating}
          onClose={() => setCreating(null)}
          onSaved={() => {
            invalidate("configuration");
            setCreating(null);
          }}
        />
      )}
    </Stack>
  );
}

function ConfigurationFormModal({
  code,
  creating,
  onClose,
  onSaved,
}: {
  code: string;
  creating: Creating;
  onClose(): void;
  onSaved(): void;
}) {
  const [title, setTitle] = useState("");
  const base = `/v1/configuration/${encodeURIComponent(code)}`;
  const save = useMutation({
    mutationFn: () =>
      creating.kind === "group"
        ? api("POST", `${base}/group`, { title })
        : api("POST", base, { title, group_id: creating.group.id }),
    onSuccess: onSaved,
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const isGroup = creating.kind === "group";
  return (
    <FormModal
      title={isGroup ? "New configuration group" : `New configuration in “${creating.group.title}”`}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error}
      pending={save.isPending}
      submitLabel={isGroup ? "Create group" : "Create configuration"}
    >
      <TextInput
        label={isGroup ? "Group title" : "Configuration title"}
        placeholder={isGroup ? "Browser" : "Firefox"}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={err?.fieldError("title") ?? err?.fieldError("group_id")}
        data-autofocus
      />
    </FormModal>
  );
}
