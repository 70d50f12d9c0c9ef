import { randomBytes } from "node:crypto";
import path from "node:path";

/** Everything the server and the CLI need to know, resolved once from flags and VERDICT_* env. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** postgres://... when set; SQLite in dataDir otherwise. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Requests per minute per token (per IP when unauthenticated). */
  rateLimit: number;
  /** Failed sign-ins one address may make over all accounts in any 15 minutes before it is held back. */
  signInAddressLimit: number;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  requireHttps: boolean;
  /** Proxies whose X-Forwarded-* headers are believed: IPs or CIDRs. */
  trustedProxies: string[];
  /** Origins allowed to write with a session cookie besides the server's own. */
  publicUrl: string | undefined;
  /** More host names (host or host:port) that browsers may use to reach this server with a session. */
  allowedHosts: string[];
  /** First run: the code that lets the owner be created from another machine than the server's own. */
  setupCode: string;
  logLevel: string;
  /** auto: readable lines on a terminal, JSON otherwise (VERDICT_LOG_FORMAT). */
  logFormat: "auto" | "pretty" | "json";
  /** Largest request body in bytes (JSON); attachments have their own limits. */
  bodyLimit: number;
  /** Attachment upload limits (bytes, count) and the workspace's storage quota for attachment files. */
  attachments: {
    maxFileBytes: number;
    maxRequestBytes: number;
    maxFiles: number;
    quotaBytes: number;
    /** How long an upload may make no progress (no part, no byte) before it is refused. */
    idleMs: number;
  };
  /** SQLite: most bytes of serialised list answers kept in memory until the next write (0 = none). */
  responseCacheBytes: number;
}

export interface ConfigFlags {
  host?: string;
  port?: string | number;
  dataDir?: string;
}

type Env = Record<string, string | undefined>;

const MB = 1024 * 1024;

/** An integer setting of at least `min` (1 unless said), or the fallback when unset. */
function intSetting(name: string, raw: string | number | undefined, fallback: number, min = 1): number {
  if (raw === undefined || raw === "") return fallback;
  const n = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min) {
    const what = min === 1 ? "a positive integer" : `an integer of at least ${min}`;
    throw new Error(`${name} must be ${what}, got "${raw}"`);
  }
  return n;
}

function list(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function logFormatOf(raw: string | undefined): Config["logFormat"] {
  if (raw === undefined || raw === "" || raw === "auto") return "auto";
  if (raw === "pretty" || raw === "json") return raw;
  throw new Error(`VERDICT_LOG_FORMAT must be auto, pretty or json, got "${raw}"`);
}

function flag(raw: string | undefined): boolean {
  return raw === "1" || raw === "true" || raw === "yes";
}

export function loadConfig(flags: ConfigFlags = {}, env: Env = process.env): Config {
  const tlsCert = env.VERDICT_TLS_CERT || undefined;
  const tlsKey = env.VERDICT_TLS_KEY || undefined;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) {
    throw new Error("VERDICT_TLS_CERT and VERDICT_TLS_KEY must be set together");
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error("DATABASE_URL must be a postgres:// URL");
  }
  return {
    host: flags.host ?? env.VERDICT_HOST ?? "127.0.0.1",
    port: intSetting("--port", flags.port ?? env.VERDICT_PORT, 8080),
    dataDir: path.resolve(flags.dataDir ?? env.VERDICT_DATA_DIR ?? "data"),
    databaseUrl,
    redisUrl: env.REDIS_URL || undefined,
    rateLimit: intSetting("VERDICT_RATE_LIMIT", env.VERDICT_RATE_LIMIT, 600),
    signInAddressLimit: intSetting("VERDICT_SIGNIN_ADDRESS_LIMIT", env.VERDICT_SIGNIN_ADDRESS_LIMIT, 200),
    tlsCert,
    tlsKey,
    requireHttps: flag(env.VERDICT_REQUIRE_HTTPS),
    trustedProxies: list(env.VERDICT_TRUSTED_PROXIES),
    publicUrl: env.VERDICT_PUBLIC_URL || undefined,
    allowedHosts: list(env.VERDICT_ALLOWED_HOSTS).map((h) => h.toLowerCase()),
    setupCode: env.VERDICT_SETUP_CODE || randomBytes(12).toString("base64url"),
    logLevel: env.VERDICT_LOG_LEVEL ?? "info",
    logFormat: logFormatOf(env.VERDICT_LOG_FORMAT),
    bodyLimit: intSetting("VERDICT_BODY_LIMIT", env.VERDICT_BODY_LIMIT, 64 * 1024 * 1024),
    attachments: {
      maxFileBytes: MB * intSetting("VERDICT_ATTACHMENT_MAX_FILE_MB", env.VERDICT_ATTACHMENT_MAX_FILE_MB, 32),
      maxRequestBytes:
        MB * intSetting("VERDICT_ATTACHMENT_MAX_REQUEST_MB", env.VERDICT_ATTACHMENT_MAX_REQUEST_MB, 128),
      maxFiles: intSetting("VERDICT_ATTACHMENT_MAX_FILES", env.VERDICT_ATTACHMENT_MAX_FILES, 20),
      quotaBytes: MB * intSetting("VERDICT_STORAGE_QUOTA_MB", env.VERDICT_STORAGE_QUOTA_MB, 10 * 1024),
      idleMs: 1000 * intSetting("VERDICT_UPLOAD_IDLE_SECONDS", env.VERDICT_UPLOAD_IDLE_SECONDS, 30),
    },
    responseCacheBytes: MB * intSetting("VERDICT_RESPONSE_CACHE_MB", env.VERDICT_RESPONSE_CACHE_MB, 32, 0),
  };
}
