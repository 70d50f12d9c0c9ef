import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Pagination,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from "@mantine/core";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import type { Me } from "../api";
import { ProjectHeader } from "../manage/ProjectHeader";
import { usePagedSearch } from "../manage/usePagedSearch";
import { caseKey, formatTime } from "../repository/data";
import { ReviewStatusBadge, reviewPath, reviewsPath, useAuthorIndex, verdictLabel } from "./data";
import { REVIEW_STATUSES, type Review } from "./types";

const PER_PAGE = 20;
const FILTERS = [
  { value: "open", label: "Open" },
  { value: "merged", label: "Merged" },
  { value: "declined", label: "Declined" },
  { value: "all", label: "All" },
];

/**
 * A project's case reviews (Qase's "Test case reviews"): proposed new cases and proposed changes to
 * cases, open ones first by default, with who proposed them and each reviewer's verdict.
 */
export function ReviewsPage({ me }: { me: Me }) {
  const code = useParams().code ?? "";
  const [params, setParams] = useSearchParams();
  const asked = params.get("status") ?? "open";
  const status = asked === "all" || (REVIEW_STATUSES as readonly string[]).includes(asked) ? asked : "open";
  const [mineOnly, setMineOnly] = useState(false);
  const people = useAuthorIndex(me);
  const canWrite = me.permissions.includes("repository.write");
  const mine = mineOnly ? people.mine : null;
  const list = usePagedSearch<Review>({
    queryKey: ["reviews", code, status, mine],
    path: `/v1/review/${encodeURIComponent(code)}`,
    params: { status: status === "all" ? undefined : status, reviewer_uuid: mine ?? undefined },
    perPage: PER_PAGE,
    enabled: !mineOnly || people.mine !== null,
  });
  const reviews = list.query;
  const pages = list.pages;
  const error = reviews.error ?? people.authors.error;

  return (
    <Stack>
      <ProjectHeader
        code={code}
        active="reviews"
        actions={
          canWrite && (
            <Button component={Link} to={`${reviewsPath(code)}/new`}>
              Propose a change
            </Button>
          )
        }
      />
      {error && <Alert color="red">{error.message}</Alert>}
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Search reviews"
          placeholder="Words in the title"
          value={list.search}
          onChange={(e) => list.setSearch(e.currentTarget.value)}
        />
        <SegmentedControl
          aria-label="Review status"
          data={FILTERS}
          value={status}
          onChange={(v) => {
            setParams(v === "open" ? {} : { status: v }, { replace: true });
            list.firstPage();
          }}
        />
        {people.mine && (
          <Checkbox
            label="Only reviews assigned to me"
            checked={mineOnly}
            onChange={(e) => {
              setMineOnly(e.currentTarget.checked);
              list.firstPage();
            }}
            mb={8}
          />
        )}
      </Group>
      {reviews.data && reviews.data.count === 0 && (
        <Text c="dimmed">{reviews.data.total === 0 ? "No reviews yet." : "No reviews match."}</Text>
      )}
      {reviews.data && reviews.data.count > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table striped highlightOnHover aria-label="Reviews">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>ID</Table.Th>
                <Table.Th>Title</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Proposes</Table.Th>
                <Table.Th>Author</Table.Th>
                <Table.Th>Reviewers</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reviews.data.entities.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.id}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={reviewPath(code, r.id)}>
                      {r.title || `Review ${r.id}`}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <ReviewStatusBadge status={r.status} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>
                    {r.type === "create" || r.case_id === null
                      ? "New case"
                      : `Change to ${caseKey(code, r.case_id)}`}
                  </Table.Td>
                  <Table.Td>{people.nameOf(r.author_uuid)}</Table.Td>
                  <Table.Td>
                    {r.reviewers.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        None
                      </Text>
                    ) : (
                      <Stack gap={0}>
                        {r.reviewers.map((x) => (
                          <Text size="sm" key={x.author_uuid}>
                            {people.nameOf(x.author_uuid)}: {verdictLabel(x.status).toLowerCase()}
                          </Text>
                        ))}
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{formatTime(r.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && (
        <Pagination aria-label="Review pages" total={pages} value={list.page} onChange={list.setPage} />
      )}
    </Stack>
  );
}
