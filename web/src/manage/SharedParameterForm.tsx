import {
  ActionIcon,
  Box,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api } from "../api";
import { FormModal } from "./FormModal";
import { ProjectScope } from "./ProjectScope";
import type { SharedParameter } from "./types";

interface ParamDraft {
  key: number;
  title: string;
  /** One value a line, as typed. */
  values: string;
}

let nextKey = 1;
const draft = (title = "", values: string[] = []): ParamDraft => ({
  key: nextKey++,
  title,
  values: values.join("\n"),
});

/** Create or edit a shared parameter: one parameter ("single") or several varied together ("group"). */
export function SharedParameterFormModal({
  code,
  parameter,
  onClose,
  onSaved,
}: {
  code: string;
  parameter: SharedParameter | null;
  onClose(): void;
  onSaved(): void;
}) {
  const [title, setTitle] = useState(parameter?.title ?? "");
  const [type, setType] = useState(parameter?.type ?? "single");
  const [params, setParams] = useState<ParamDraft[]>(() =>
    parameter ? parameter.parameters.map((p) => draft(p.title, p.values)) : [draft()],
  );
  const [allProjects, setAllProjects] = useState(parameter?.is_enabled_for_all_projects ?? false);
  const [codes, setCodes] = useState<string[]>(parameter?.project_codes ?? [code.toUpperCase()]);
  const shown = type === "single" ? params.slice(0, 1) : params;

  const save = useMutation({
    mutationFn: () => {
      const body = {
        title,
        is_enabled_for_all_projects: allProjects,
        project_codes: allProjects ? [] : codes,
        parameters: shown.map((p) => ({
          title: p.title,
          values: p.values
            .split("\n")
            .map((v) => v.trim())
            .filter((v) => v !== ""),
        })),
      };
      return parameter
        ? api("PATCH", `/v1/shared_parameter/${parameter.id}`, body)
        : api("POST", "/v1/shared_parameter", { ...body, type });
    },
    onSuccess: onSaved,
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const set = (key: number, patch: Partial<ParamDraft>) =>
    setParams((all) => all.map((p) => (p.key === key ? { ...p, ...patch } : p)));

  return (
    <FormModal
      title={parameter ? `Edit shared parameter “${parameter.title}”` : "New shared parameter"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error}
      pending={save.isPending}
      submitLabel={parameter ? "Save shared parameter" : "Create shared parameter"}
      size="lg"
    >
      <TextInput
        label="Shared parameter title"
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={err?.fieldError("title")}
        data-autofocus
      />
      {parameter === null && (
        <SegmentedControl
          aria-label="Shared parameter type"
          data={[
            { value: "single", label: "Single" },
            { value: "group", label: "Group" },
          ]}
          value={type}
          onChange={(v) => {
            setType(v);
            if (v === "group" && params.length < 2) setParams((all) => [...all, draft()]);
          }}
          style={{ alignSelf: "flex-start" }}
        />
      )}
      {shown.map((p, i) => (
        <Paper key={p.key} withBorder p="sm" aria-label={`Parameter ${i + 1}`}>
          <Stack gap="xs">
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <TextInput
                style={{ flex: 1 }}
                label={`Parameter ${i + 1} name`}
                value={p.title}
                onChange={(e) => set(p.key, { title: e.currentTarget.value })}
                error={err?.fieldError(`parameters.${i}.title`)}
              />
              {type === "group" && shown.length > 2 && (
                <ActionIcon
                  mt={26}
                  variant="subtle"
                  color="red"
                  size="lg"
                  aria-label={`Remove parameter ${i + 1}`}
                  onClick={() => setParams((all) => all.filter((x) => x.key !== p.key))}
                >
                  ✕
                </ActionIcon>
              )}
            </Group>
            <Textarea
              label={`Parameter ${i + 1} values`}
              description="One value a line"
              autosize
              minRows={2}
              value={p.values}
              onChange={(e) => set(p.key, { values: e.currentTarget.value })}
              error={err?.fieldError(`parameters.${i}.values`)}
            />
          </Stack>
        </Paper>
      ))}
      {err?.fieldError("parameters") && (
        <Text size="xs" c="red" role="alert">
          {err.fieldError("parameters")}
        </Text>
      )}
      {type === "group" && (
        <Box>
          <Button variant="default" size="xs" onClick={() => setParams((all) => [...all, draft()])}>
            Add parameter
          </Button>
        </Box>
      )}
      <ProjectScope
        all={allProjects}
        onAll={setAllProjects}
        codes={codes}
        onCodes={setCodes}
        error={err?.fieldError("project_codes")}
      />
    </FormModal>
  );
}
