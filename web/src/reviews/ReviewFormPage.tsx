import { Alert, Anchor, Loader, SegmentedControl, Select, Stack, Text, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { api, type Me, type Page } from "../api";
import { suiteOptions } from "../repository/CaseFields";
import { useCaseFields } from "../repository/CustomFields";
import { caseKey, useSuites, useSystemFields } from "../repository/data";
import type { TestCase } from "../repository/types";
import { ReviewCrumbs, reviewPath, useAuthorIndex, useReview } from "./data";
import { ProposalForm } from "./ProposalForm";
import { ApiErrorAlert } from "./ReviewActions";
import type { ReviewedCase } from "./types";

function useReviewedCase(code: string, id: number | null) {
  return useQuery({
    queryKey: ["case", code, id],
    queryFn: () => api<ReviewedCase>("GET", `/v1/case/${encodeURIComponent(code)}/${id}`),
    enabled: id !== null,
  });
}

/** Pick the case a change is proposed to: the repository searched on the server as you type. */
function CaseChoice({
  code,
  value,
  onChange,
}: {
  code: string;
  value: number | null;
  onChange(id: number | null): void;
}) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const cases = useQuery({
    queryKey: ["cases", code, "review-pick", debounced],
    queryFn: () => {
      const q = new URLSearchParams({ limit: "20" });
      if (debounced && !/^[A-Z0-9]+-\d+ · /.test(debounced)) q.set("search", debounced);
      return api<Page<TestCase>>("GET", `/v1/case/${encodeURIComponent(code)}?${q}`);
    },
    placeholderData: keepPreviousData,
  });
  const chosen = useReviewedCase(code, value);
  const options = (cases.data?.entities ?? []).map((c) => ({
    value: String(c.id),
    label: `${caseKey(code, c.id)} · ${c.title}`,
  }));
  if (chosen.data && !options.some((o) => o.value === String(chosen.data.id))) {
    options.unshift({
      value: String(chosen.data.id),
      label: `${caseKey(code, chosen.data.id)} · ${chosen.data.title}`,
    });
  }
  return (
    <Select
      label="Case to change"
      placeholder="Type to search the repository"
      searchable
      clearable
      filter={({ options: o }) => o}
      data={options}
      value={value === null ? null : String(value)}
      onChange={(v) => onChange(v === null ? null : Number(v))}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={cases.isFetching ? "Searching…" : "No cases match"}
      error={cases.error?.message}
      maw={560}
    />
  );
}

/**
 * Propose a change for review (/reviews/new, optionally ?case=ID) or edit an open review's proposal
 * (/reviews/:id/edit). Only the fields that differ from the case are proposed.
 */
export function ReviewFormPage({ me }: { me: Me }) {
  const params = useParams();
  const code = params.code ?? "";
  const reviewId = params.id === undefined ? null : Number(params.id);
  const [search, setSearch] = useSearchParams();
  const asked = Number(search.get("case"));
  const [kind, setKind] = useState<"create" | "edit">(asked > 0 ? "edit" : "create");
  const review = useReview(code, reviewId);
  const stored = reviewId === null ? undefined : review.data;
  const caseId =
    reviewId !== null
      ? stored?.type === "edit"
        ? stored.case_id
        : null
      : kind === "edit" && asked > 0
        ? asked
        : null;
  const target = useReviewedCase(code, caseId);
  const fields = useSystemFields();
  const suites = useSuites(code);
  const custom = useCaseFields(code);
  const people = useAuthorIndex(me);
  const canWrite = me.permissions.includes("repository.write");
  const create = reviewId === null ? kind === "create" : stored?.type === "create";
  const reviewReady = reviewId === null || stored !== undefined;
  const ready =
    fields.data &&
    suites.data &&
    custom.data &&
    people.authors.data &&
    reviewReady &&
    (caseId === null || target.data);
  const error =
    fields.error ??
    suites.error ??
    custom.error ??
    people.authors.error ??
    (reviewId !== null ? review.error : null) ??
    (caseId !== null ? target.error : null);
  const heading = reviewId === null ? "Propose a change" : `Edit review ${reviewId}`;
  const waitingForCase = reviewId === null && kind === "edit" && caseId === null;

  return (
    <Stack>
      <ReviewCrumbs code={code}>
        {reviewId !== null && (
          <Anchor component={Link} to={reviewPath(code, reviewId)}>
            Review {reviewId}
          </Anchor>
        )}
        <Text size="sm">{reviewId === null ? "New" : "Edit"}</Text>
      </ReviewCrumbs>
      <Title order={2}>{heading}</Title>
      {!canWrite && (
        <Alert color="red">You do not have permission to propose changes to this project's cases.</Alert>
      )}
      {canWrite && reviewId === null && (
        <Stack gap="xs">
          <SegmentedControl
            aria-label="What do you propose?"
            data={[
              { value: "create", label: "A new case" },
              { value: "edit", label: "A change to a case" },
            ]}
            value={kind}
            onChange={(v) => {
              setKind(v === "edit" ? "edit" : "create");
              if (v === "create") setSearch({}, { replace: true });
            }}
            maw={420}
          />
          {kind === "edit" && (
            <CaseChoice
              code={code}
              value={caseId}
              onChange={(id) => setSearch(id === null ? {} : { case: String(id) }, { replace: true })}
            />
          )}
        </Stack>
      )}
      {stored && stored.status !== "open" && (
        <Alert color="yellow">This review is {stored.status}; its proposal can no longer change.</Alert>
      )}
      {error && <ApiErrorAlert error={error} />}
      {canWrite && !ready && !error && !waitingForCase && <Loader aria-label="Loading" />}
      {canWrite && ready && fields.data && suites.data && custom.data && !waitingForCase && (
        <ProposalForm
          // A new starting point (another case) starts a new form.
          key={`${create ? "new" : caseId}-${reviewId ?? ""}`}
          code={code}
          reviewId={reviewId}
          stored={stored}
          target={create ? undefined : target.data}
          fields={fields.data}
          customFields={custom.data}
          authors={(people.authors.data ?? []).filter((a) => a.is_active && a.uuid !== people.mine)}
          suiteOptions={suiteOptions(suites.data)}
        />
      )}
    </Stack>
  );
}
