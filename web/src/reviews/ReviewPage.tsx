import { Alert, Anchor, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, useParams } from "react-router-dom";
import { api, type Me } from "../api";
import { useMilestoneOptions } from "../manage/data";
import { useSuitePaths } from "../repository/CasePage";
import { useCaseFields } from "../repository/CustomFields";
import { caseKey, formatTime, useSystemFields } from "../repository/data";
import { ReviewCrumbs, ReviewStatusBadge, useAuthorIndex, useReview, VerdictBadge } from "./data";
import { ApiErrorAlert, ReviewActions } from "./ReviewActions";
import { type DiffContext, DiffHeading, FieldChanges, StepChanges } from "./ReviewDiff";
import type { ReviewDetailed, ReviewedCase } from "./types";

/**
 * The case a review is read against: for an open or declined change, the case as it is now; for a
 * merged change, the version just before the merge; a proposed new case has none.
 */
function useBaseline(code: string, r: ReviewDetailed | undefined) {
  const caseId = r?.type === "edit" ? r.case_id : null;
  const before =
    r?.status === "merged" && r.merged_case_version !== null && r.merged_case_version > 1
      ? r.merged_case_version - 1
      : null;
  const path = `/v1/case/${encodeURIComponent(code)}/${caseId}`;
  const q = useQuery({
    queryKey: before === null ? ["case", code, caseId] : ["case-version", code, caseId, before],
    queryFn: () => api<ReviewedCase>("GET", before === null ? path : `${path}/version/${before}`),
    enabled: caseId !== null && (r?.status !== "merged" || before !== null),
  });
  const words =
    caseId === null
      ? "A new case with the fields below."
      : before !== null
        ? `Compared with version ${before} of ${caseKey(code, caseId)}, the case before the merge.`
        : r?.status === "merged"
          ? "The proposal as it was merged."
          : `Compared with ${caseKey(code, caseId)} as it is now${q.data ? ` (version ${q.data.version})` : ""}.`;
  return { query: q, words, compared: caseId !== null && (r?.status !== "merged" || before !== null) };
}

/** One case review: who proposed what, each reviewer's verdict, the changes against the case, actions. */
export function ReviewPage({ me }: { me: Me }) {
  const params = useParams();
  const code = params.code ?? "";
  const id = Number(params.id);
  const review = useReview(code, id);
  const people = useAuthorIndex(me);
  const fields = useSystemFields();
  const customFields = useCaseFields(code);
  const suitePaths = useSuitePaths(code);
  const milestones = useMilestoneOptions(code);
  const r = review.data;
  const baseline = useBaseline(code, r);
  const ctx: DiffContext = useMemo(
    () => ({
      fields: fields.data,
      customFields: customFields.data,
      suitePaths,
      milestones: new Map((milestones.data?.entities ?? []).map((m) => [m.id, m.title])),
    }),
    [fields.data, customFields.data, suitePaths, milestones.data],
  );
  const before = baseline.compared ? (baseline.query.data ?? null) : null;
  const waiting = baseline.compared && baseline.query.isPending;

  return (
    <Stack>
      <ReviewCrumbs code={code}>
        <Text size="sm">Review {id}</Text>
      </ReviewCrumbs>
      {review.error && <ApiErrorAlert error={review.error} />}
      {r && (
        <>
          <Group justify="space-between" align="flex-start">
            <div>
              <Group gap="xs">
                <Text c="dimmed">Review {r.id}</Text>
                <ReviewStatusBadge status={r.status} />
              </Group>
              <Title order={2} style={{ overflowWrap: "anywhere" }}>
                {r.title || `Review ${r.id}`}
              </Title>
              <Text size="sm" c="dimmed">
                {r.type === "create" ? "Proposes a new case" : "Proposes changes to "}
                {r.type === "edit" && r.case_id !== null && (
                  <Anchor component={Link} to={`/projects/${code}/cases/${r.case_id}`} size="sm">
                    {caseKey(code, r.case_id)}
                  </Anchor>
                )}
                {" · by "}
                {people.nameOf(r.author_uuid)} on {formatTime(r.created_at)}
              </Text>
              {r.closed_at && (
                <Text size="sm">
                  {r.status === "merged" ? "Merged" : "Declined"} on {formatTime(r.closed_at)}
                  {r.status === "merged" && r.case_id !== null && r.merged_case_version !== null && (
                    <>
                      {" as "}
                      <Anchor
                        component={Link}
                        to={`/projects/${code}/cases/${r.case_id}/versions/${r.merged_case_version}`}
                        size="sm"
                      >
                        version {r.merged_case_version} of {caseKey(code, r.case_id)}
                      </Anchor>
                    </>
                  )}
                </Text>
              )}
            </div>
          </Group>
          <ReviewActions code={code} review={r} me={me} mine={people.mine} />
          <Paper withBorder p="sm" component="section" aria-label="Reviewers">
            <DiffHeading>Reviewers</DiffHeading>
            {r.reviewers.length === 0 ? (
              <Text size="sm" c="dimmed">
                No reviewers are assigned.
              </Text>
            ) : (
              <Stack component="ul" gap={4} m={0} mt={4} p={0} style={{ listStyle: "none" }}>
                {r.reviewers.map((x) => (
                  <Group
                    component="li"
                    key={x.author_uuid}
                    gap="xs"
                    aria-label={`Reviewer ${people.nameOf(x.author_uuid)}`}
                  >
                    <Text size="sm">
                      {people.nameOf(x.author_uuid)}
                      {x.author_uuid === people.mine ? " (you)" : ""}
                    </Text>
                    <VerdictBadge status={x.status} />
                  </Group>
                ))}
              </Stack>
            )}
          </Paper>
          <Stack component="section" aria-label="Proposed changes" gap="xs">
            <DiffHeading>Proposed changes</DiffHeading>
            <Text size="sm" c="dimmed">
              {baseline.words}
            </Text>
            {baseline.compared && baseline.query.error && (
              <Alert color="yellow" title="The case cannot be compared">
                {baseline.query.error.message} The proposal is shown on its own.
              </Alert>
            )}
            {!waiting && r.proposed_case && (
              <FieldChanges proposed={r.proposed_case} before={before} ctx={ctx} />
            )}
          </Stack>
          {!waiting && r.proposed_case?.steps !== undefined && (
            <Stack component="section" aria-label="Proposed steps" gap="xs">
              <DiffHeading>Steps</DiffHeading>
              <StepChanges proposed={r.proposed_case.steps} before={before ? before.steps : null} />
            </Stack>
          )}
        </>
      )}
    </Stack>
  );
}
