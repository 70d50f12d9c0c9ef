import { type FastifyReply, type FastifyRequest, LogController } from "fastify";

/**
 * Fastify's per-request lines ("incoming request", "request completed") at debug instead of info: two
 * lines a request, health probes included, drowned everything else at the default level. A request that
 * ended in an error is still logged at error level.
 */
export class DebugRequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, "incoming request");
  }

  override requestCompleted(
    error: Error | null | undefined,
    _request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error)
      reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime }, "request errored");
    else reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, "request completed");
  }
}
