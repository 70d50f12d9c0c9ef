import { hash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * Token format: `vdt_` + 32 random base62 characters + 6 base62 characters of CRC32 over the rest.
 * The prefix makes leaked tokens recognisable to secret scanners; the checksum lets us reject typos and
 * random guesses without touching the database.
 */
export const TOKEN_PREFIX = "vdt_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
const SHAPE = new RegExp(`^${TOKEN_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function base62(n: number, width: number): string {
  let out = "";
  let v = n;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}

function checksum(body: string): string {
  return base62(crc32(body), CHECKSUM_LENGTH);
}

/** 32 characters drawn uniformly from base62 with a CSPRNG (rejection sampling avoids modulo bias). */
function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function generateSecret(): string {
  const body = TOKEN_PREFIX + randomBase62(RANDOM_LENGTH);
  return body + checksum(body);
}

export function hasValidShape(secret: string): boolean {
  if (secret.length !== TOKEN_LENGTH || !SHAPE.test(secret)) return false;
  const body = secret.slice(0, -CHECKSUM_LENGTH);
  return checksum(body) === secret.slice(-CHECKSUM_LENGTH);
}

export function hashSecret(secret: string): string {
  // One-shot hash: no Hash object per request (the token check runs on every API call).
  return hash("sha256", secret, "hex");
}

/** First and last characters, enough to tell tokens apart in a list. */
export function previewOf(secret: string): string {
  return `${secret.slice(0, TOKEN_PREFIX.length + 4)}...${secret.slice(-4)}`;
}
