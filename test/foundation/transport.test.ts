import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { startApp } from "../helpers/app.js";
import { dialects } from "../helpers/stores.js";

const tls = path.resolve("test/fixtures/tls");
const sqlite = dialects.find((d) => d.name === "sqlite");

function httpsGet(port: number, url: string, headers: Record<string, string>) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port,
        path: url,
        headers,
        ca: fs.readFileSync(path.join(tls, "localhost.crt")),
        servername: "localhost",
      },
      (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe.skipIf(!sqlite)("HTTPS and plain-HTTP refusal", () => {
  it("serves HTTPS with HSTS when VERDICT_TLS_CERT/KEY are set", async () => {
    if (!sqlite) return;
    const t = await startApp(sqlite, {
      env: {
        VERDICT_TLS_CERT: path.join(tls, "localhost.crt"),
        VERDICT_TLS_KEY: path.join(tls, "localhost.key"),
      },
    });
    try {
      const token = await t.token(await t.user("owner"));
      await t.app.listen({ port: 0, host: "127.0.0.1" });
      const addr = t.app.server.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      const res = await httpsGet(port, "/v1/project", { token });
      expect(res.status).toBe(200);
      expect(res.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
      const login = await t.app.inject({ method: "GET", url: "/healthz" });
      expect(login.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it("refuses plain HTTP API calls when required, believing X-Forwarded-Proto only from trusted proxies", async () => {
    if (!sqlite) return;
    const t = await startApp(sqlite, {
      env: { VERDICT_REQUIRE_HTTPS: "1", VERDICT_TRUSTED_PROXIES: "10.0.0.1" },
    });
    try {
      const token = await t.token(await t.user("owner"));
      const plain = await t.app.inject({ method: "GET", url: "/v1/project", headers: { token } });
      expect(plain.statusCode).toBe(403);
      expect(plain.json().errorMessage).toContain("HTTPS is required");
      expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
      const proxied = await t.app.inject({
        method: "GET",
        url: "/v1/project",
        headers: { token, "x-forwarded-proto": "https" },
        remoteAddress: "10.0.0.1",
      });
      expect(proxied.statusCode).toBe(200);
      expect(proxied.headers["strict-transport-security"]).toBeDefined();
      const spoofed = await t.app.inject({
        method: "GET",
        url: "/v1/project",
        headers: { token, "x-forwarded-proto": "https" },
        remoteAddress: "10.0.0.66",
      });
      expect(spoofed.statusCode).toBe(403);
    } finally {
      await t.close();
    }
  });
});

describe.skipIf(!sqlite)("operations", () => {
  it("publishes an OpenAPI 3 document generated from the route schemas", async () => {
    if (!sqlite) return;
    const t = await startApp(sqlite);
    try {
      const res = await t.app.inject({ method: "GET", url: "/openapi.json" });
      expect(res.statusCode).toBe(200);
      const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(["/v1/project", "/v1/project/{code}", "/v1/token"]),
      );
      expect(doc.paths["/v1/token"]?.post).toBeDefined();
    } finally {
      await t.close();
    }
  });

  it("never writes a token, an Authorization header or a cookie into the log", async () => {
    if (!sqlite) return;
    let text = "";
    const sink = new Writable({
      write(chunk, _enc, done) {
        text += String(chunk);
        done();
      },
    });
    const t = await startApp(sqlite, { logger: { level: "trace", stream: sink } });
    try {
      const token = await t.token(await t.user("owner"));
      // Log whole request headers once, as a careless plugin might: redaction must still hide secrets.
      t.app.log.info(
        { headers: { token, authorization: `Bearer ${token}`, cookie: "verdict_session=vds_secretcookie" } },
        "headers",
      );
      await t.app.inject({ method: "GET", url: "/v1/project", headers: { token } });
      await t.app.inject({
        method: "GET",
        url: "/v1/project",
        headers: { authorization: `Bearer ${token}` },
      });
      await t.app.inject({
        method: "GET",
        url: "/v1/project",
        headers: { cookie: "verdict_session=vds_secretcookie" },
      });
      expect(text).toContain("[redacted]");
      expect(text).not.toContain(token);
      expect(text).not.toContain("vds_secretcookie");
    } finally {
      await t.close();
    }
  });
});
