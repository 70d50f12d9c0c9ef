import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiClient, ApiFailure } from "../../src/cli/report/http.js";
import { fixture, verdict } from "./cli.js";

// The CLI tests spawn the command; CI shares two cores between all suites.
vi.setConfig({ testTimeout: 120_000 });

/** A stand-in server whose answers each test scripts: enough to watch the client's retry logic. */
type Answer = { status: number; headers?: Record<string, string>; body?: unknown; raw?: string } | "hang-up";
let script: Answer[] = [];
let fallback: Answer = { status: 200, body: { status: true } };
const seen: { method: string; url: string; body: string }[] = [];
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (d: Buffer) => {
    body += d.toString();
  });
  req.on("end", () => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", body });
    const answer = script.shift() ?? fallback;
    if (answer === "hang-up") {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(answer.raw ?? JSON.stringify(answer.body ?? { status: answer.status < 400 }));
  });
});
let base = "";

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function client(retries = 3) {
  const waits: number[] = [];
  const c = new ApiClient({
    server: base,
    token: "t",
    retry: { retries, baseDelayMs: 10, maxDelayMs: 120_000 },
    wait: async (ms) => {
      waits.push(ms);
    },
  });
  return { c, waits };
}

function reset(answers: Answer[], otherwise: Answer = { status: 200, body: { status: true } }) {
  script = answers;
  fallback = otherwise;
  seen.length = 0;
}

describe("the reporter's HTTP client", () => {
  it("waits as long as Retry-After says after a 429, then succeeds", async () => {
    reset([{ status: 429, headers: { "retry-after": "7" } }, { status: 503 }]);
    const { c, waits } = client();
    await expect(c.request("POST", "/v2/DEMO/run/1/results", { json: { results: [] } })).resolves.toEqual({
      status: true,
    });
    expect(seen).toHaveLength(3);
    expect(waits[0]).toBe(7000);
    expect(waits[1]).toBeGreaterThanOrEqual(20);
    expect(seen.every((s) => s.body === '{"results":[]}')).toBe(true);
  });

  it("retries 5xx and dropped connections, then gives up with the last reason", async () => {
    reset(["hang-up", { status: 502 }], {
      status: 503,
      body: { status: false, errorMessage: "maintenance" },
    });
    const { c, waits } = client(3);
    const err = await c.request("GET", "/v1/run/DEMO/1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect(err).toMatchObject({ status: 503 });
    expect((err as Error).message).toContain("maintenance");
    expect(seen).toHaveLength(4);
    expect(waits).toHaveLength(3);
  });

  it("never retries 401, 403, 404, 413 or 422, and keeps the server's error fields", async () => {
    for (const status of [401, 403, 404, 413, 422]) {
      reset([], {
        status,
        body: { status: false, errorMessage: "no", errorFields: [{ field: "title", error: "required" }] },
      });
      const err = await client()
        .c.request("POST", "/v1/run/DEMO", { json: {} })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ status, fields: [{ field: "title", error: "required" }] });
      expect(seen).toHaveLength(1);
    }
  });

  it("repeats a non-idempotent request only when the server surely did nothing", async () => {
    reset([{ status: 500 }]);
    const err = await client()
      .c.request("POST", "/v1/run/DEMO", { json: {}, idempotent: false })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 500 });
    expect(seen).toHaveLength(1);
    reset([{ status: 429, headers: { "retry-after": "0" } }]);
    await client().c.request("POST", "/v1/run/DEMO", { json: {}, idempotent: false });
    expect(seen).toHaveLength(2);
  });

  it("treats a refused connection as a network error to retry", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const waits: number[] = [];
    const c = new ApiClient({
      server: `http://127.0.0.1:${port}`,
      token: "t",
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 10 },
      wait: async (ms) => {
        waits.push(ms);
      },
    });
    const err = await c.request("GET", "/v1/run/DEMO/1").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: null });
    expect((err as Error).message).toContain("ECONNREFUSED");
    expect(waits).toHaveLength(2);
  });
});

describe("verdict report against a failing server", () => {
  const args = () => [
    "report",
    fixture("junit", "surefire.xml"),
    "--server",
    base,
    "--token",
    "t",
    "--project",
    "DEMO",
    "--retries",
    "2",
    "--retry-delay",
    "1",
  ];

  it("rides out a 429 and a 503 while sending, and completes the run it created", async () => {
    reset(
      [
        { status: 200, body: { status: true, result: { id: 9 } } },
        { status: 200, body: { status: true, result: [{ hash: "h1" }] } },
        { status: 429, headers: { "retry-after": "0" } },
        { status: 503 },
      ],
      { status: 200, body: { status: true } },
    );
    const res = await verdict([...args(), "--title", "nightly"]);
    expect(res.stderr).toContain("retrying POST /v2/DEMO/run/9/results");
    expect(res.code).toBe(0);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "POST /v1/run/DEMO",
      "POST /v1/attachment/DEMO",
      "POST /v2/DEMO/run/9/results",
      "POST /v2/DEMO/run/9/results",
      "POST /v2/DEMO/run/9/results",
      "POST /v1/run/DEMO/9/complete",
    ]);
    // The same batch, byte for byte, each time: the ids make the repeats harmless.
    expect(new Set(seen.slice(2, 5).map((s) => s.body)).size).toBe(1);
    expect(res.stdout).toContain(`run 9 (completed): ${base}/projects/DEMO/runs/9`);
  });

  it("exits 5 when the server keeps failing, without completing the run", async () => {
    reset([{ status: 200, body: { status: true, result: { id: 9 } } }], { status: 503 });
    const res = await verdict([...args(), "--title", "nightly", "--no-attachments"]);
    expect(res.code).toBe(5);
    expect(res.stderr).toContain("POST /v2/DEMO/run/9/results: HTTP 503");
    expect(seen.some((s) => s.url.endsWith("/complete"))).toBe(false);
  });

  it("exits 4 on 401 and 403, once, without retrying", async () => {
    reset([], { status: 401, body: { status: false, errorMessage: "Unauthorized" } });
    const res = await verdict([...args(), "--run-id", "3"]);
    expect(res.code).toBe(4);
    expect(seen).toHaveLength(1);
    reset([], { status: 403, body: { status: false, errorMessage: "Forbidden" } });
    expect((await verdict([...args(), "--run-id", "3"])).code).toBe(4);
  });

  it("exits 5, not retrying, when the address answers something other than the API", async () => {
    reset([], { status: 200, raw: "<html>Sign in to the proxy</html>" });
    const res = await verdict([...args(), "--run-id", "3"]);
    expect(res.code).toBe(5);
    expect(res.stderr).toContain("the answer is not JSON");
    expect(seen).toHaveLength(1);
  });

  it("exits 2 for a project or run the server does not know, and for bad flags", async () => {
    reset([], { status: 404, body: { status: false, errorMessage: "Run not found" } });
    const res = await verdict([...args(), "--run-id", "3", "--json"]);
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stdout)).toMatchObject({ ok: false, exitCode: 2 });
    expect((await verdict([...args(), "--no-such-flag"])).code).toBe(2);
    expect((await verdict([...args(), "--batch-size", "0"])).code).toBe(2);
  });
});
