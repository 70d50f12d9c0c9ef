import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../context.js";
import { publicBase } from "./base-url.js";

/**
 * Serves a GET answer from the response cache, or builds, serialises (with the route's own response
 * schema, so the bytes are those an uncached answer would have) and keeps it until the database next
 * changes (ctx.responses: emptied by any committed write, on PostgreSQL by any node's).
 *
 * Only for routes whose answer depends on nothing but the URL and the public base once the route's
 * permission and project access have passed: those checks run before the handler, on every request,
 * so everyone who reaches this point is entitled to the same bytes.
 */
export function cachedJson(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  build: () => Promise<unknown>,
): void | Promise<void> {
  const key = `${publicBase(ctx, req)} ${req.url}`;
  const kept = ctx.responses.peek<string | Buffer>(key);
  if (kept !== undefined) return send(reply, kept);
  return ctx.responses
    .get(key, async () => keptForm(reply.serialize(await build()) as string))
    .then((body) => send(reply, body));
}

/** Answers longer than this are kept as UTF-8 bytes, shorter ones as the string (see keptForm). */
const BYTES_FROM = 8192;

/**
 * A long answer is kept as UTF-8 bytes: a kept string is measured and encoded again on every request,
 * ~15 µs for a 100-case page, a fifth of a cached answer's whole cost. A short one stays a string: Node
 * writes a string body in one piece with the headers, bytes as a second buffer, and for a project's
 * ~1 KB that costs more than encoding it (project-get 0.67 -> 0.57 of the bare route as bytes).
 */
function keptForm(body: string): string | Buffer {
  return body.length > BYTES_FROM ? Buffer.from(body) : body;
}

function send(reply: FastifyReply, body: string | Buffer) {
  reply.type("application/json; charset=utf-8").send(body);
}
