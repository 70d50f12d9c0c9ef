import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import FindMyWay from "find-my-way";
import { unavailable } from "../db/unavailable.js";
import { ApiError, type ErrorField, errorBody } from "./errors.js";
import { type AjvIssue, fieldSentence, fieldsSummary } from "./plain-errors.js";
import type { RegisteredRoute } from "./security.js";

/** One errorFields entry per field, named as the client wrote it ("title", "results.3.status"). */
export function validationFields(issues: AjvIssue[], context: string | undefined): ErrorField[] {
  const byField = new Map<string, AjvIssue[]>();
  for (const issue of issues) {
    let field = (issue.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
    const missing = issue.params?.missingProperty;
    const extra = issue.params?.additionalProperty;
    if (typeof missing === "string") field = field ? `${field}.${missing}` : missing;
    if (typeof extra === "string") field = field ? `${field}.${extra}` : extra;
    if (!field) field = context ?? "body";
    byField.set(field, [...(byField.get(field) ?? []), issue]);
  }
  return [...byField].map(([field, about]) => ({ field, error: fieldSentence(about) }));
}

const FRAMEWORK_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, "Request body is larger than this server accepts"],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [400, "Unsupported Content-Type; send application/json"],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, "Malformed request: the JSON body is empty"],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, "Malformed request: the body is not valid JSON"],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, "Malformed request: Content-Length does not match the body"],
};

/**
 * PostgreSQL's codes for a transaction it rolled back so that another could go on (deadlock_detected,
 * serialization_failure): nothing of the request was stored, and the same request can simply be sent
 * again. A 503 with Retry-After says so; the reporters and `verdict report` retry it, even a create.
 */
const ROLLED_BACK_FOR_ANOTHER = new Set(["40P01", "40001"]);

/**
 * The database could not serve the request (db/unavailable.ts): its transaction did not commit, or, if
 * the connection was cut during COMMIT, may have; the API's writes that reporters retry are idempotent
 * (results carry client ids), so sending the same request again is safe.
 */
const UNAVAILABLE_MESSAGE = {
  away: "The database is not reachable right now (restarting or failing over). Retry the request.",
  busy: "The database is busy with another process's write. Retry the request.",
} as const;

/** The 4xx statuses of the Qase error table; any other client error is answered as 400. */
const CLIENT_STATUSES = new Set([400, 401, 403, 404, 405, 410, 413, 422, 429]);

/**
 * Fastify's frameworkErrors option: errors raised before routing (FST_ERR_BAD_URL for a malformed
 * percent-encoding, FST_ERR_MAX_PARAM_LENGTH), which would otherwise get Fastify's own JSON body.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const status = err.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return reply.code(400).send(errorBody(`Malformed request: ${err.message}`));
  }
  req.log.error({ err }, "framework error");
  return reply.code(500).send(errorBody(`Internal server error (request id ${req.id})`));
}

export function registerErrorHandling(app: FastifyInstance, routes: RegisteredRoute[]) {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiError) {
      reply.headers(err.headers);
      if (err.status >= 500) req.log.error({ err }, err.message);
      return reply.code(err.status).send(errorBody(err.message, err.fields));
    }
    if (err.validation) {
      const fields = validationFields(err.validation as AjvIssue[], err.validationContext);
      return reply.code(422).send(errorBody(fieldsSummary(fields), fields));
    }
    const known = err.code ? FRAMEWORK_CODES[err.code] : undefined;
    if (known) return reply.code(known[0]).send(errorBody(known[1]));
    if (ROLLED_BACK_FOR_ANOTHER.has(err.code)) {
      req.log.warn({ code: err.code }, "rolled back by the database for a conflicting write; asked to retry");
      return reply
        .code(503)
        .header("retry-after", "1")
        .send(
          errorBody(
            "The database rolled this request back for a conflicting write; nothing was stored. Retry it.",
          ),
        );
    }
    const away = unavailable(err);
    if (away) {
      req.log.warn({ code: err.code, message: err.message }, "database unavailable; asked to retry");
      return reply
        .code(503)
        .header("retry-after", away === "busy" ? "1" : "2")
        .send(errorBody(UNAVAILABLE_MESSAGE[away]));
    }
    if (err instanceof SyntaxError || err.statusCode === 400) {
      return reply.code(400).send(errorBody(`Malformed request: ${err.message}`));
    }
    // Client errors raised by Fastify or a plugin: keep a status of the Qase table, otherwise 400.
    const status = err.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.code(CLIENT_STATUSES.has(status) ? status : 400).send(errorBody(err.message));
    }
    req.log.error({ err }, "unhandled error");
    return reply.code(500).send(errorBody(`Internal server error (request id ${req.id})`));
  });

  // Built lazily from every registered route, to tell "wrong method" (405 + Allow) from "no such path".
  let router: FindMyWay.Instance<FindMyWay.HTTPVersion.V1> | null = null;
  app.setNotFoundHandler((req, reply) => {
    if (!router) {
      router = FindMyWay({ ignoreTrailingSlash: true });
      for (const r of routes) router.on(r.method as FindMyWay.HTTPMethod, r.url, () => {});
    }
    const path = req.url.split("?")[0] ?? "/";
    const allowed = [...new Set(routes.map((r) => r.method))].filter((m) =>
      router?.find(m as FindMyWay.HTTPMethod, path),
    );
    if (allowed.length > 0) {
      return reply
        .code(405)
        .header("allow", allowed.join(", "))
        .send(errorBody(`Method ${req.method} is not allowed here; use ${allowed.join(", ")}`));
    }
    return reply.code(404).send(errorBody(`No such endpoint: ${req.method} ${path}`));
  });
}
