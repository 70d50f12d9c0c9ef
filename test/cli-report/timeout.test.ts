import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../src/cli/report/http.js";

describe("ApiClient timeout", () => {
  // A server that takes the request and never answers.
  const server = http.createServer(() => {});
  let base = "";
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("gives up on a silent server after timeoutMs and says it timed out", async () => {
    const client = new ApiClient({
      server: base,
      token: "t",
      timeoutMs: 200,
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(client.request("GET", "/v1/project")).rejects.toThrow(
      "GET /v1/project: the request timed out",
    );
  });
});
