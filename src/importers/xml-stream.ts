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
  const stream = fs.createReadStream(file, { encoding: "utf8", highWaterMark: 256 * 1024 });
  let first = true;
  for await (const chunk of stream) {
    // A UTF-8 byte order mark is common in reports written on Windows.
    parser.write(first ? (chunk as string).replace(/^\uFEFF/, "") : (chunk as string));
    first = false;
    if (failure) throw failure;
    yield* handlers.ready.splice(0);
  }
  parser.close();
  if (failure) throw failure;
  yield* handlers.ready.splice(0);
}
