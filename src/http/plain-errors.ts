import type { ErrorField } from "./errors.js";

/** One issue of ajv's, as Fastify hands them over: what was checked, where, and against what. */
export interface AjvIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  integer: "a whole number",
  number: "a number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  null: "empty (null)",
};

const FORMAT_WORDS: Record<string, string> = {
  email: "an email address",
  uri: "a full URL (https://…)",
  url: "a full URL (https://…)",
  "date-time": "a date and time (2026-12-31T23:59:00Z)",
  date: "a date (2026-12-31)",
  uuid: "a UUID",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The sentence a person reads beside the field, instead of ajv's wording ("must NOT have fewer than 1
 * characters"). Keywords without a sentence of their own keep ajv's message, which is still accurate.
 */
export function plainSentence(issue: AjvIssue): string {
  const p = issue.params ?? {};
  const limit = typeof p.limit === "number" ? p.limit : 0;
  switch (issue.keyword) {
    case "required":
      return "is required";
    case "additionalProperties":
      return "is not a known field";
    case "minLength":
      return limit <= 1 ? "cannot be empty" : `must be at least ${plural(limit, "character")} long`;
    case "maxLength":
      return `must be at most ${plural(limit, "character")} long`;
    case "minItems":
      return limit <= 1
        ? "needs at least one entry"
        : `needs at least ${plural(limit, "entry")}`.replace("entrys", "entries");
    case "maxItems":
      return `can hold at most ${plural(limit, "entry", "entries")}`;
    case "minimum":
      return `must be ${limit} or more`;
    case "maximum":
      return `must be ${limit} or less`;
    case "exclusiveMinimum":
      return `must be more than ${limit}`;
    case "exclusiveMaximum":
      return `must be less than ${limit}`;
    case "type": {
      const wanted = String(p.type ?? "")
        .split(",")
        .map((t) => TYPE_WORDS[t] ?? t);
      return `must be ${wanted.join(" or ")}`;
    }
    case "enum": {
      const allowed = Array.isArray(p.allowedValues) ? p.allowedValues.map(String) : [];
      return allowed.length > 0
        ? `must be one of: ${allowed.join(", ")}`
        : "is not one of the allowed values";
    }
    case "const":
      return `must be ${String(p.allowedValue)}`;
    case "format":
      return `must be ${FORMAT_WORDS[String(p.format)] ?? `in the ${String(p.format)} format`}`;
    case "pattern":
      return "has characters or a shape this field does not take";
    case "anyOf":
    case "oneOf":
      return "is not in a shape this field takes";
    default:
      return issue.message ?? "is invalid";
  }
}

/**
 * The sentence for one field from all of ajv's issues about it. A union (TypeBox's anyOf) reports each
 * branch's failure, then its own: a limit broken within the right type says most ("at most 255
 * characters"); otherwise the literals or types the branches accept, together.
 */
export function fieldSentence(issues: AjvIssue[]): string {
  const union = issues.some((i) => i.keyword === "anyOf" || i.keyword === "oneOf");
  const [first] = issues;
  if (!union || !first) return first ? plainSentence(first) : "is invalid";
  const branches = issues.filter((i) => i.keyword !== "anyOf" && i.keyword !== "oneOf");
  const limit = branches.find((i) => i.keyword !== "type" && i.keyword !== "const");
  if (limit) return plainSentence(limit);
  const consts = branches.filter((i) => i.keyword === "const").map((i) => String(i.params?.allowedValue));
  if (consts.length > 0) return `must be one of: ${consts.join(", ")}`;
  const types = branches.map((i) => String(i.params?.type ?? "")).filter((t) => t !== "");
  if (types.length > 0) return plainSentence({ keyword: "type", params: { type: types.join(",") } });
  return plainSentence(first);
}

/** The error message over a list of field errors: the first one as a sentence, and how many more. */
export function fieldsSummary(fields: ErrorField[]): string {
  const [first, ...rest] = fields;
  if (!first) return "The request is invalid.";
  const more = rest.length > 0 ? ` (and ${plural(rest.length, "more field")} to fix)` : "";
  return `${first.field} ${first.error}${more}.`;
}
