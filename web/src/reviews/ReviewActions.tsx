import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { ApiError, api, type Me } from "../api";
import { ConfirmModal } from "../manage/ConfirmModal";
import { FieldErrorList } from "../repository/CaseFields";
import { caseKey } from "../repository/data";
import { reviewPath, reviewsPath } from "./data";
import type { ReviewDetailed } from "./types";

/** The API's words, with any field problems it named (a merge the case service refuses names them). */
export function ApiErrorAlert({ error, title }: { error: Error; title?: string }) {
  // A single-field refusal already says its words in the message.
  const fields = (error instanceof ApiError ? error.fields : []).filter(
    (f) => !error.message.includes(f.error),
  );
  return (
    <Alert color="red" title={title}>
      {error.message}
      <FieldErrorList fields={fields} />
    </Alert>
  );
}

/** The verdicts an assigned reviewer gives; pressing the one given again withdraws it. */
const VERDICT_BUTTONS = [
  { status: "approved", label: "Approve", color: "green" },
  { status: "changes_requested", label: "Request changes", color: "orange" },
] as const;

type Pending = "merge" | "decline" | "delete";

interface Confirmation {
  confirmLabel: string;
  color: string;
  action(): Promise<unknown>;
  onDone(): void;
  words: ReactNode;
}

/**
 * What the signed-in user may do with a review: an assigned reviewer approves or requests changes;
 * anyone who may change cases merges, declines, edits or deletes it. Viewers get none of these.
 */
export function ReviewActions({
  code,
  review,
  me,
  mine,
}: {
  code: string;
  review: ReviewDetailed;
  me: Me;
  mine: string | null;
}) {
  const [pending, setPending] = useState<Pending | null>(null);
  const client = useQueryClient();
  const navigate = useNavigate();
  const base = `/v1/review/${encodeURIComponent(code)}/${review.id}`;
  const refresh = () => {
    for (const key of ["review", "reviews", "case", "cases", "versions", "suites", "project"])
      client.invalidateQueries({ queryKey: [key, code] });
  };
  const verdict = useMutation({
    mutationFn: (status: string) => api("POST", `${base}/verdict`, { status }),
    onSuccess: refresh,
  });
  if (!me.permissions.includes("repository.write")) return null;
  const open = review.status === "open";
  const mineAsReviewer = review.reviewers.find((r) => mine !== null && r.author_uuid === mine);
  const target =
    review.type === "create" || review.case_id === null ? "a new case" : caseKey(code, review.case_id);
  const closed = () => {
    setPending(null);
    refresh();
  };
  const confirmations: Record<Pending, Confirmation> = {
    merge: {
      confirmLabel: "Merge",
      color: "green",
      action: () => api("POST", `${base}/merge`),
      onDone: closed,
      words: (
        <>
          {review.type === "create"
            ? "Merging creates the proposed case in the repository."
            : `Merging applies the proposed changes to ${target} as a new version of the case.`}{" "}
          The review is then closed for good.
        </>
      ),
    },
    decline: {
      confirmLabel: "Decline",
      color: "red",
      action: () => api("POST", `${base}/decline`),
      onDone: closed,
      words: `Declining closes the review and leaves ${target === "a new case" ? "the repository" : target} as it is. A declined review cannot be reopened.`,
    },
    delete: {
      confirmLabel: "Delete",
      color: "red",
      action: () => api("DELETE", base),
      onDone: () => {
        client.removeQueries({ queryKey: ["review", code, review.id] });
        client.invalidateQueries({ queryKey: ["reviews", code] });
        navigate(reviewsPath(code));
      },
      words: "The review and its proposal are removed. The case is not changed.",
    },
  };
  const confirm = pending === null ? null : confirmations[pending];

  return (
    <Stack gap="xs">
      {verdict.error && <ApiErrorAlert error={verdict.error} title="Your verdict was not saved" />}
      <Group gap="xs" role="group" aria-label="Review actions">
        {open &&
          mineAsReviewer &&
          VERDICT_BUTTONS.map((b) => {
            const given = mineAsReviewer.status === b.status;
            return (
              <Button
                key={b.status}
                color={b.color}
                variant={given ? "filled" : "light"}
                aria-pressed={given}
                disabled={verdict.isPending}
                onClick={() => verdict.mutate(given ? "unapproved" : b.status)}
              >
                {b.label}
              </Button>
            );
          })}
        {open && (
          <>
            <Button onClick={() => setPending("merge")}>Merge</Button>
            <Button variant="default" component={Link} to={`${reviewPath(code, review.id)}/edit`}>
              Edit proposal
            </Button>
            <Button variant="default" color="red" onClick={() => setPending("decline")}>
              Decline
            </Button>
          </>
        )}
        {review.status !== "merged" && (
          <Button variant="subtle" color="red" onClick={() => setPending("delete")}>
            Delete review
          </Button>
        )}
      </Group>
      {mineAsReviewer && open && (
        <Text size="xs" c="dimmed">
          Press your verdict again to withdraw it.
        </Text>
      )}
      {confirm && (
        <ConfirmModal
          // Each call gets a fresh dialog, without an earlier call's error.
          key={pending}
          title={`${confirm.confirmLabel} review ${review.id}?`}
          confirmLabel={confirm.confirmLabel}
          color={confirm.color}
          errorView={(error) => <ApiErrorAlert error={error} />}
          action={confirm.action}
          onClose={() => setPending(null)}
          onDone={confirm.onDone}
        >
          {confirm.words}
        </ConfirmModal>
      )}
    </Stack>
  );
}
