import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ImportedResult } from "../../importers/types.js";

/** This tool's UUID namespace (a random v4, fixed forever: changing it would change every id). */
const NAMESPACE = Buffer.from("5b0c7a8e4f1d4c2a9e3b6d7f8a9c0b1d", "hex");

/** An RFC 4122 version 5 (name-based, SHA-1) UUID: the same name always yields the same id. */
export function uuidV5(name: string): string {
  const h = createHash("sha1").update(NAMESPACE).update(name, "utf8").digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/**
 * The idempotency key of one result: the run (or the build the run belongs to), the report's content,
 * the result's position in that report and the test's identity and attempts. Re-sending the same report
 * to the same run yields the same ids, so the server stores each result once; a new report (a re-run of
 * the tests) yields new ids. The position tells apart tests a report names twice.
 */
export function resultId(runKey: string, reportDigest: string, ordinal: number, r: ImportedResult): string {
  return uuidV5(
    ["verdict-report/1", runKey, reportDigest, String(ordinal), r.signature, String(r.attempts)].join("\0"),
  );
}

async function hashFile(hash: ReturnType<typeof createHash>, file: string): Promise<void> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
}

/**
 * The content digest of one report target: the file's bytes, or for an Allure directory the names and
 * bytes of its result files (attachments are referenced by them). Read streaming, in bounded memory.
 */
export async function reportDigest(target: string): Promise<string> {
  const hash = createHash("sha256");
  const stat = await fs.promises.stat(target);
  if (stat.isDirectory()) {
    const names = (await fs.promises.readdir(target)).filter((n) => n.endsWith("-result.json")).sort();
    for (const name of names) {
      hash.update(`${name}\0`);
      await hashFile(hash, path.join(target, name));
      hash.update("\0");
    }
  } else await hashFile(hash, target);
  return hash.digest("hex");
}
