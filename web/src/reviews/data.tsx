import { Anchor, Badge, Breadcrumbs } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { api, type Me, type Page } from "../api";
import { ProjectTabs } from "../repository/ProjectTabs";
import type { Author, ReviewDetailed } from "./types";

const AUTHOR_PAGE = 100;

/** Every author of the workspace, read page by page (workspaces are small); reviews name people by UUID. */
export function useAuthors() {
  return useQuery({
    queryKey: ["authors"],
    queryFn: async () => {
      const all: Author[] = [];
      for (let offset = 0; ; offset += AUTHOR_PAGE) {
        const page = await api<Page<Author>>(
          "GET",
          `/v1/author?type=user&limit=${AUTHOR_PAGE}&offset=${offset}`,
        );
        all.push(...page.entities);
        if (page.count < AUTHOR_PAGE || all.length >= page.filtered) break;
      }
      return all;
    },
    staleTime: 5 * 60_000,
  });
}

/** UUID -> author, and the signed-in user's own UUID. */
export function useAuthorIndex(me: Me) {
  const authors = useAuthors();
  const byUuid = new Map((authors.data ?? []).map((a) => [a.uuid, a]));
  const mine = authors.data?.find((a) => a.entity_id === me.user.id)?.uuid ?? null;
  const nameOf = (uuid: string | null) =>
    uuid === null ? "unknown" : (byUuid.get(uuid)?.name ?? (authors.data ? "unknown user" : "…"));
  return { authors, byUuid, mine, nameOf };
}

export function reviewsPath(code: string): string {
  return `/projects/${encodeURIComponent(code)}/reviews`;
}

export function reviewPath(code: string, id: number): string {
  return `${reviewsPath(code)}/${id}`;
}

/** The project's tabs and the trail to a review page: project › Reviews › what `children` add. */
export function ReviewCrumbs({ code, children }: { code: string; children: ReactNode }) {
  return (
    <>
      <ProjectTabs code={code} active="reviews" />
      <Breadcrumbs separator="›">
        <Anchor component={Link} to={`/projects/${code}`}>
          {code}
        </Anchor>
        <Anchor component={Link} to={reviewsPath(code)}>
          Reviews
        </Anchor>
        {children}
      </Breadcrumbs>
    </>
  );
}

/** One review; `null` asks for none (a form proposing a new one). */
export function useReview(code: string, id: number | null) {
  return useQuery({
    queryKey: ["review", code, id],
    queryFn: () => api<ReviewDetailed>("GET", `/v1/review/${encodeURIComponent(code)}/${id}`),
    enabled: id !== null,
  });
}

const STATUS: Record<string, { label: string; color: string }> = {
  open: { label: "Open", color: "blue" },
  merged: { label: "Merged", color: "green" },
  declined: { label: "Declined", color: "gray" },
};

export function ReviewStatusBadge({ status }: { status: string }) {
  const s = STATUS[status] ?? { label: status, color: "gray" };
  return (
    <Badge color={s.color} variant="light" radius="sm" tt="none">
      {s.label}
    </Badge>
  );
}

const VERDICT: Record<string, { label: string; color: string }> = {
  unapproved: { label: "Not reviewed yet", color: "gray" },
  approved: { label: "Approved", color: "green" },
  changes_requested: { label: "Changes requested", color: "orange" },
};

export function verdictLabel(status: string): string {
  return VERDICT[status]?.label ?? status;
}

export function VerdictBadge({ status }: { status: string }) {
  const v = VERDICT[status] ?? { label: status, color: "gray" };
  return (
    <Badge color={v.color} variant={status === "unapproved" ? "outline" : "light"} radius="sm" tt="none">
      {v.label}
    </Badge>
  );
}

export function typeLabel(type: string): string {
  return type === "create" ? "New case" : "Change";
}
