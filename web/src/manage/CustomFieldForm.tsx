import {
  ActionIcon,
  Box,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Select,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api } from "../api";
import {
  FIELD_ENTITIES,
  FIELD_TYPES,
  fieldOptions,
  OPTION_TYPES,
  type OptionDraft,
  predictedIds,
} from "./customFields";
import { FormModal } from "./FormModal";
import { ProjectScope } from "./ProjectScope";
import type { CustomField } from "./types";

let nextKey = 1;

/** Create or edit a workspace custom field; entity and type are fixed once it exists (the API's rule). */
export function CustomFieldFormModal({
  code,
  field,
  onClose,
  onSaved,
}: {
  code: string;
  field: CustomField | null;
  onClose(): void;
  onSaved(): void;
}) {
  const previous = fieldOptions(field);
  const [title, setTitle] = useState(field?.title ?? "");
  const [entity, setEntity] = useState<string | null>(field?.entity ?? "case");
  const [type, setType] = useState<string | null>(field?.type ?? "string");
  const [options, setOptions] = useState<OptionDraft[]>(() =>
    previous.map((o) => ({ key: nextKey++, id: o.id, title: o.title })),
  );
  const [placeholder, setPlaceholder] = useState(field?.placeholder ?? "");
  const [defaultValue, setDefaultValue] = useState(field?.default_value ?? "");
  const [required, setRequired] = useState(field?.is_required ?? false);
  const [allProjects, setAllProjects] = useState(field?.is_enabled_for_all_projects ?? false);
  const [codes, setCodes] = useState<string[]>(field?.projects_codes ?? [code.toUpperCase()]);
  const hasOptions = type !== null && OPTION_TYPES.has(type);
  const ids = predictedIds(options, previous);
  const optionChoices = options
    .map((o, i) => ({ value: String(ids[i]), label: o.title.trim() }))
    .filter((o) => o.label !== "");

  const save = useMutation({
    mutationFn: () => {
      const common = {
        title,
        ...(hasOptions
          ? { value: options.map((o) => ({ ...(o.id ? { id: o.id } : {}), title: o.title })) }
          : {}),
        placeholder: placeholder || null,
        default_value: defaultValue || null,
        is_required: required,
        is_enabled_for_all_projects: allProjects,
        projects_codes: allProjects ? [] : codes,
      };
      if (field) return api("PATCH", `/v1/custom_field/${field.id}`, common);
      return api("POST", "/v1/custom_field", {
        ...common,
        entity: FIELD_ENTITIES.findIndex((e) => e.value === entity),
        type: FIELD_TYPES.findIndex((t) => t.value === type),
      });
    },
    onSuccess: onSaved,
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const setOption = (key: number, title: string) =>
    setOptions((all) => all.map((o) => (o.key === key ? { ...o, title } : o)));

  return (
    <FormModal
      title={field ? `Edit custom field “${field.title}”` : "New custom field"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error}
      pending={save.isPending}
      submitLabel={field ? "Save custom field" : "Create custom field"}
      size="lg"
    >
      <TextInput
        label="Field title"
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        error={err?.fieldError("title")}
        data-autofocus
      />
      <Group grow align="flex-start">
        <Select
          label="Entity"
          data={FIELD_ENTITIES.map(({ value, label }) => ({ value, label }))}
          value={entity}
          onChange={setEntity}
          allowDeselect={false}
          disabled={field !== null}
          error={err?.fieldError("entity")}
        />
        <Select
          label="Field type"
          data={FIELD_TYPES.map(({ value, label }) => ({ value, label }))}
          value={type}
          onChange={(v) => {
            setType(v);
            setDefaultValue("");
          }}
          allowDeselect={false}
          disabled={field !== null}
          error={err?.fieldError("type")}
        />
      </Group>
      {hasOptions && (
        <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
          <Text component="legend" size="sm" fw={500}>
            Options
          </Text>
          {options.map((o, i) => (
            <Group key={o.key} gap="xs" wrap="nowrap" align="flex-start">
              <TextInput
                style={{ flex: 1 }}
                aria-label={`Option ${i + 1}`}
                placeholder={`Option ${i + 1}`}
                value={o.title}
                onChange={(e) => setOption(o.key, e.currentTarget.value)}
                error={err?.fieldError(`value.${i}.title`) ?? err?.fieldError(`value.${i}.id`)}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                size="lg"
                aria-label={`Remove option ${i + 1}`}
                onClick={() => setOptions((all) => all.filter((x) => x.key !== o.key))}
              >
                ✕
              </ActionIcon>
            </Group>
          ))}
          {err?.fieldError("value") && (
            <Text size="xs" c="red" role="alert">
              {err.fieldError("value")}
            </Text>
          )}
          <Box>
            <Button
              variant="default"
              size="xs"
              onClick={() => setOptions((all) => [...all, { key: nextKey++, id: null, title: "" }])}
            >
              Add option
            </Button>
          </Box>
        </Stack>
      )}
      <DefaultInput
        type={type}
        options={optionChoices}
        value={defaultValue}
        onChange={setDefaultValue}
        error={err?.fieldError("default_value")}
      />
      {type !== "checkbox" && (
        <TextInput
          label="Placeholder"
          value={placeholder}
          onChange={(e) => setPlaceholder(e.currentTarget.value)}
          error={err?.fieldError("placeholder")}
        />
      )}
      <Checkbox
        label="Required"
        checked={required}
        onChange={(e) => setRequired(e.currentTarget.checked)}
        error={err?.fieldError("is_required")}
      />
      <ProjectScope
        all={allProjects}
        onAll={setAllProjects}
        codes={codes}
        onCodes={setCodes}
        error={err?.fieldError("projects_codes") ?? err?.fieldError("is_enabled_for_all_projects")}
      />
    </FormModal>
  );
}

/** The default value in the form the field's type takes: an option, options, a flag or text. */
function DefaultInput({
  type,
  options,
  value,
  onChange,
  error,
}: {
  type: string | null;
  options: { value: string; label: string }[];
  value: string;
  onChange(value: string): void;
  error: string | undefined;
}) {
  if (type === "multiselect")
    return (
      <MultiSelect
        label="Default value"
        data={options}
        value={value ? value.split(",") : []}
        onChange={(v) => onChange(v.join(","))}
        error={error}
      />
    );
  if (type !== null && OPTION_TYPES.has(type))
    return (
      <Select
        label="Default value"
        placeholder="None"
        data={options}
        value={value || null}
        onChange={(v) => onChange(v ?? "")}
        clearable
        error={error}
      />
    );
  if (type === "checkbox")
    return (
      <Select
        label="Default value"
        placeholder="None"
        data={[
          { value: "1", label: "Checked" },
          { value: "0", label: "Unchecked" },
        ]}
        value={value || null}
        onChange={(v) => onChange(v ?? "")}
        clearable
        error={error}
      />
    );
  return (
    <TextInput
      label="Default value"
      type={type === "number" ? "number" : "text"}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
    />
  );
}
