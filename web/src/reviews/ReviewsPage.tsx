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
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { api, type Me, type Page } from "../api";
import { ProjectHeader } from "../manage/ProjectHeader";
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
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [mineOnly, setMineOnly] = useState(false);
  const [page, setPage] = useState(1);
  const people = useAuthorIndex(me);
  const canWrite = me.permissions.includes("repository.write");
  const reviews = useQuery({
    queryKey: ["reviews", code, status, debounced, mineOnly ? people.mine : null, page],
    queryFn: () => {
      const q = new URLSearchParams({ limit: String(PER_PAGE), offset: String((page - 1) * PER_PAGE) });
      if (status !== "all") q.set("status", status);
      if (debounced) q.set("search", debounced);
      if (mineOnly && people.mine) q.set("reviewer_uuid", people.mine);
      return api<Page<Review>>("GET", `/v1/review/${encodeURIComponent(code)}?${q}`);
    },
    placeholderData: keepPreviousData,
    enabled: !mineOnly || people.mine !== null,
  });
  const pages = reviews.data ? Math.ceil(reviews.data.filtered / PER_PAGE) : 0;
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
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            setPage(1);
          }}
        />
        <SegmentedControl
          aria-label="Review status"
          data={FILTERS}
          value={status}
          onChange={(v) => {
            setParams(v === "open" ? {} : { status: v }, { replace: true });
            setPage(1);
          }}
        />
        {people.mine && (
          <Checkbox
            label="Only reviews assigned to me"
            checked={mineOnly}
            onChange={(e) => {
              setMineOnly(e.currentTarget.checked);
              setPage(1);
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
      {pages > 1 && <Pagination aria-label="Review pages" total={pages} value={page} onChange={setPage} />}
    </Stack>
  );
}
