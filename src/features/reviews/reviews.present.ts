import type { Static } from "@sinclair/typebox";
import { iso } from "../../db/time.js";
import { authorUuid } from "../authors/authors.service.js";
import type { Proposal } from "./reviews.proposal.js";
import type { ReviewerRow, ReviewRow } from "./reviews.repository.js";
import type { Review, ReviewDetailed } from "./reviews.schemas.js";

type ReviewOut = Static<typeof Review>;
type ReviewDetailedOut = Static<typeof ReviewDetailed>;
type ProposedOut = NonNullable<ReviewDetailedOut["proposed_case"]>;

export function presentReview(row: ReviewRow, reviewers: ReviewerRow[]): ReviewOut {
  return {
    id: Number(row.id),
    title: row.title,
    type: row.type,
    status: row.status,
    case_id: row.case_id === null ? null : Number(row.case_id),
    author_uuid: row.author_id === null ? null : authorUuid(Number(row.author_id)),
    reviewers: reviewers.map((r) => ({ author_uuid: authorUuid(Number(r.user_id)), status: r.status })),
    created_at: iso(Number(row.created_at)) ?? "",
    updated_at: iso(Number(row.updated_at)),
  };
}

/** Review.ProposedCase: parameters in the case read shape, custom fields as [{id, value}]. */
function presentProposal(p: Proposal): ProposedOut {
  const { parameters, custom_field, severity, priority, behavior, type, layer, status, ...rest } = p;
  const out: ProposedOut = { ...rest };
  const enums = { severity, priority, behavior, type, layer, status };
  for (const [key, v] of Object.entries(enums) as [keyof typeof enums, typeof severity][]) {
    if (v !== undefined) out[key] = typeof v === "number" ? v : null;
  }
  if (parameters !== undefined) {
    out.parameters = (parameters ?? []).map((x) =>
      "shared_id" in x
        ? { type: "shared" as const, shared_id: x.shared_id }
        : "items" in x
          ? { type: "group" as const, shared_id: null, items: x.items }
          : { type: "single" as const, shared_id: null, item: { title: x.title, values: x.values } },
    );
  }
  if (custom_field !== undefined) {
    out.custom_fields = Object.entries(custom_field).map(([id, value]) => ({ id: Number(id), value }));
  }
  return out;
}

export function presentReviewDetailed(row: ReviewRow, reviewers: ReviewerRow[]): ReviewDetailedOut {
  return {
    ...presentReview(row, reviewers),
    proposed_case: presentProposal(JSON.parse(row.proposal) as Proposal),
    closed_at: iso(row.closed_at === null ? null : Number(row.closed_at)),
    merged_case_version: row.merged_version === null ? null : Number(row.merged_version),
  };
}
