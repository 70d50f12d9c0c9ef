import { describe, expect, it } from "vitest";
import { QqlError } from "../src/features/search/qql.errors.js";
import type { Value } from "../src/features/search/qql.parser.js";
import { dateSpanOf } from "../src/features/search/qql.values.js";

// Wednesday 2026-12-02 15:30:00 UTC.
const env = { userId: 1, now: Date.UTC(2026, 11, 2, 15, 30) };
const call = (name: string, offset?: string): Value => ({
  kind: "call",
  name,
  pos: 0,
  args: offset === undefined ? [] : [{ kind: "string", value: offset, pos: 0 }],
});
const at = (v: Value) => new Date(dateSpanOf(v, env, "created").from).toISOString();

describe("QQL date functions", () => {
  it("truncates to the start of the day, ISO week (Monday), month and year, in UTC", () => {
    expect(at(call("startOfDay"))).toBe("2026-12-02T00:00:00.000Z");
    expect(at(call("startOfWeek"))).toBe("2026-11-30T00:00:00.000Z");
    expect(at(call("STARTOFMONTH"))).toBe("2026-12-01T00:00:00.000Z");
    expect(at(call("startOfYear"))).toBe("2026-01-01T00:00:00.000Z");
  });

  it("moves by the offset first, then truncates: the previous week, the next month", () => {
    expect(at(call("startOfWeek", "-1w"))).toBe("2026-11-23T00:00:00.000Z");
    expect(at(call("startOfMonth", "+1m"))).toBe("2027-01-01T00:00:00.000Z");
    expect(at(call("startOfDay", "-2d"))).toBe("2026-11-30T00:00:00.000Z");
    expect(at(call("now", "-1h"))).toBe("2026-12-02T14:30:00.000Z");
    // A Sunday belongs to the week that started the Monday before.
    const sunday = { ...env, now: Date.UTC(2026, 11, 6, 23, 59) };
    expect(new Date(dateSpanOf(call("startOfWeek"), sunday, "created").from).toISOString()).toBe(
      "2026-11-30T00:00:00.000Z",
    );
  });

  it("refuses unknown functions and bad offsets with the position and the functions it knows", () => {
    expect(() => dateSpanOf(call("endOfWeek"), env, "created")).toThrow(QqlError);
    expect(() => dateSpanOf(call("endOfWeek"), env, "created")).toThrow(/startOfWeek\(\)/);
    expect(() => dateSpanOf(call("startOfWeek", "-1q"), env, "created")).toThrow(/offset/);
    const numberArg: Value = {
      kind: "call",
      name: "startOfDay",
      pos: 3,
      args: [{ kind: "number", value: 1, pos: 14 }],
    };
    expect(() => dateSpanOf(numberArg, env, "created")).toThrow(/quoted offset/);
  });
});
