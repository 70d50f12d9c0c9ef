import {
  Alert,
  Button,
  Group,
  List,
  MultiSelect,
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
import { Link, useNavigate } from "react-router-dom";
import { ApiError, api } from "../api";
import { CustomFieldsEditor } from "../repository/CustomFields";
import { StepsEditor, stepFieldNames } from "../repository/StepsEditor";
import type { CustomField, SystemField } from "../repository/types";
import { reviewPath, reviewsPath } from "./data";
import { draftOf, FORM_ENUMS, type ProposalDraft, proposalBody } from "./proposal";
import type { Author, ReviewDetailed, ReviewedCase } from "./types";

const PLAIN_FIELDS = [
  "title",
  "suite_id",
  "description",
  "preconditions",
  "postconditions",
  "is_flaky",
  "tags",
];
const AUTOMATION_FIELDS = ["is_manual", "is_to_be_automated"];

/**
 * The proposed case: the case's own fields to change, with the reviewers to ask. The server's 422
 * errors (named proposed_case.<field> and reviewers.<n>) show at their fields.
 */
export function ProposalForm({
  code,
  reviewId,
  stored,
  target,
  fields,
  customFields,
  authors,
  suiteOptions,
}: {
  code: string;
  reviewId: number | null;
  stored: ReviewDetailed | undefined;
  /** The case a change is proposed to; undefined for a proposed new case. */
  target: ReviewedCase | undefined;
  fields: SystemField[];
  customFields: CustomField[];
  /** People who may be asked to review (the proposer is not among them). */
  authors: Author[];
  suiteOptions: { value: string; label: string }[];
}) {
  const base = useMemo(() => draftOf(target, fields, customFields), [target, fields, customFields]);
  const [d, setD] = useState<ProposalDraft>(() =>
    draftOf(target, fields, customFields, stored?.proposed_case),
  );
  const [reviewers, setReviewers] = useState<string[]>(
    (stored?.reviewers ?? []).flatMap((r) => (r.author_uuid ? [r.author_uuid] : [])),
  );
  const set = (patch: Partial<ProposalDraft>) => setD((prev) => ({ ...prev, ...patch }));
  const create = target === undefined;
  const navigate = useNavigate();
  const client = useQueryClient();
  const enabled = new Set(customFields.map((f) => String(f.id)));
  const save = useMutation({
    mutationFn: () => {
      const proposed_case = proposalBody(d, base, enabled, { create, stored: stored?.proposed_case });
      const url = `/v1/review/${encodeURIComponent(code)}`;
      if (reviewId !== null)
        return api<{ id: number }>("PATCH", `${url}/${reviewId}`, { reviewers, proposed_case });
      return api<{ id: number }>("POST", url, { case_id: target?.id ?? null, reviewers, proposed_case });
    },
    onSuccess: (r) => {
      client.invalidateQueries({ queryKey: ["reviews", code] });
      client.invalidateQueries({ queryKey: ["review", code] });
      navigate(reviewPath(code, r.id));
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const errorOf = (field: string) => err?.fieldError(`proposed_case.${field}`);
  const shown = useMemo(
    () =>
      new Set([
        ...[...PLAIN_FIELDS, ...FORM_ENUMS, ...AUTOMATION_FIELDS].map((f) => `proposed_case.${f}`),
        ...stepFieldNames(d.steps).map((f) => `proposed_case.${f}`),
        ...customFields.map((f) => `proposed_case.custom_field.${f.id}`),
        ...reviewers.map((_, i) => `reviewers.${i}`),
      ]),
    [d.steps, customFields, reviewers],
  );
  const unplaced = err?.fields.filter((f) => !shown.has(f.field)) ?? [];
  const reviewerErrors = err?.fields.filter((f) => f.field.startsWith("reviewers")).map((f) => f.error);
  const cancel = reviewId !== null ? reviewPath(code, reviewId) : reviewsPath(code);

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
          <Alert
            color="red"
            role="alert"
            title={err?.status === 422 ? "The review was not saved" : undefined}
          >
            {err?.status === 422 && err.fields.length > 0
              ? "Check the highlighted fields."
              : save.error.message}
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
        <MultiSelect
          label="Reviewers"
          description="Who should approve this change"
          placeholder={reviewers.length === 0 ? "Pick people" : undefined}
          searchable
          data={authors.map((a) => ({ value: a.uuid, label: `${a.name} (${a.email})` }))}
          value={reviewers}
          onChange={setReviewers}
          error={reviewerErrors && reviewerErrors.length > 0 ? reviewerErrors.join("; ") : undefined}
          maxValues={20}
        />
        <TextInput
          label="Title"
          withAsterisk={create}
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
          {FORM_ENUMS.map((slug) => {
            const field = fields.find((f) => f.slug === slug);
            return (
              <Select
                key={slug}
                label={field?.title ?? slug}
                data={(field?.options ?? []).map((o) => ({ value: String(o.id), label: o.title }))}
                value={d.enums[slug]}
                allowDeselect={false}
                onChange={(v) => set({ enums: { ...d.enums, [slug]: v } })}
                error={
                  slug === "automation"
                    ? (errorOf("is_manual") ?? errorOf("is_to_be_automated"))
                    : errorOf(slug)
                }
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
            <Title order={3} size="h4" mb="xs">
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
          <Title order={3} size="h4" mb="xs">
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
            {reviewId === null ? "Send for review" : "Save proposal"}
          </Button>
          <Button variant="default" component={Link} to={cancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
