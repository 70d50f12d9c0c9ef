import type { FastifyRequest } from "fastify";
import type { AppContext } from "../context.js";

/** Where clients reach this server: VERDICT_PUBLIC_URL when set, else the request's own origin. */
export function publicBase(ctx: AppContext, req: FastifyRequest): string {
  return ctx.config.publicUrl?.replace(/\/+$/, "") ?? `${req.protocol}://${req.host}`;
}
