import {
  Alert,
  Button,
  Group,
  List,
  Loader,
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
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { ApiError, api, type Me } from "../api";
import { AttachmentsEditor } from "./CaseAttachments";
import { CaseCrumbs, useCase } from "./CasePage";
import { CustomFieldsEditor, useCaseFields } from "./CustomFields";
import { suitePaths, suiteTree, useSuites, useSystemFields } from "./data";
import { draftSteps, type StepDraft, StepsEditor, stepBodies, stepFieldNames } from "./StepsEditor";
import {
  type AttachmentRef,
  CASE_ENUMS,
  type CaseEnum,
  type CustomField,
  type SystemField,
  type TestCase,
} from "./types";

interface Draft {
  title: string;
  suite: string | null;
  description: string;
  preconditions: string;
  postconditions: string;
  enums: Record<CaseEnum, string | null>;
  flaky: boolean;
  tags: string[];
  steps: StepDraft[];
  attachments: AttachmentRef[];
  /** Custom field id -> value ("" for none). */
  custom: Record<string, string>;
}

function draftOf(
  c: TestCase | undefined,
  fields: SystemField[],
  custom: CustomField[],
  suite: string | null,
): Draft {
  const enums = {} as Record<CaseEnum, string | null>;
  for (const slug of CASE_ENUMS) {
    const field = fields.find((f) => f.slug === slug);
    enums[slug] = c ? String(c[slug]) : (field?.default_value ?? null);
  }
  return {
    title: c?.title ?? "",
    suite: c ? (c.suite_id === null ? null : String(c.suite_id)) : suite,
    description: c?.description ?? "",
    preconditions: c?.preconditions ?? "",
    postconditions: c?.postconditions ?? "",
    enums,
    flaky: c ? c.is_flaky === 1 : false,
    tags: c?.tags.map((t) => t.title) ?? [],
    steps: c ? draftSteps(c.steps) : [],
    attachments: c?.attachments ?? [],
    // A new case starts from each field's default.
    custom: c
      ? Object.fromEntries(c.custom_fields.map((v) => [String(v.id), v.value ?? ""]))
      : Object.fromEntries(custom.map((f) => [String(f.id), f.default_value ?? ""])),
  };
}

/**
 * `enabled`: ids of the custom fields the project may use; stored values of others would be refused.
 * A create leaves empty custom fields out (their defaults apply); an edit sends "" to clear one, since
 * an update only changes the fields it names.
 */
function bodyOf(d: Draft, enabled: Set<string>, editing: boolean) {
  const enums: Record<string, number> = {};
  for (const slug of CASE_ENUMS) {
    const v = d.enums[slug];
    if (v !== null) enums[slug] = Number(v);
  }
  return {
    title: d.title,
    suite_id: d.suite === null ? null : Number(d.suite),
    description: d.description || null,
    preconditions: d.preconditions || null,
    postconditions: d.postconditions || null,
    ...enums,
    is_flaky: d.flaky,
    tags: d.tags,
    steps: stepBodies(d.steps),
    attachments: d.attachments.map((a) => a.hash),
    custom_field: Object.fromEntries(
      Object.entries(d.custom).filter(([k, v]) => enabled.has(k) && (editing || v !== "")),
    ),
  };
}

const PLAIN_FIELDS = [
  "title",
  "suite_id",
  "description",
  "preconditions",
  "postconditions",
  "is_flaky",
  "tags",
  "attachments",
];

/** Create (/cases/new) or edit (/cases/:id/edit) a case; the server's 422 errors show at their fields. */
export function CaseFormPage({ me }: { me: Me }) {
  const params = useParams();
  const code = params.code ?? "";
  const id = params.id === undefined ? null : Number(params.id);
  const [search] = useSearchParams();
  const existing = useCase(code, id);
  const fields = useSystemFields();
  const suites = useSuites(code);
  const custom = useCaseFields(code);
  const canWrite = me.permissions.includes("repository.write");
  const ready = fields.data && suites.data && custom.data && (id === null || existing.data);
  const error = fields.error ?? suites.error ?? custom.error ?? (id !== null ? existing.error : null);
  return (
    <Stack>
      <CaseCrumbs
        code={code}
        testCase={id === null ? undefined : existing.data}
        last={id === null ? "New case" : "Edit"}
      />
      <Title order={2}>{id === null ? "New case" : `Edit ${existing.data?.title ?? "case"}`}</Title>
      {!canWrite && (
        <Alert color="red">You do not have permission to change this project's test cases.</Alert>
      )}
      {error && <Alert color="red">{error.message}</Alert>}
      {canWrite && !ready && !error && <Loader aria-label="Loading" />}
      {canWrite && ready && fields.data && suites.data && custom.data && (
        <CaseForm
          code={code}
          id={id}
          initial={draftOf(
            id === null ? undefined : existing.data,
            fields.data,
            custom.data,
            search.get("suite"),
          )}
          fields={fields.data}
          customFields={custom.data}
          suiteOptions={suitePaths(suiteTree(suites.data)).map((p) => ({
            value: String(p.id),
            label: p.path,
          }))}
        />
      )}
    </Stack>
  );
}

function CaseForm({
  code,
  id,
  initial,
  fields,
  customFields,
  suiteOptions,
}: {
  code: string;
  id: number | null;
  initial: Draft;
  fields: SystemField[];
  customFields: CustomField[];
  suiteOptions: { value: string; label: string }[];
}) {
  const [d, setD] = useState(initial);
  const set = (patch: Partial<Draft>) => setD((prev) => ({ ...prev, ...patch }));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const enabled = new Set(customFields.map((f) => String(f.id)));
  const save = useMutation({
    mutationFn: () => {
      const base = `/v1/case/${encodeURIComponent(code)}`;
      return id === null
        ? api<{ id: number }>("POST", base, bodyOf(d, enabled, false))
        : api<{ id: number }>("PATCH", `${base}/${id}`, bodyOf(d, enabled, true));
    },
    onSuccess: (r) => {
      for (const key of ["cases", "suites", "project", "case", "versions"])
        queryClient.invalidateQueries({ queryKey: [key, code] });
      queryClient.invalidateQueries({ queryKey: ["projects"] });
      navigate(`/projects/${code}/cases/${r.id}`);
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const errorOf = (field: string) => err?.fieldError(field);
  // Errors for fields this form does not show still need saying, in the summary on top.
  const shown = useMemo(
    () =>
      new Set([
        ...PLAIN_FIELDS,
        ...CASE_ENUMS,
        ...stepFieldNames(d.steps),
        ...customFields.map((f) => `custom_field.${f.id}`),
      ]),
    [d.steps, customFields],
  );
  const unplaced = err?.fields.filter((f) => !shown.has(f.field)) ?? [];
  const cancel =
    id === null ? `/projects/${code}${d.suite ? `?suite=${d.suite}` : ""}` : `/projects/${code}/cases/${id}`;

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack maw={960}>
        {save.error && (
          <Alert color="red" title={err?.status === 422 ? "The case was not saved" : undefined}>
            {err?.status === 422 ? "Check the highlighted fields." : save.error.message}
            {unplaced.length > 0 && (
              <List size="sm" mt="xs">
                {unplaced.map((f) => (
                  <List.Item key={f.field}>
                    {f.field}: {f.error}
                  </List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        <TextInput
          label="Title"
          withAsterisk
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
          <Textarea
            label="Preconditions"
            autosize
            minRows={2}
            value={d.preconditions}
            onChange={(e) => set({ preconditions: e.currentTarget.value })}
            error={errorOf("preconditions")}
          />
          <Textarea
            label="Postconditions"
            autosize
            minRows={2}
            value={d.postconditions}
            onChange={(e) => set({ postconditions: e.currentTarget.value })}
            error={errorOf("postconditions")}
          />
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
                onChange={(v) => set({ enums: { ...d.enums, [slug]: v } })}
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
          <Paper withBorder p="sm">
            <Title order={4} mb="xs">
              Custom fields
            </Title>
            <CustomFieldsEditor
              fields={customFields}
              values={d.custom}
              onChange={(fid, v) =>
                setD((prev) => ({ ...prev, custom: { ...prev.custom, [String(fid)]: v } }))
              }
              errorOf={errorOf}
            />
          </Paper>
        )}
        <Paper withBorder p="sm">
          <Title order={4} mb="xs">
            Attachments
          </Title>
          <AttachmentsEditor
            code={code}
            value={d.attachments}
            onChange={(fn) => setD((prev) => ({ ...prev, attachments: fn(prev.attachments) }))}
            error={errorOf("attachments")}
          />
        </Paper>
        <Paper withBorder p="sm">
          <Title order={4} mb="xs">
            Steps
          </Title>
          <StepsEditor
            steps={d.steps}
            onChange={(fn) => setD((prev) => ({ ...prev, steps: fn(prev.steps) }))}
            errorOf={errorOf}
          />
        </Paper>
        <Group>
          <Button type="submit" loading={save.isPending}>
            {id === null ? "Create case" : "Save case"}
          </Button>
          <Button variant="default" component={Link} to={cancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
