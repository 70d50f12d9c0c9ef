import {
  Alert,
  Button,
  Group,
  List,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { ApiError, type FieldError } from "../api";
import { CustomFieldsEditor } from "./CustomFields";
import type { CaseDraft } from "./caseDraft";
import { suitePaths, suiteTree } from "./data";
import { StepsEditor } from "./StepsEditor";
import { CASE_ENUMS, type CustomField, type Suite, type SystemField } from "./types";

/** The suite picker's choices: every suite by its path ("Parent / Child"). */
export function suiteOptions(suites: Suite[]): { value: string; label: string }[] {
  return suitePaths(suiteTree(suites)).map((p) => ({ value: String(p.id), label: p.path }));
}

export function FormSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm">
      <Title order={3} size="h4" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/**
 * A case's own fields, as the case editor and the review proposal form both edit them: title, suite,
 * texts, enums, flaky, tags, custom fields and steps. `errorOf` names fields as the case API does
 * ("title", "steps.0.action", "custom_field.3"); `beforeSteps` goes between custom fields and steps.
 */
export function CaseFields({
  draft: d,
  update,
  fields,
  customFields,
  suiteOptions,
  errorOf,
  titleRequired = true,
  beforeSteps,
}: {
  draft: CaseDraft;
  /** Merges what `fn` returns for the latest draft into it. */
  update(fn: (prev: CaseDraft) => Partial<CaseDraft>): void;
  fields: SystemField[];
  customFields: CustomField[];
  suiteOptions: { value: string; label: string }[];
  errorOf(field: string): string | undefined;
  titleRequired?: boolean;
  beforeSteps?: ReactNode;
}) {
  const set = (patch: Partial<CaseDraft>) => update(() => patch);
  return (
    <>
      <TextInput
        label="Title"
        withAsterisk={titleRequired}
        value={d.title}
        onChange={(e) => set({ title: e.currentTarget.value })}
        error={errorOf("title")}
      />
      <Select
        label="Suite"
        placeholder="No suite"
        searchable
        clearable
        data={suiteOptions}
        value={d.suite}
        onChange={(v) => set({ suite: v })}
        error={errorOf("suite_id")}
      />
      <Textarea
        label="Description"
        autosize
        minRows={2}
        value={d.description}
        onChange={(e) => set({ description: e.currentTarget.value })}
        error={errorOf("description")}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {(["preconditions", "postconditions"] as const).map((key) => (
          <Textarea
            key={key}
            label={key === "preconditions" ? "Preconditions" : "Postconditions"}
            autosize
            minRows={2}
            value={d[key]}
            onChange={(e) => set({ [key]: e.currentTarget.value })}
            error={errorOf(key)}
          />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        {CASE_ENUMS.map((slug) => {
          const field = fields.find((f) => f.slug === slug);
          return (
            <Select
              key={slug}
              label={field?.title ?? slug}
              data={(field?.options ?? []).map((o) => ({ value: String(o.id), label: o.title }))}
              value={d.enums[slug]}
              allowDeselect={false}
              onChange={(v) => update((prev) => ({ enums: { ...prev.enums, [slug]: v } }))}
              error={errorOf(slug)}
            />
          );
        })}
        <Switch
          label="Flaky"
          mt="xl"
          checked={d.flaky}
          onChange={(e) => set({ flaky: e.currentTarget.checked })}
          error={errorOf("is_flaky")}
        />
      </SimpleGrid>
      <TagsInput
        label="Tags"
        description="Press Enter after each tag"
        value={d.tags}
        onChange={(tags) => set({ tags })}
        error={errorOf("tags")}
        maxTags={100}
      />
      {customFields.length > 0 && (
        <FormSection title="Custom fields">
          <CustomFieldsEditor
            fields={customFields}
            values={d.custom}
            onChange={(fid, v) => update((prev) => ({ custom: { ...prev.custom, [String(fid)]: v } }))}
            errorOf={errorOf}
          />
        </FormSection>
      )}
      {beforeSteps}
      <FormSection title="Steps">
        <StepsEditor
          steps={d.steps}
          onChange={(fn) => update((prev) => ({ steps: fn(prev.steps) }))}
          errorOf={errorOf}
        />
      </FormSection>
    </>
  );
}

/** Field errors as a list: "field: error". */
export function FieldErrorList({ fields }: { fields: FieldError[] }) {
  if (fields.length === 0) return null;
  return (
    <List size="sm" mt="xs">
      {fields.map((f) => (
        <List.Item key={f.field}>
          {f.field}: {f.error}
        </List.Item>
      ))}
    </List>
  );
}

/**
 * A form that saves through one API call (the case editor, the review proposal form): why it was not
 * saved on top, then its fields, then the submit button and a link back. When the refusal names
 * fields, their errors show at the fields and the summary lists those not among the `shown` ones;
 * otherwise it gives the API's words.
 */
export function SaveForm({
  save,
  shown,
  errorTitle,
  submitLabel,
  cancel,
  children,
}: {
  save: { mutate(): void; error: Error | null; isPending: boolean };
  /** The API field names the form shows errors at. */
  shown: Set<string>;
  errorTitle: string;
  submitLabel: string;
  /** Where Cancel leads. */
  cancel: string;
  children: ReactNode;
}) {
  const error = save.error;
  const named = error instanceof ApiError && error.status === 422 && error.fields.length > 0;
  const unplaced = error instanceof ApiError ? error.fields.filter((f) => !shown.has(f.field)) : [];
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack maw={960}>
        {error && (
          <Alert color="red" title={named ? errorTitle : undefined}>
            {named ? "Check the highlighted fields." : error.message}
            <FieldErrorList fields={unplaced} />
          </Alert>
        )}
        {children}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {submitLabel}
          </Button>
          <Button variant="default" component={Link} to={cancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
