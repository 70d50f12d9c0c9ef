import type { FastifyRequest, FastifyServerOptions } from "fastify";
import type { PinoLoggerOptions } from "fastify/types/logger.js";
import { TOKEN_PREFIX } from "../features/tokens/token-secret.js";

/**
 * Header and cookie values that must never reach a log line: in the request/response lines, in
 * headers logged by hand, and one level down (an error or object carrying the request's headers).
 */
export const REDACTED_PATHS = [
  "req.headers.token",
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "headers.token",
  "headers.authorization",
  "headers.cookie",
  'headers["set-cookie"]',
  "*.headers.token",
  "*.headers.authorization",
  "*.headers.cookie",
  '*.headers["set-cookie"]',
];

export const REDACTED = "[redacted]";

/** Query parameters whose value is a secret (case-insensitive), wherever a URL is logged. */
const SECRET_PARAMS =
  /([?&;](?:token|api_token|access_token|refresh_token|id_token|password|secret|client_secret|key|api_key|code|setup_code)=)[^&#;\s"]*/gi;
/** A Verdict token (or a session secret) anywhere, in a path segment or under another parameter's name. */
const SECRET_SHAPES = new RegExp(`(?:${TOKEN_PREFIX}|vds_)[0-9A-Za-z_-]{8,}`, "g");

/** The URL (or any text) with secrets replaced by a marker; the cheap test first, as most URLs hold none. */
export function redactUrl(url: string): string {
  if (!url.includes("=") && !url.includes(TOKEN_PREFIX) && !url.includes("vds_")) return url;
  return url.replace(SECRET_PARAMS, `$1${REDACTED}`).replace(SECRET_SHAPES, REDACTED);
}

type Serializer = (value: never) => unknown;

/** Fastify's own request line (fastify/lib/logger-pino.js), which a `req` serializer replaces. */
function defaultReq(req: FastifyRequest) {
  return {
    method: req.method,
    url: req.url,
    version: req.headers?.["accept-version"],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket ? req.socket.remotePort : undefined,
  };
}

/**
 * The app's pino options: the caller's (a level, a stream, serializers), always with the redaction of
 * secrets on top: the headers by path, the URL of the request line (whoever serializes it), and
 * secrets in the text of a message (Fastify's "Route GET:/x?token=... not found").
 */
export function loggerOptions(
  level: string,
  caller: FastifyServerOptions["logger"],
): FastifyServerOptions["logger"] {
  if (caller === false) return false;
  const given = (typeof caller === "object" ? caller : {}) as PinoLoggerOptions;
  const reqSerializer = (given.serializers?.req as Serializer | undefined) ?? defaultReq;
  return {
    level,
    ...given,
    serializers: {
      ...given.serializers,
      req: (req: FastifyRequest) => {
        const out = (reqSerializer as (r: FastifyRequest) => Record<string, unknown>)(req);
        return typeof out?.url === "string" ? { ...out, url: redactUrl(out.url) } : out;
      },
    },
    hooks: {
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          const a = args[i];
          if (typeof a === "string") args[i] = redactUrl(a);
        }
        return method.apply(this, args as Parameters<typeof method>);
      },
    },
    redact: { paths: REDACTED_PATHS, censor: REDACTED },
  };
}
