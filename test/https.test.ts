import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import { describe, expect, it } from "vitest";
import { startApp, type TestApp } from "./helpers/app.js";
import { dialects } from "./helpers/stores.js";

/** Test-only self-signed certificate for localhost and 127.0.0.1 (see test/fixtures/tls/README.md). */
const TLS_DIR = path.resolve("test/fixtures/tls");
const CERT = path.join(TLS_DIR, "localhost.crt");
const KEY = path.join(TLS_DIR, "localhost.key");
const dialect = dialects[0];

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  peerCommonName?: string;
}

/** One request over a real socket: https with the test certificate as the only trusted CA, or plain http. */
function request(
  scheme: "http" | "https",
  port: number,
  url: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = { host: "127.0.0.1", port, path: url, headers, agent: false };
    const onResponse = (res: http.IncomingMessage) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => {
        const peer = scheme === "https" ? (res.socket as TLSSocket).getPeerCertificate() : undefined;
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          ...(peer ? { peerCommonName: String(peer.subject.CN) } : {}),
        });
      });
    };
    const req =
      scheme === "https"
        ? https.request({ ...options, ca: fs.readFileSync(CERT), servername: "localhost" }, onResponse)
        : http.request(options, onResponse);
    req.on("error", reject);
    req.end();
  });
}

async function listen(t: TestApp): Promise<number> {
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  return (t.app.server.address() as AddressInfo).port;
}

function errorMessageOf(answer: Answer): string {
  expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  const body = JSON.parse(answer.body) as { status?: unknown; errorMessage?: unknown; errorFields?: unknown };
  expect(body.status).toBe(false);
  expect(Array.isArray(body.errorFields)).toBe(true);
  return String(body.errorMessage);
}

describe.skipIf(!dialect)("HTTPS", () => {
  it("serves the API over TLS with VERDICT_TLS_CERT/KEY, with Strict-Transport-Security on every answer", async () => {
    if (!dialect) return;
    const t = await startApp(dialect, {
      env: { VERDICT_TLS_CERT: CERT, VERDICT_TLS_KEY: KEY, VERDICT_REQUIRE_HTTPS: "1" },
    });
    try {
      const token = await t.token(await t.user("owner"));
      const port = await listen(t);

      const ok = await request("https", port, "/v1/project", { token });
      expect(ok.status).toBe(200);
      expect(ok.peerCommonName).toBe("localhost"); // verified against the fixture as the only CA
      expect(JSON.parse(ok.body)).toMatchObject({ status: true });
      expect(ok.headers["strict-transport-security"]).toMatch(/^max-age=\d{7,}/);

      const bearer = await request("https", port, "/v1/project", { authorization: `Bearer ${token}` });
      expect(bearer.status).toBe(200);

      for (const [url, status] of [
        ["/healthz", 200],
        ["/v1/project/NOPE", 401],
        ["/v1/no-such-endpoint", 404],
      ] as const) {
        const res = await request("https", port, url);
        expect(res.status, url).toBe(status);
        expect(res.headers["strict-transport-security"], url).toMatch(/^max-age=\d+/);
      }

      // The TLS port does not answer plain HTTP.
      const plain = await request("http", port, "/v1/project", { token }).then(
        (res) => res.status,
        () => "refused",
      );
      expect(plain).not.toBe(200);
    } finally {
      await t.close();
    }
  });

  it("refuses plain-HTTP API calls when VERDICT_REQUIRE_HTTPS=1, with a clear 403, but /healthz answers", async () => {
    if (!dialect) return;
    const t = await startApp(dialect, { env: { VERDICT_REQUIRE_HTTPS: "1" } });
    try {
      const token = await t.token(await t.user("owner"));
      const port = await listen(t);
      const refused = await request("http", port, "/v1/project", { token });
      expect(refused.status).toBe(403);
      expect(errorMessageOf(refused)).toMatch(/HTTPS is required/);
      expect(refused.headers["strict-transport-security"]).toBeUndefined();
      // Without trusted proxies the header is never believed, even from the loopback address.
      const forwarded = await request("http", port, "/v1/project", { token, "x-forwarded-proto": "https" });
      expect(forwarded.status).toBe(403);
      expect((await request("http", port, "/healthz")).status).toBe(200);
      expect((await request("http", port, "/readyz")).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it("believes X-Forwarded-Proto only from VERDICT_TRUSTED_PROXIES", async () => {
    if (!dialect) return;
    const t = await startApp(dialect, {
      env: { VERDICT_REQUIRE_HTTPS: "1", VERDICT_TRUSTED_PROXIES: "127.0.0.1, 10.20.0.0/16" },
    });
    try {
      const token = await t.token(await t.user("owner"));
      const port = await listen(t);

      const proxied = await request("http", port, "/v1/project", { token, "x-forwarded-proto": "https" });
      expect(proxied.status).toBe(200);
      expect(proxied.headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
      const proxiedPlain = await request("http", port, "/v1/project", { token, "x-forwarded-proto": "http" });
      expect(proxiedPlain.status).toBe(403);
      expect((await request("http", port, "/v1/project", { token })).status).toBe(403);

      const from = (remoteAddress: string) =>
        t.app.inject({
          method: "GET",
          url: "/v1/project",
          headers: { token, "x-forwarded-proto": "https" },
          remoteAddress,
        });
      expect((await from("10.20.3.4")).statusCode).toBe(200); // inside the trusted CIDR
      const spoofed = await from("10.21.3.4");
      expect(spoofed.statusCode).toBe(403);
      expect(spoofed.json()).toMatchObject({ status: false, errorMessage: expect.stringMatching(/HTTPS/) });
    } finally {
      await t.close();
    }
  });
});
