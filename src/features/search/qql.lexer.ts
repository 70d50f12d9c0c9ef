import { QqlError } from "./qql.errors.js";

/** QQL tokens; `pos` is the 1-based character position in the query, used in every error message. */
export type Token =
  | { kind: "string"; value: string; pos: number }
  | { kind: "number"; value: number; text: string; pos: number }
  | { kind: "ident"; value: string; pos: number }
  | { kind: "op"; value: Operator; pos: number }
  | { kind: "punct"; value: "(" | ")" | "[" | "]" | ","; pos: number }
  | { kind: "end"; pos: number };

export const OPERATORS = ["=", "!=", ">", ">=", "<", "<=", "~", "!~"] as const;
export type Operator = (typeof OPERATORS)[number];

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_.]/;
const DIGIT = /[0-9]/;

/** What a token looks like in an error message. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case "end":
      return "the end of the query";
    case "string":
      return `the string "${t.value}"`;
    case "number":
      return `the number ${t.text}`;
    default:
      return `"${t.value}"`;
  }
}

function readString(query: string, start: number): { value: string; end: number } {
  const quote = query[start];
  let value = "";
  let i = start + 1;
  while (i < query.length) {
    const c = query[i];
    if (c === "\\" && i + 1 < query.length) {
      value += query[i + 1];
      i += 2;
      continue;
    }
    if (c === quote) return { value, end: i + 1 };
    value += c;
    i++;
  }
  throw new QqlError(start + 1, `the string starting here is not closed with ${quote}`);
}

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i] ?? "";
    const pos = i + 1;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const s = readString(query, i);
      tokens.push({ kind: "string", value: s.value, pos });
      i = s.end;
      continue;
    }
    const next = query[i + 1] ?? "";
    if (DIGIT.test(c) || (c === "-" && DIGIT.test(next))) {
      let j = i + 1;
      while (j < query.length && /[0-9.]/.test(query[j] ?? "")) j++;
      const text = query.slice(i, j);
      if (!/^-?\d+(\.\d+)?$/.test(text)) throw new QqlError(pos, `"${text}" is not a number`);
      tokens.push({ kind: "number", value: Number(text), text, pos });
      i = j;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < query.length && IDENT_PART.test(query[j] ?? "")) j++;
      tokens.push({ kind: "ident", value: query.slice(i, j), pos });
      i = j;
      continue;
    }
    const two = query.slice(i, i + 2);
    if (two === "!=" || two === ">=" || two === "<=" || two === "!~") {
      tokens.push({ kind: "op", value: two, pos });
      i += 2;
      continue;
    }
    if (c === "=" || c === ">" || c === "<" || c === "~") {
      tokens.push({ kind: "op", value: c, pos });
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === "[" || c === "]" || c === ",") {
      tokens.push({ kind: "punct", value: c, pos });
      i++;
      continue;
    }
    throw new QqlError(pos, `unexpected character "${c}"`);
  }
  tokens.push({ kind: "end", pos: query.length + 1 });
  return tokens;
}
