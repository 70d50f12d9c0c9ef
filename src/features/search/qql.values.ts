import { QqlError } from "./qql.errors.js";
import type { Value } from "./qql.parser.js";

/** What the analyzer knows about the caller and the moment: currentUser() and now(). */
export interface Env {
  userId: number;
  now: number;
}

const DAY = 86_400_000;

function describeValue(v: Value): string {
  switch (v.kind) {
    case "string":
      return `"${v.value}"`;
    case "call":
      return `${v.name}()`;
    default:
      return String(v.value);
  }
}

function checkArgs(v: Extract<Value, { kind: "call" }>, max: number) {
  if (v.args.length > max) {
    throw new QqlError(v.pos, `${v.name}() takes ${max === 0 ? "no arguments" : `at most ${max} argument`}`);
  }
}

/** now("-7d"): d days, w weeks, m months, y years, h hours; a sign is optional (+ by default). */
function shift(at: number, offset: string, pos: number): number {
  const m = /^\s*([+-]?)\s*(\d{1,6})\s*([hdwmy])\s*$/i.exec(offset);
  if (!m)
    throw new QqlError(
      pos,
      `now() takes an offset such as "-7d", "+2w", "-1m" (h, d, w, m, y); got "${offset}"`,
    );
  const n = Number(m[2]) * (m[1] === "-" ? -1 : 1);
  const unit = (m[3] ?? "d").toLowerCase();
  if (unit === "h") return at + n * 3_600_000;
  if (unit === "d") return at + n * DAY;
  if (unit === "w") return at + n * 7 * DAY;
  const d = new Date(at);
  if (unit === "m") d.setUTCMonth(d.getUTCMonth() + n);
  else d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.getTime();
}

/** startOfDay(), startOfWeek() (Monday), startOfMonth(), startOfYear(): the unit each truncates to, in UTC. */
const STARTS: Record<string, "d" | "w" | "m" | "y"> = {
  startofday: "d",
  startofweek: "w",
  startofmonth: "m",
  startofyear: "y",
};

function startOf(unit: "d" | "w" | "m" | "y", at: number): number {
  const d = new Date(at);
  d.setUTCHours(0, 0, 0, 0);
  if (unit === "w") d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (unit === "m" || unit === "y") d.setUTCDate(1);
  if (unit === "y") d.setUTCMonth(0);
  return d.getTime();
}

/**
 * now("-7d") is that moment; startOfWeek("-1w") the start of the week that moment falls in (the
 * previous week), and so on for day, month and year.
 */
function momentOf(v: Extract<Value, { kind: "call" }>, env: Env): number {
  const name = v.name.toLowerCase();
  const unit = STARTS[name];
  if (name !== "now" && unit === undefined) {
    throw new QqlError(
      v.pos,
      `unknown function ${v.name}(); dates take now("-7d"), startOfDay(), startOfWeek(), startOfMonth(), startOfYear() or "YYYY-MM-DD"`,
    );
  }
  checkArgs(v, 1);
  const arg = v.args[0];
  if (arg !== undefined && arg.kind !== "string")
    throw new QqlError(arg.pos, `${v.name}() takes a quoted offset such as "-7d"`);
  const at = arg === undefined ? env.now : shift(env.now, arg.value, arg.pos);
  return unit === undefined ? at : startOf(unit, at);
}

/** A number literal, or currentUser() (the caller's user id). */
export function numberOf(v: Value, env: Env, field: string): number {
  if (v.kind === "number") return v.value;
  if (v.kind === "call" && v.name.toLowerCase() === "currentuser") {
    checkArgs(v, 0);
    return env.userId;
  }
  throw new QqlError(v.pos, `${field} takes a number, not ${describeValue(v)}`);
}

export function textOf(v: Value, field: string): string {
  if (v.kind === "string") return v.value;
  if (v.kind === "number") return String(v.value);
  throw new QqlError(v.pos, `${field} takes a quoted text value, not ${describeValue(v)}`);
}

export function boolOf(v: Value, field: string): boolean {
  if (v.kind === "bool") return v.value;
  if (v.kind === "number" && (v.value === 0 || v.value === 1)) return v.value === 1;
  throw new QqlError(v.pos, `${field} takes true or false, not ${describeValue(v)}`);
}

/**
 * A moment as a half-open span [from, to) in epoch ms: a calendar date covers its whole day (so
 * `created = "2025-01-31"` means that day); a date-time or now() is one instant.
 */
export function dateSpanOf(v: Value, env: Env, field: string): { from: number; to: number } {
  if (v.kind === "call") {
    const at = momentOf(v, env);
    return { from: at, to: at + 1 };
  }
  if (v.kind === "string") {
    const s = v.value.trim();
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (day) {
      const from = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
      if (!Number.isNaN(from) && new Date(from).toISOString().startsWith(s)) return { from, to: from + DAY };
    }
    const time = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s);
    if (time) {
      const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`;
      const at = Date.parse(withZone.replace(" ", "T"));
      if (!Number.isNaN(at)) return { from: at, to: at + 1 };
    }
  }
  throw new QqlError(
    v.pos,
    `${field} takes a date "YYYY-MM-DD", a date-time "YYYY-MM-DD HH:MM:SS" (UTC), now("-7d") or startOfWeek(), not ${describeValue(v)}`,
  );
}
