import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Seen {
  method: string;
  url: string;
  status: number;
  at: number;
}

/**
 * What the proxy does with one request: forward it, answer instead of Verdict without forwarding,
 * or forward it and then answer something else (the reply is lost on the way back).
 */
export type Decision =
  | { kind: "forward" }
  | { kind: "answer"; status: number; headers?: Record<string, string> }
  | { kind: "forward-then-answer"; status: number; headers?: Record<string, string> };

export interface FaultyProxy {
  base: string;
  seen: Seen[];
  close(): Promise<void>;
}

/** A tiny HTTP proxy in front of Verdict whose `decide` picks, request by request, what to do. */
export async function startProxy(
  target: string,
  decide: (req: http.IncomingMessage) => Decision,
): Promise<FaultyProxy> {
  const seen: Seen[] = [];
  const to = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const d = decide(req);
      const record = (status: number) =>
        seen.push({ method: req.method ?? "", url: req.url ?? "", status, at: Date.now() });
      const answer = (status: number, headers: Record<string, string> = {}) => {
        record(status);
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify({ status: false, errorMessage: "Too many requests", errorFields: [] }));
      };
      if (d.kind === "answer") return answer(d.status, d.headers);
      const upstream = http.request(
        {
          host: to.hostname,
          port: to.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: to.host },
        },
        (up) => {
          if (d.kind === "forward-then-answer") {
            up.resume();
            up.on("end", () => answer(d.status, d.headers));
            return;
          }
          record(up.statusCode ?? 0);
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on("error", () => answer(502));
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
