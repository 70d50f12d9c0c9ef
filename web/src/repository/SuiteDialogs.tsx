import { Alert, Button, Modal, Radio, Select, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api } from "../api";
import { FormModal } from "../manage/FormModal";
import { type SuiteNode, subtreeIds, suitePaths } from "./data";
import type { Suite } from "./types";

function useRefresh(code: string) {
  const queryClient = useQueryClient();
  return () => {
    queryClient.invalidateQueries({ queryKey: ["suites", code] });
    queryClient.invalidateQueries({ queryKey: ["cases", code] });
    queryClient.invalidateQueries({ queryKey: ["project", code] });
    queryClient.invalidateQueries({ queryKey: ["projects"] });
  };
}

export type SuiteEdit = { mode: "create"; parent: Suite | null } | { mode: "rename"; suite: Suite };

/** Create a suite (at the top or under a parent) or rename one; the API's field errors show at the field. */
export function SuiteFormModal({
  code,
  edit,
  onClose,
  onSaved,
}: {
  code: string;
  edit: SuiteEdit;
  onClose(): void;
  onSaved(id: number): void;
}) {
  const refresh = useRefresh(code);
  const initial = edit.mode === "rename" ? edit.suite : null;
  const [title, setTitle] = useState(initial?.title ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [preconditions, setPreconditions] = useState(initial?.preconditions ?? "");
  const save = useMutation({
    mutationFn: () => {
      const body = {
        title,
        description: description || null,
        preconditions: preconditions || null,
      };
      const base = `/v1/suite/${encodeURIComponent(code)}`;
      return edit.mode === "create"
        ? api<{ id: number }>("POST", base, { ...body, parent_id: edit.parent?.id ?? null })
        : api<{ id: number }>("PATCH", `${base}/${edit.suite.id}`, body);
    },
    onSuccess: (r) => {
      refresh();
      onSaved(r.id);
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const heading =
    edit.mode === "rename"
      ? `Rename suite “${edit.suite.title}”`
      : edit.parent
        ? `New suite in “${edit.parent.title}”`
        : "New suite";
  return (
    <FormModal
      title={heading}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error}
      pending={save.isPending}
      submitLabel={edit.mode === "create" ? "Create suite" : "Save suite"}
    >
      <TextInput
        label="Suite title"
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={err?.fieldError("title")}
        data-autofocus
      />
      <Textarea
        label="Suite description"
        autosize
        minRows={2}
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
        error={err?.fieldError("description")}
      />
      <Textarea
        label="Suite preconditions"
        autosize
        minRows={2}
        value={preconditions}
        onChange={(e) => setPreconditions(e.currentTarget.value)}
        error={err?.fieldError("preconditions")}
      />
    </FormModal>
  );
}

/** Deleting a suite asks where its cases and child suites go: into another suite, or away with it. */
export function DeleteSuiteModal({
  code,
  node,
  tree,
  onClose,
  onDeleted,
}: {
  code: string;
  node: SuiteNode;
  tree: SuiteNode[];
  onClose(): void;
  onDeleted(): void;
}) {
  const refresh = useRefresh(code);
  const excluded = new Set(subtreeIds(node));
  const targets = suitePaths(tree).filter((p) => !excluded.has(p.id));
  const hasContent = node.total > 0 || node.children.length > 0;
  const [fate, setFate] = useState<"move" | "delete">(targets.length > 0 && hasContent ? "move" : "delete");
  const [destination, setDestination] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: () =>
      api("DELETE", `/v1/suite/${encodeURIComponent(code)}/${node.suite.id}`, {
        destination_id: fate === "move" ? Number(destination) : null,
      }),
    onSuccess: () => {
      refresh();
      onDeleted();
    },
  });
  const err = remove.error instanceof ApiError ? remove.error : null;
  const what = `${node.total} case${node.total === 1 ? "" : "s"}${
    node.children.length > 0
      ? ` and ${node.children.length} child suite${node.children.length === 1 ? "" : "s"}`
      : ""
  }`;
  return (
    <Modal opened onClose={onClose} title={`Delete suite “${node.suite.title}”`}>
      <Stack>
        {remove.error && <Alert color="red">{remove.error.message}</Alert>}
        {hasContent ? (
          <Radio.Group
            label={`This suite holds ${what}. Where should they go?`}
            value={fate}
            onChange={(v) => setFate(v === "move" ? "move" : "delete")}
          >
            <Stack gap="xs" mt="xs">
              <Radio value="move" label="Move them to another suite" disabled={targets.length === 0} />
              <Radio value="delete" label="Delete them together with the suite" />
            </Stack>
          </Radio.Group>
        ) : (
          <Text size="sm">The suite is empty.</Text>
        )}
        {hasContent && fate === "move" && (
          <Select
            label="Destination suite"
            placeholder="Choose a suite"
            searchable
            data={targets.map((t) => ({ value: String(t.id), label: t.path }))}
            value={destination}
            onChange={setDestination}
            error={err?.fieldError("destination_id")}
          />
        )}
        <Button
          color="red"
          loading={remove.isPending}
          disabled={hasContent && fate === "move" && destination === null}
          onClick={() => remove.mutate()}
        >
          Delete suite
        </Button>
      </Stack>
    </Modal>
  );
}

/** PATCH parent_id + position; the tree re-reads on success. */
export function useMoveSuite(code: string) {
  const refresh = useRefresh(code);
  return useMutation({
    mutationFn: (m: { suite: Suite; parentId: number | null; position: number }) =>
      api("PATCH", `/v1/suite/${encodeURIComponent(code)}/${m.suite.id}`, {
        parent_id: m.parentId,
        position: m.position,
      }),
    onSuccess: refresh,
  });
}

const TOP_LEVEL = "top";

/** The keyboard way to nest a suite: pick its new parent (or the top level); it goes last there. */
export function MoveSuiteModal({
  code,
  node,
  tree,
  onClose,
}: {
  code: string;
  node: SuiteNode;
  tree: SuiteNode[];
  onClose(): void;
}) {
  const refresh = useRefresh(code);
  const excluded = new Set(subtreeIds(node));
  const targets = suitePaths(tree).filter((p) => !excluded.has(p.id));
  const [parent, setParent] = useState<string | null>(
    node.suite.parent_id === null ? TOP_LEVEL : String(node.suite.parent_id),
  );
  const move = useMutation({
    mutationFn: () =>
      api("PATCH", `/v1/suite/${encodeURIComponent(code)}/${node.suite.id}`, {
        parent_id: parent === TOP_LEVEL || parent === null ? null : Number(parent),
      }),
    onSuccess: () => {
      refresh();
      onClose();
    },
  });
  const err = move.error instanceof ApiError ? move.error : null;
  return (
    <FormModal
      title={`Move suite “${node.suite.title}”`}
      onClose={onClose}
      onSubmit={() => move.mutate()}
      error={move.error}
      pending={move.isPending}
      submitLabel="Move suite"
    >
      <Select
        label="New parent"
        searchable
        allowDeselect={false}
        data={[
          { value: TOP_LEVEL, label: "Top level (no parent)" },
          ...targets.map((t) => ({ value: String(t.id), label: t.path })),
        ]}
        value={parent}
        onChange={setParent}
        error={err?.fieldError("parent_id")}
        data-autofocus
      />
    </FormModal>
  );
}
