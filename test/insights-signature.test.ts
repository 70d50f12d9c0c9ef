import { describe, expect, it } from "vitest";
import { errorSignature, normaliseError, stackParts } from "../src/features/insights/error-signature.js";
import { titleKind } from "../src/features/insights/run-compare.service.js";

const jsStack = (line: number, file = "login.spec.ts", type = "AssertionError", msg = "expected 200") =>
  [
    `${type}: ${msg}`,
    `    at checkStatus (/home/ci/build-${line}/tests/${file}:${line}:13)`,
    `    at Context.<anonymous> (/home/ci/build-${line}/tests/${file}:${line + 40}:5)`,
    `    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`,
    `    at run (/home/ci/node_modules/mocha/lib/runner.js:${line * 3}:7)`,
  ].join("\n");

const same = (a: [string | null, string | null], b: [string | null, string | null]) =>
  expect(errorSignature(...a).signature).toBe(errorSignature(...b).signature);
const differ = (a: [string | null, string | null], b: [string | null, string | null]) =>
  expect(errorSignature(...a).signature).not.toBe(errorSignature(...b).signature);

describe("normaliseError", () => {
  it.each([
    ["order 12345 failed after 5003ms", "order <n> failed after <duration>"],
    ["timeout of 2.5 s exceeded", "timeout of <duration> exceeded"],
    ["user 1f0e6c1a-9b2d-4c3e-8f7a-0123456789ab missing", "user <uuid> missing"],
    ["at 2026-12-07T14:58:05.123Z and 2026-12-07", "at <time> and <time>"],
    ["logged at 14:58:05.120", "logged at <time>"],
    ["cannot open /tmp/run-83/cache/x.json: ENOENT", "cannot open <tmp>: ENOENT"],
    ["cannot open /var/folders/xy/T/abc.png", "cannot open <tmp>"],
    ["cannot open C:\\Users\\bob\\AppData\\Local\\Temp\\vitest-3\\a.txt now", "cannot open <tmp> now"],
    [`expected "alpha" to equal 'beta'`, "expected <str> to equal <str>"],
    ["can't find 'x' here", "can't find <str> here"],
    ["object 0x7ffd3a2b at commit 9f8e7d6c5b4a", "object <hex> at commit <hex>"],
    ["session a8f3k2x9 expired", "session <id> expired"],
    ["  several\n\tlines  ", "several lines"],
  ])("%s", (input, out) => {
    expect(normaliseError(input)).toBe(out);
  });

  it("keeps words with a number in them comparable", () => {
    expect(normaliseError("step2 failed")).toBe(normaliseError("step31 failed"));
    expect(normaliseError("tr-4 failed")).toBe(normaliseError("tr-40000000 failed"));
  });
});

describe("stackParts", () => {
  it("takes the exception line and the top 3 frames of a JS stack", () => {
    const p = stackParts(jsStack(10));
    expect(p.header).toBe("AssertionError: expected 200");
    expect(p.frames).toHaveLength(3);
    expect(p.frames[0]).toContain("checkStatus");
  });

  it("reads Python's innermost frames from the end", () => {
    const py = [
      "Traceback (most recent call last):",
      '  File "/src/app.py", line 10, in main',
      "    run()",
      '  File "/src/app.py", line 20, in run',
      "    check()",
      '  File "/src/check.py", line 5, in check',
      "    assert x == 1",
      "AssertionError: x is 2",
    ].join("\n");
    const p = stackParts(py);
    expect(p.header).toBe("AssertionError: x is 2");
    expect(p.frames[0]).toContain("check.py");
    expect(p.frames).toHaveLength(3);
  });
});

describe("errorSignature", () => {
  it("groups errors that differ only in numbers, paths, ids and times", () => {
    same(
      ["expected 200 but got 503 after 5003ms for /tmp/a1/x.json", jsStack(10)],
      ["expected 200 but got 500 after 61ms for /tmp/zz/y.json", jsStack(977)],
    );
    same(
      ["request 1f0e6c1a-9b2d-4c3e-8f7a-0123456789ab at 2026-01-02T03:04:05Z", null],
      ["request 00000000-1111-2222-3333-444444444444 at 2025-12-31T23:59:59+01:00", null],
    );
    same([`Expected "foo" got "bar"`, null], [`Expected "x" got "y"`, null]);
  });

  it("separates another assertion, another exception type or another place", () => {
    differ(["expected 200 but got 503", jsStack(10)], ["expected element to be visible", jsStack(10)]);
    differ([null, jsStack(10, "a.ts", "TypeError")], [null, jsStack(10, "a.ts", "ReferenceError")]);
    differ(["boom", jsStack(10, "login.spec.ts")], ["boom", jsStack(10, "cart.spec.ts")]);
  });

  it("ignores frames below the top 3", () => {
    const deep = (tail: string) => `${jsStack(1)}\n    at ${tail} (/x.js:1:1)`;
    same(["boom", deep("one")], ["boom", deep("two")]);
  });

  it("is a stable hex hash and falls back to the exception line for a message", () => {
    const s = errorSignature(null, jsStack(3, "a.ts", "TypeError", "x is undefined"));
    expect(s.signature).toMatch(/^[0-9a-f]{32}$/);
    expect(s.message).toBe("TypeError: x is undefined");
    expect(errorSignature(null, null).message).toBe("");
  });
});

describe("titleKind", () => {
  it.each([
    ["Nightly #123", "nightly"],
    ["nightly #122", "nightly"],
    ["PR 45 build 7", "pr build"],
    ["PR-46 build 8", "pr build"],
    ["Release v1.2.3 (2026-12-07)", "release v"],
    ["Smoke", "smoke"],
  ])("%s -> %s", (title, kind) => {
    expect(titleKind(title)).toBe(kind);
  });
});
