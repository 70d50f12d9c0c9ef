import { MultiSelect } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useNavigate } from "react-router-dom";
import { ApiError, api } from "../api";
import { CaseFields, SaveForm } from "../repository/CaseFields";
import { type CaseDraft, caseFieldNames } from "../repository/caseDraft";
import type { CustomField, SystemField } from "../repository/types";
import { reviewPath, reviewsPath } from "./data";
import { draftOf, proposalBody } from "./proposal";
import type { Author, ReviewDetailed, ReviewedCase } from "./types";

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
  const [d, setD] = useState<CaseDraft>(() => draftOf(target, fields, customFields, stored?.proposed_case));
  const [reviewers, setReviewers] = useState<string[]>(
    (stored?.reviewers ?? []).flatMap((r) => (r.author_uuid ? [r.author_uuid] : [])),
  );
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
  // The form names fields as the case API does; a proposal's automation is is_manual/is_to_be_automated.
  const errorOf = (field: string) =>
    field === "automation"
      ? (err?.fieldError("proposed_case.is_manual") ?? err?.fieldError("proposed_case.is_to_be_automated"))
      : err?.fieldError(`proposed_case.${field}`);
  const shown = useMemo(
    () =>
      new Set([
        ...[...caseFieldNames(d.steps, customFields), "is_manual", "is_to_be_automated"].map(
          (f) => `proposed_case.${f}`,
        ),
        ...reviewers.map((_, i) => `reviewers.${i}`),
      ]),
    [d.steps, customFields, reviewers],
  );
  const reviewerErrors = err?.fields.filter((f) => f.field.startsWith("reviewers")).map((f) => f.error);
  const cancel = reviewId !== null ? reviewPath(code, reviewId) : reviewsPath(code);

  return (
    <SaveForm
      save={save}
      shown={shown}
      errorTitle="The review was not saved"
      submitLabel={reviewId === null ? "Send for review" : "Save proposal"}
      cancel={cancel}
    >
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
      <CaseFields
        draft={d}
        update={(fn) => setD((prev) => ({ ...prev, ...fn(prev) }))}
        fields={fields}
        customFields={customFields}
        suiteOptions={suiteOptions}
        errorOf={errorOf}
        titleRequired={create}
      />
    </SaveForm>
  );
}
