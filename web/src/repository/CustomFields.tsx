import {
  Anchor,
  Checkbox,
  MultiSelect,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, type Page } from "../api";
import { formatTime, useUserName } from "./data";
import type { CustomField } from "./types";

const FIELD_PAGE = 100;

/** Case fields enabled for the project (for all projects or for this code), read page by page. */
export function useCaseFields(code: string) {
  return useQuery({
    queryKey: ["custom-fields", "case", code],
    queryFn: async () => {
      const all: CustomField[] = [];
      for (let offset = 0; ; offset += FIELD_PAGE) {
        const page = await api<Page<CustomField>>(
          "GET",
          `/v1/custom_field?entity=case&limit=${FIELD_PAGE}&offset=${offset}`,
        );
        all.push(...page.entities);
        if (page.count < FIELD_PAGE || all.length >= page.filtered) break;
      }
      return all.filter((f) => f.is_enabled_for_all_projects || f.projects_codes.includes(code));
    },
    staleTime: 60_000,
  });
}

function optionsOf(f: CustomField): { value: string; label: string }[] {
  if (!f.value) return [];
  try {
    const parsed = JSON.parse(f.value) as { id: number; title: string }[];
    return parsed.map((o) => ({ value: String(o.id), label: o.title }));
  } catch {
    return [];
  }
}

/** One input per field type; every value travels as a string (option ids comma-joined, checkbox "1"/"0"). */
function FieldInput({
  field,
  value,
  onChange,
  error,
}: {
  field: CustomField;
  value: string;
  onChange(v: string): void;
  error: string | undefined;
}) {
  const common = {
    label: field.title,
    withAsterisk: field.is_required,
    error,
  };
  const placeholder = field.placeholder ?? undefined;
  switch (field.type) {
    case "text":
      return (
        <Textarea
          {...common}
          placeholder={placeholder}
          autosize
          minRows={2}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case "number":
      return (
        <TextInput
          {...common}
          placeholder={placeholder}
          inputMode="decimal"
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case "url":
      return (
        <TextInput
          {...common}
          type="url"
          placeholder={placeholder ?? "https://"}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case "datetime":
      return (
        <TextInput
          {...common}
          type="datetime-local"
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case "checkbox":
      return (
        <Checkbox
          label={field.title}
          error={error}
          mt="xl"
          checked={value === "1"}
          onChange={(e) => onChange(e.currentTarget.checked ? "1" : "0")}
        />
      );
    case "selectbox":
      return (
        <Select
          {...common}
          placeholder={placeholder ?? "None"}
          clearable
          data={optionsOf(field)}
          value={value || null}
          onChange={(v) => onChange(v ?? "")}
        />
      );
    case "radio":
      return (
        <Radio.Group {...common} value={value} onChange={onChange}>
          <Stack gap={4} mt={4}>
            {optionsOf(field).map((o) => (
              <Radio key={o.value} value={o.value} label={o.label} />
            ))}
          </Stack>
        </Radio.Group>
      );
    case "multiselect":
      return (
        <MultiSelect
          {...common}
          placeholder={placeholder ?? "None"}
          clearable
          data={optionsOf(field)}
          value={value ? value.split(",") : []}
          onChange={(v) => onChange(v.join(","))}
        />
      );
    case "user":
      return <UserSelect common={common} placeholder={placeholder} value={value} onChange={onChange} />;
    default:
      return (
        <TextInput
          {...common}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}

/** The case editor's custom fields; `values` maps field id to its string value ("" for none). */
export function CustomFieldsEditor({
  fields,
  values,
  onChange,
  errorOf,
}: {
  fields: CustomField[];
  values: Record<string, string>;
  onChange(id: number, value: string): void;
  errorOf(field: string): string | undefined;
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {fields.map((f) => (
        <FieldInput
          key={f.id}
          field={f}
          value={values[String(f.id)] ?? ""}
          onChange={(v) => onChange(f.id, v)}
          error={errorOf(`custom_field.${f.id}`)}
        />
      ))}
    </SimpleGrid>
  );
}

interface PickUser {
  id: number;
  name: string;
  email: string;
}

/** A user field: the workspace's users by name and email (the API's largest page); stores the id. */
function UserSelect({
  common,
  placeholder,
  value,
  onChange,
}: {
  common: { label: string; withAsterisk: boolean; error: string | undefined };
  placeholder: string | undefined;
  value: string;
  onChange(v: string): void;
}) {
  const users = useQuery({
    queryKey: ["users", "pick"],
    queryFn: () => api<Page<PickUser>>("GET", "/v1/user?limit=100"),
    staleTime: 60_000,
  });
  const data = (users.data?.entities ?? []).map((u) => ({
    value: String(u.id),
    label: `${u.name} (${u.email})`,
  }));
  // A value set through the API for a user past the first page still shows, by its name.
  const current = useUserName(value && !data.some((d) => d.value === value) ? Number(value) : null);
  if (value && !data.some((d) => d.value === value)) data.push({ value, label: current });
  return (
    <Select
      {...common}
      placeholder={placeholder ?? "Nobody"}
      searchable
      clearable
      nothingFoundMessage="No such user"
      data={data}
      value={value || null}
      onChange={(v) => onChange(v ?? "")}
    />
  );
}

function UserValue({ id }: { id: number }) {
  return <Text size="sm">{useUserName(id)}</Text>;
}

function FieldValue({ field, value }: { field: CustomField; value: string }) {
  switch (field.type) {
    case "checkbox":
      return <Text size="sm">{value === "1" ? "Yes" : "No"}</Text>;
    case "selectbox":
    case "radio":
    case "multiselect": {
      const titles = new Map(optionsOf(field).map((o) => [o.value, o.label]));
      return (
        <Text size="sm">
          {value
            .split(",")
            .map((v) => titles.get(v.trim()) ?? v)
            .join(", ")}
        </Text>
      );
    }
    case "url":
      return /^https?:\/\//i.test(value) ? (
        <Anchor href={value} target="_blank" rel="noreferrer noopener" size="sm">
          {value}
        </Anchor>
      ) : (
        <Text size="sm">{value}</Text>
      );
    case "user":
      return Number.isInteger(Number(value)) ? (
        <UserValue id={Number(value)} />
      ) : (
        <Text size="sm">{value}</Text>
      );
    case "datetime":
      return (
        <Text size="sm">
          {Number.isNaN(Date.parse(value)) ? value : formatTime(new Date(value).toISOString())}
        </Text>
      );
    default:
      return (
        <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
          {value}
        </Text>
      );
  }
}

/** The case page's custom field values, by the field titles; fields without a value say so. */
export function CustomFieldValues({
  fields,
  values,
}: {
  fields: CustomField[];
  values: { id: number; value: string | null }[];
}) {
  const byId = new Map(values.map((v) => [v.id, v.value]));
  const shown = fields.filter((f) => f.is_visible || byId.has(f.id));
  if (shown.length === 0) return null;
  return (
    <section aria-label="Custom fields">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
        {shown.map((f) => {
          const v = byId.get(f.id);
          return (
            <div key={f.id} data-testid={`custom-field-${f.id}`}>
              <Text size="xs" c="dimmed">
                {f.title}
              </Text>
              {v ? (
                <FieldValue field={f} value={v} />
              ) : (
                <Text size="sm" c="dimmed">
                  None
                </Text>
              )}
            </div>
          );
        })}
      </SimpleGrid>
    </section>
  );
}
