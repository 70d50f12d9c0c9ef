import { Alert, Button, Group, List, Modal, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { ApiError, api, type Me } from "../api";
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
    <Alert color="red" title={title} role="alert">
      {error.message}
      {fields.length > 0 && (
        <List size="sm" mt="xs">
          {fields.map((f) => (
            <List.Item key={f.field}>
              {f.field}: {f.error}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/** "Are you sure?" for one review call; stays open with the API's words when it fails. */
function ConfirmAction({
  title,
  children,
  confirmLabel,
  color,
  action,
  onClose,
  onDone,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  color: string;
  action(): Promise<unknown>;
  onClose(): void;
  onDone(): void;
}) {
  const run = useMutation({ mutationFn: action, onSuccess: onDone });
  return (
    <Modal opened onClose={onClose} title={title}>
      <Stack>
        {run.error && <ApiErrorAlert error={run.error} />}
        <Text size="sm" component="div">
          {children}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={color} loading={run.isPending} onClick={() => run.mutate()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

type Pending = "merge" | "decline" | "delete" | null;

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
  const [pending, setPending] = useState<Pending>(null);
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

  return (
    <Stack gap="xs">
      {verdict.error && <ApiErrorAlert error={verdict.error} title="Your verdict was not saved" />}
      <Group gap="xs" role="group" aria-label="Review actions">
        {open && mineAsReviewer && (
          <>
            <Button
              color="green"
              variant={mineAsReviewer.status === "approved" ? "filled" : "light"}
              aria-pressed={mineAsReviewer.status === "approved"}
              disabled={verdict.isPending}
              onClick={() => verdict.mutate(mineAsReviewer.status === "approved" ? "unapproved" : "approved")}
            >
              Approve
            </Button>
            <Button
              color="orange"
              variant={mineAsReviewer.status === "changes_requested" ? "filled" : "light"}
              aria-pressed={mineAsReviewer.status === "changes_requested"}
              disabled={verdict.isPending}
              onClick={() =>
                verdict.mutate(
                  mineAsReviewer.status === "changes_requested" ? "unapproved" : "changes_requested",
                )
              }
            >
              Request changes
            </Button>
          </>
        )}
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
      {pending === "merge" && (
        <ConfirmAction
          title={`Merge review ${review.id}?`}
          confirmLabel="Merge"
          color="green"
          action={() => api("POST", `${base}/merge`)}
          onClose={() => setPending(null)}
          onDone={() => {
            setPending(null);
            refresh();
          }}
        >
          {review.type === "create"
            ? "Merging creates the proposed case in the repository."
            : `Merging applies the proposed changes to ${target} as a new version of the case.`}{" "}
          The review is then closed for good.
        </ConfirmAction>
      )}
      {pending === "decline" && (
        <ConfirmAction
          title={`Decline review ${review.id}?`}
          confirmLabel="Decline"
          color="red"
          action={() => api("POST", `${base}/decline`)}
          onClose={() => setPending(null)}
          onDone={() => {
            setPending(null);
            refresh();
          }}
        >
          Declining closes the review and leaves {target === "a new case" ? "the repository" : target} as it
          is. A declined review cannot be reopened.
        </ConfirmAction>
      )}
      {pending === "delete" && (
        <ConfirmAction
          title={`Delete review ${review.id}?`}
          confirmLabel="Delete"
          color="red"
          action={() => api("DELETE", base)}
          onClose={() => setPending(null)}
          onDone={() => {
            client.removeQueries({ queryKey: ["review", code, review.id] });
            client.invalidateQueries({ queryKey: ["reviews", code] });
            navigate(reviewsPath(code));
          }}
        >
          The review and its proposal are removed. The case is not changed.
        </ConfirmAction>
      )}
    </Stack>
  );
}
