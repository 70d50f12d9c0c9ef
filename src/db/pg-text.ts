import type { PostgresPool } from "kysely";
import { interceptQueries } from "./pg-pool.js";

declare global {
  // Node >= 20 has both (ES2024); the project's lib is ES2023.
  interface String {
    isWellFormed(): boolean;
    toWellFormed(): string;
  }
}

/**
 * Text as both databases can store it, the same on each.
 *
 * - A lone UTF-16 surrogate (a test's output cut in the middle of an emoji, sent as `"x\ud83d"`) is
 *   replaced by U+FFFD, the replacement character. PostgreSQL's json refuses its escape ("invalid input
 *   syntax for type json", the whole batch lost), pg writes it to text as U+FFFD, and better-sqlite3
 *   writes it as bytes that are not UTF-8 and read back as three U+FFFD. Inside a JSON text (steps,
 *   params, a bulk insert's rows) it is an escape: those are replaced by `\ufffd`.
 * - PostgreSQL only: text cannot hold U+0000, a parameter carrying one fails its whole statement
 *   ("invalid byte sequence for encoding UTF8: 0x00"), so NULs become U+FFFD too. SQLite keeps them.
 */
export function storableText(s: string, nul: boolean): string {
  let out = s.isWellFormed() ? s : s.toWellFormed();
  // `\u` is rare in text (JSON texts with escapes, a written-out escape): the closer look waits for it.
  if (out.includes("\\u") && SURROGATE_ESCAPE.test(out)) out = withoutLoneEscapes(out);
  if (nul && out.includes("\0")) out = out.replaceAll("\0", "\ufffd");
  return out;
}

/** A surrogate's escape, high or low, as JSON writes it. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/**
 * A JSON object or array whose lone surrogate escapes are `\ufffd`. Any other text is kept as it is: a
 * written-out `\ud83d` in a stack trace is text, not an escape.
 */
function withoutLoneEscapes(text: string): string {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[") return text;
  try {
    JSON.parse(text);
  } catch {
    return text;
  }
  // Valid JSON: a backslash only occurs inside a string, and starts an escape (`\u` has 4 hex digits).
  const unit = (at: number) =>
    text.startsWith("\\u", at) ? Number.parseInt(text.slice(at + 2, at + 6), 16) : -1;
  let out = "";
  let from = 0;
  for (let i = text.indexOf("\\"); i !== -1; i = text.indexOf("\\", i)) {
    const u = unit(i);
    if (u < 0) {
      i += 2;
      continue;
    }
    const high = u >= 0xd800 && u <= 0xdbff;
    const low = u >= 0xdc00 && u <= 0xdfff;
    const next = high ? unit(i + 6) : -1;
    if (high && next >= 0xdc00 && next <= 0xdfff) {
      i += 12;
      continue;
    }
    if (high || low) {
      out += `${text.slice(from, i)}\\ufffd`;
      from = i + 6;
    }
    i += 6;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** `value` with its strings (and an array's strings) storable; the same value when nothing changes. */
export function storableValue(value: unknown, nul: boolean): unknown {
  if (typeof value === "string") return storableText(value, nul);
  if (Array.isArray(value) && value.some((v) => typeof v === "string" && storableText(v, nul) !== v))
    return value.map((v) => storableValue(v, nul));
  return value;
}

/** Statement parameters with storable text; the same array when nothing changes (the usual case). */
export function storableParams(params: readonly unknown[], nul: boolean): readonly unknown[] {
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (storableValue(v, nul) !== v) return params.map((p) => storableValue(p, nul));
  }
  return params;
}

/** PostgreSQL's form of storableValue (NULs replaced too), for JSON texts built from rows. */
export function withoutNul(value: unknown): unknown {
  return storableValue(value, true);
}

/** The pool Kysely queries through, its clients' parameters made storable (storableText). */
export function nulSafePool(pool: PostgresPool): PostgresPool {
  return interceptQueries(pool, (run, sql, parameters) => run(sql, storableParams(parameters, true)));
}
