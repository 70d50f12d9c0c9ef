import { Alert, Button, Group, Menu, Modal, Select, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api";
import { FormModal } from "../manage/FormModal";
import { enumField, type SuiteNode, suitePaths } from "./data";
import type { SystemField } from "./types";

/** The enums a selection of cases can be set to at once. */
const BULK_ENUMS = ["severity", "priority", "status"] as const;
type BulkEnum = (typeof BULK_ENUMS)[number];
type Action = { kind: "move" } | { kind: "set"; slug: BulkEnum } | { kind: "delete" };

/** Requests at a time: enough to be quick, few enough not to crowd out other users. */
const PARALLEL = 4;

/** Runs one request per case (the API has no bulk update); failures are counted, not fatal to the rest. */
async function eachCase(ids: number[], call: (id: number) => Promise<unknown>) {
  const failed: { id: number; message: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as number;
      await call(id).catch((e: unknown) =>
        failed.push({ id, message: e instanceof Error ? e.message : String(e) }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, ids.length) }, worker));
  if (failed.length > 0) {
    const first = failed[0];
    throw new Error(
      `${failed.length} of ${ids.length} cases were not changed (case ${first?.id}: ${first?.message})`,
    );
  }
}

const plural = (n: number) => `${n} case${n === 1 ? "" : "s"}`;

/** What can be done to the ticked cases: start a run of them, move them, set an enum, delete them. */
export function CaseBulkActions({
  code,
  ids,
  fields,
  tree,
  canRun,
  canWrite,
  onRun,
  onClear,
}: {
  code: string;
  ids: number[];
  fields: SystemField[] | undefined;
  tree: SuiteNode[];
  canRun: boolean;
  canWrite: boolean;
  onRun(): void;
  onClear(): void;
}) {
  const [action, setAction] = useState<Action | null>(null);
  const [value, setValue] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const queryClient = useQueryClient();
  const base = `/v1/case/${encodeURIComponent(code)}`;
  const apply = useMutation({
    mutationFn: (a: Action) =>
      eachCase(ids, (id) => {
        if (a.kind === "delete") return api("DELETE", `${base}/${id}`);
        if (a.kind === "move")
          return api("PATCH", `${base}/${id}`, { suite_id: value ? Number(value) : null });
        return api("PATCH", `${base}/${id}`, { [a.slug]: Number(value) });
      }),
    onSettled: () => {
      for (const key of ["cases", "suites", "project", "case"])
        queryClient.invalidateQueries({ queryKey: [key, code] });
    },
    onSuccess: () => {
      setAction(null);
      onClear();
    },
  });
  const open = (a: Action) => {
    apply.reset();
    setValue(null);
    setMissing(false);
    setAction(a);
  };
  const close = () => setAction(null);

  return (
    <Group gap="xs">
      <Text size="sm" aria-live="polite">
        {plural(ids.length)} selected
      </Text>
      <Button variant="subtle" size="xs" onClick={onClear}>
        Clear selection
      </Button>
      {canWrite && (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button variant="default" size="xs">
              Bulk actions
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => open({ kind: "move" })}>Move to suite…</Menu.Item>
            {BULK_ENUMS.map((slug) => (
              <Menu.Item key={slug} onClick={() => open({ kind: "set", slug })}>
                Set {(enumField(fields, slug)?.title ?? slug).toLowerCase()}…
              </Menu.Item>
            ))}
            <Menu.Item color="red" onClick={() => open({ kind: "delete" })}>
              Delete…
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      )}
      {canRun && (
        <Button size="xs" onClick={onRun}>
          Run {ids.length} selected
        </Button>
      )}
      {action?.kind === "move" && (
        <FormModal
          title={`Move ${plural(ids.length)}`}
          onClose={close}
          onSubmit={() => apply.mutate(action)}
          error={apply.error}
          pending={apply.isPending}
          submitLabel="Move cases"
        >
          <Select
            label="Destination suite"
            placeholder="No suite"
            searchable
            clearable
            data={suitePaths(tree).map((p) => ({ value: String(p.id), label: p.path }))}
            value={value}
            onChange={setValue}
            data-autofocus
          />
        </FormModal>
      )}
      {action?.kind === "set" && (
        <FormModal
          title={`Set ${(enumField(fields, action.slug)?.title ?? action.slug).toLowerCase()} of ${plural(ids.length)}`}
          onClose={close}
          onSubmit={() => {
            setMissing(value === null);
            if (value !== null) apply.mutate(action);
          }}
          error={apply.error}
          pending={apply.isPending}
          submitLabel="Apply"
        >
          <Select
            label={enumField(fields, action.slug)?.title ?? action.slug}
            placeholder="Choose a value"
            allowDeselect={false}
            data={(enumField(fields, action.slug)?.options ?? []).map((o) => ({
              value: String(o.id),
              label: o.title,
            }))}
            value={value}
            onChange={setValue}
            error={missing ? "Choose a value" : undefined}
            data-autofocus
          />
        </FormModal>
      )}
      <Modal opened={action?.kind === "delete"} onClose={close} title={`Delete ${plural(ids.length)}`}>
        <Stack>
          {apply.error && <Alert color="red">{apply.error.message}</Alert>}
          <Text size="sm">The {plural(ids.length)} you selected will be deleted from the repository.</Text>
          <Group>
            <Button color="red" loading={apply.isPending} onClick={() => apply.mutate({ kind: "delete" })}>
              Delete {plural(ids.length)}
            </Button>
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}
