import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../context.js";
import { publicBase } from "./base-url.js";

/**
 * Serves a GET answer from the response cache, or builds, serialises (with the route's own response
 * schema, so the bytes are those an uncached answer would have) and keeps it until the database next
 * changes (ctx.responses: SQLite only, emptied by any committed write; PostgreSQL keeps nothing).
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
  const kept = ctx.responses.peek<string>(key);
  if (kept !== undefined) return send(reply, kept);
  return ctx.responses
    .get(key, async () => reply.serialize(await build()) as string)
    .then((body) => send(reply, body));
}

/** A string with a JSON type is sent as it is: no second serialisation. */
function send(reply: FastifyReply, body: string) {
  reply.type("application/json; charset=utf-8").send(body);
}
