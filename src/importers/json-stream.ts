import fs from "node:fs";
import JSONParser from "@streamparser/json/jsonparser.js";
import { ReportError } from "./types.js";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };

/**
 * Streams a JSON file and yields every value found at one of `paths` (JSONPath-like, e.g.
 * "$.results.tests.*"), without building the whole document: memory holds one such value at a time.
 * Syntax errors become a ReportError with the line where parsing stopped.
 */
export async function* streamJson(
  file: string,
  paths: string[],
): AsyncGenerator<{ value: Json; path: string }> {
  const parser = new JSONParser({ paths, keepStack: false });
  const ready: { value: Json; path: string }[] = [];
  let offset = 0;
  let failure: Error | null = null;
  parser.onValue = ({ value, key, stack }) => {
    const keys = [...stack.slice(1).map((s) => String(s.key)), String(key)];
    ready.push({ value: value as Json, path: keys.join(".") });
  };
  parser.onToken = (t) => {
    offset = t.offset;
  };
  parser.onError = (err) => {
    failure ??= err;
  };
  const stream = fs.createReadStream(file, { encoding: "utf8", highWaterMark: 256 * 1024 });
  let first = true;
  for await (const raw of stream) {
    const chunk = first ? (raw as string).replace(/^\uFEFF/, "") : (raw as string);
    first = false;
    parser.write(chunk);
    if (failure) throw await malformed(file, offset, failure);
    yield* ready.splice(0);
  }
  if (!parser.isEnded) parser.end();
  if (failure) throw await malformed(file, offset, failure);
  yield* ready.splice(0);
}

/** Only on the error path: counts the lines up to the last good token, to say where the report broke. */
async function malformed(file: string, byteOffset: number, err: Error): Promise<ReportError> {
  let line = 1;
  let seen = 0;
  for await (const chunk of fs.createReadStream(file, { end: Math.max(0, byteOffset) })) {
    for (const byte of chunk as Buffer) if (byte === 10) line++;
    seen += (chunk as Buffer).length;
  }
  return new ReportError(file, seen > 0 ? line : 1, `malformed JSON: ${err.message}`);
}

export function isObject(v: Json | undefined): v is { [key: string]: Json | undefined } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function str(v: Json | undefined): string | null {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : null;
}

export function num(v: Json | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function arr(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

/** Reads the first bytes of a file, to recognise its format without reading it all. */
export async function head(file: string, bytes = 4096): Promise<string> {
  const fh = await fs.promises.open(file, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
  } finally {
    await fh.close();
  }
}
