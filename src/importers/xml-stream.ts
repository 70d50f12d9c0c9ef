import fs from "node:fs";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import { ReportError } from "./types.js";

export interface XmlHandlers<T> {
  open(tag: SaxesTagPlain, line: number): void;
  text(text: string): void;
  close(name: string, line: number): void;
  /** Items completed so far; drained after every chunk. */
  ready: T[];
}

/**
 * A chunk of 64 KB: the results a chunk completes all live until they are yielded, and at 256 KB they
 * outlived young-generation collections often enough to grow the heap with the size of the report.
 */
const CHUNK_BYTES = 64 * 1024;

// saxes 6 states (saxes.js) in which `text` holds character data, CDATA or a comment still open.
const S_TEXT = 13;
const S_COMMENT = 17;
const S_CDATA = 20;

/** The parser's private buffer: saxes emits a text node only when it ends, however long it is. */
interface SaxesInternals {
  text: unknown;
  state: unknown;
}

/**
 * Hands the text saxes has buffered so far to the handlers and empties its buffer, so a 200 MB
 * <failure> arrives in chunk-sized pieces the importers can cap, never as one 200 MB string.
 */
function flushText(parser: SaxesParser, handlers: { text(text: string): void }): void {
  const p = parser as unknown as SaxesInternals;
  if (typeof p.text !== "string" || p.text.length === 0) return;
  if (p.state === S_TEXT || p.state === S_CDATA) {
    const pending = p.text;
    p.text = "";
    handlers.text(pending);
  } else if (p.state === S_COMMENT) p.text = ""; // comments are never read
}

/**
 * Streams an XML file through saxes chunk by chunk and yields what the handlers complete, so a report
 * of any size is read in bounded memory. Malformed XML becomes a ReportError with its line.
 */
export async function* streamXml<T>(file: string, handlers: XmlHandlers<T>): AsyncGenerator<T> {
  const parser = new SaxesParser({ position: true });
  let failure: ReportError | null = null;
  parser.on("error", (err) => {
    failure ??= new ReportError(
      file,
      parser.line,
      // saxes prefixes "[file:]line:column: "; the line is already in the error.
      `malformed XML: ${err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, "")}`,
    );
  });
  parser.on("opentag", (tag) => {
    try {
      handlers.open(tag as SaxesTagPlain, parser.line);
    } catch (err) {
      failure ??= err instanceof ReportError ? err : new ReportError(file, parser.line, String(err));
    }
  });
  parser.on("text", (t) => handlers.text(t));
  parser.on("cdata", (t) => handlers.text(t));
  parser.on("closetag", (tag) => {
    try {
      handlers.close(tag.name, parser.line);
    } catch (err) {
      failure ??= err instanceof ReportError ? err : new ReportError(file, parser.line, String(err));
    }
  });
  const stream = fs.createReadStream(file, { encoding: "utf8", highWaterMark: CHUNK_BYTES });
  let first = true;
  for await (const chunk of stream) {
    // A UTF-8 byte order mark is common in reports written on Windows.
    parser.write(first ? (chunk as string).replace(/^\uFEFF/, "") : (chunk as string));
    first = false;
    if (failure) throw failure;
    flushText(parser, handlers);
    yield* handlers.ready.splice(0);
  }
  parser.close();
  if (failure) throw failure;
  yield* handlers.ready.splice(0);
}
