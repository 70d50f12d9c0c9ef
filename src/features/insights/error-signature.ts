import { createHash } from "node:crypto";

/**
 * Error signatures: one failure mode, whatever run-specific values its message carries. Each rule takes
 * out values that differ between occurrences of the same failure (ids, paths, times, numbers), in an
 * order where the wider patterns go first (a UUID or a date is not left to the number rule to split).
 */
const RULES: [RegExp, string | ((match: string) => string)][] = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  // ISO dates with an optional time and zone, then clock times alone.
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g, "<time>"],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, "<time>"],
  // Temporary files: POSIX, macOS and Windows temp directories.
  [/(?:\/private)?\/(?:tmp|var\/folders|var\/tmp)\/[^\s'"`)\],;:]*/g, "<tmp>"],
  [/\b[a-z]:\\Users\\[^\\\s]+\\AppData\\Local\\Temp\\[^\s'"`)\],;:]*/gi, "<tmp>"],
  [/\b[a-z]:\\Windows\\Temp\\[^\s'"`)\],;:]*/gi, "<tmp>"],
  // Quoted values; an apostrophe inside a word ("can't") opens nothing.
  [/"(?:[^"\\\n]|\\.)*"/g, "<str>"],
  [/(?<!\w)'(?:[^'\\\n]|\\.)*'(?!\w)/g, "<str>"],
  [/`(?:[^`\\\n]|\\.)*`/g, "<str>"],
  [/\b\d+(?:\.\d+)?\s?(?:ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)\b/gi, "<duration>"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  // Hex strings (hashes, object ids: digits and letters), then ids where letters and digits interleave
  // ("a8f3k2"); a word with one number in it ("step2") is left to the number rule.
  // Tested token by token: lookaheads over long dash-joined text backtrack quadratically.
  [/\b[0-9a-f]{8,}\b/gi, (m) => (/\d/.test(m) && /[a-f]/i.test(m) ? "<hex>" : m)],
  [/[\w-]+/g, (m) => (/[a-z]\d+[a-z]+\d/i.test(m) ? "<id>" : m)],
  [/\d+(?:\.\d+)?/g, "<n>"],
];

/** The text with run-specific values taken out and whitespace collapsed. */
export function normaliseError(text: string): string {
  let out = text;
  for (const [pattern, token] of RULES)
    out = typeof token === "string" ? out.replace(pattern, token) : out.replace(pattern, token);
  return out.replace(/\s+/g, " ").trim();
}

/** A stack trace line that names a frame: JS/Java/C# "at ...", Python "File ...", Ruby/Go/PHP forms. */
const FRAME = /^\s*(?:at\s|File\s"|from\s|#\d+\s|\S+\.(?:go|rb|py|php|rs):\d+)/;
const PYTHON = /Traceback \(most recent call last\)/;

export interface StackParts {
  /** The first line that is not a frame ("TypeError: ..."); for Python, the last one. */
  header: string;
  /** The frames nearest the failure, innermost first. */
  frames: string[];
}

export function stackParts(stack: string, depth = 3): StackParts {
  const lines = stack.split(/\r?\n/).filter((l) => l.trim() !== "");
  const frames = lines.filter((l) => FRAME.test(l));
  const others = lines.filter((l) => !FRAME.test(l));
  // Python prints the innermost frame last and the exception after the frames.
  if (PYTHON.test(stack)) {
    return { header: others.at(-1) ?? "", frames: frames.reverse().slice(0, depth) };
  }
  return { header: others[0] ?? "", frames: frames.slice(0, depth) };
}

export interface ErrorSignature {
  /** sha256 of the normalised message, exception line and top frames, in hex (32 digits). */
  signature: string;
  /** The normalised message, or the exception line when the result has no message. */
  message: string;
}

export function errorSignature(message: string | null, stack: string | null, depth = 3): ErrorSignature {
  const parts = stackParts(stack ?? "", depth);
  const header = normaliseError(parts.header);
  const text = normaliseError(message ?? "");
  const key = [text, header, ...parts.frames.map(normaliseError)].join("\n");
  return {
    signature: createHash("sha256").update(key).digest("hex").slice(0, 32),
    message: text || header,
  };
}
