/** Names, media types and how a browser may show them: everything about a file except its bytes. */

const MAX_FILENAME = 255;

/** The client's filename without any directory part or control characters; "file" when nothing is left. */
export function cleanFilename(raw: string | undefined): string {
  const base = (raw ?? "").split(/[/\\]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  const name = clean === "" || clean === "." || clean === ".." ? "file" : clean;
  return [...name].slice(0, MAX_FILENAME).join("");
}

/** Lower-case extension after the last dot (letters and digits only, up to 16), or "". */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf(".");
  if (dot <= 0) return "";
  const ext = filename.slice(dot + 1).toLowerCase();
  return /^[a-z0-9]{1,16}$/.test(ext) ? ext : "";
}

const BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
  svg: "image/svg+xml",
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
  json: "application/json",
  xml: "application/xml",
  html: "text/html",
  htm: "text/html",
  js: "text/javascript",
  pdf: "application/pdf",
  zip: "application/zip",
  webm: "video/webm",
  mp4: "video/mp4",
};

const OCTET = "application/octet-stream";

/**
 * The media type to record: the client's when it is a well-formed type/subtype (parameters dropped),
 * guessed from the extension when the client sent none or only application/octet-stream.
 */
export function mediaType(declared: string | undefined, extension: string): string {
  const type = (declared ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const valid = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(type);
  if (valid && type !== OCTET) return type;
  return BY_EXTENSION[extension] ?? OCTET;
}

/** Passive types a browser may render inline; everything else (html, svg, js, pdf...) is a download. */
const INLINE = new Set([
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/bmp",
  "image/avif",
  "text/plain",
  "video/mp4",
  "video/webm",
  "audio/mpeg",
  "audio/ogg",
  "audio/wav",
]);

export function isInline(mime: string): boolean {
  return INLINE.has(mime);
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 5987). */
export function contentDisposition(filename: string, inline: boolean): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${inline ? "inline" : "attachment"}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** What the browser is told: text is labelled UTF-8 so that it is never sniffed as something else. */
export function contentType(mime: string): string {
  return mime.startsWith("text/") ? `${mime}; charset=utf-8` : mime;
}
