import type { Multipart } from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { ApiError, fail } from "../../http/errors.js";
import { cleanFilename, extensionOf, mediaType } from "./attachments.media.js";
import type { AttachmentStorage, StagedContent } from "./attachments.storage.js";

/** One received file: its content staged in the temp directory, with what the client said about it. */
export interface StagedFile extends StagedContent {
  filename: string;
  mime: string;
  extension: string;
}

export interface UploadLimits {
  maxFileBytes: number;
  maxRequestBytes: number;
  maxFiles: number;
  idleMs: number;
}

/** Field names that carry files: Qase's `file[]`, and plain `file` as some clients send it. */
const FILE_FIELDS = new Set(["file[]", "file"]);
const MB = 1024 * 1024;
/** Room for the multipart framing around the files when judging a declared Content-Length. */
const FRAMING_ALLOWANCE = 1024 * 1024;

function mb(bytes: number): string {
  return `${Math.round((bytes / MB) * 10) / 10} MB`;
}

function tooManyFiles(limits: UploadLimits) {
  return fail.tooLarge(`Too many files: at most ${limits.maxFiles} files per request`);
}

/** The multipart plugin's own limit errors, in our words. */
function translate(err: unknown, limits: UploadLimits): unknown {
  const code = (err as { code?: string }).code;
  if (code === "FST_FILES_LIMIT") return tooManyFiles(limits);
  if (code === "FST_REQ_FILE_TOO_LARGE") {
    return fail.tooLarge(`File too large: at most ${mb(limits.maxFileBytes)} per file`);
  }
  if (code === "FST_PARTS_LIMIT" || code === "FST_FIELDS_LIMIT") {
    return fail.tooLarge("Too many parts in the multipart request");
  }
  if (code === "FST_INVALID_MULTIPART_CONTENT_TYPE") {
    return fail.badRequest("Send the files as multipart/form-data in the field file[]");
  }
  // A body cut short or with broken framing: the file's stream closed early, or the parser said so.
  const message = err instanceof Error ? err.message : "";
  if (
    code === "ERR_STREAM_PREMATURE_CLOSE" ||
    /unexpected end|terminated early|malformed|boundary/i.test(message)
  ) {
    return fail.badRequest(
      "The multipart body is incomplete or malformed (a file cut short, or no boundary)",
    );
  }
  return err;
}

/**
 * Refuses an upload that makes no progress for idleMs. The multipart parser can stall for good on some
 * malformed bodies (a part header it cannot read, in a body that arrives in one chunk): no part, no
 * byte and no end ever come, and the request would hang until the client gave up.
 */
function idleGuard(idleMs: number, onExpire: () => void) {
  let timer: NodeJS.Timeout | undefined;
  let refuse: (err: unknown) => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    refuse = reject;
  });
  expired.catch(() => {}); // raced below; never unhandled on its own
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      onExpire();
      refuse(
        fail.badRequest(
          `The upload made no progress for ${idleMs / 1000} s: its multipart body is malformed or stalled`,
        ),
      );
    }, idleMs);
  };
  touch();
  return { touch, expired, stop: () => clearTimeout(timer) };
}

/**
 * Reads every file of a multipart request into temp files, one at a time and never whole in memory.
 * Any limit broken, or any failure, removes every temp file written so far before the error goes out.
 */
export async function receiveFiles(
  req: FastifyRequest,
  storage: AttachmentStorage,
  limits: UploadLimits,
): Promise<StagedFile[]> {
  if (!req.isMultipart()) throw fail.badRequest("Send the files as multipart/form-data in the field file[]");
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limits.maxRequestBytes + FRAMING_ALLOWANCE) {
    throw fail.tooLarge(`Request too large: at most ${mb(limits.maxRequestBytes)} of files per request`);
  }
  const staged: StagedFile[] = [];
  let total = 0;
  // The file being read when the guard expires is destroyed, so that its staging ends and cleans up.
  let reading: { destroy(): void } | null = null;
  const guard = idleGuard(limits.idleMs, () => reading?.destroy());
  const countBytes = (n: number) => {
    guard.touch();
    total += n;
    if (total > limits.maxRequestBytes) {
      throw fail.tooLarge(`Request too large: at most ${mb(limits.maxRequestBytes)} of files per request`);
    }
  };
  try {
    const parts = req.parts({
      limits: {
        fileSize: limits.maxFileBytes,
        files: limits.maxFiles,
        fields: 100,
        fieldSize: 64 * 1024,
        parts: limits.maxFiles + 100,
      },
    });
    const iterator = (parts as AsyncIterableIterator<Multipart>)[Symbol.asyncIterator]();
    for (;;) {
      const next = await Promise.race([iterator.next(), guard.expired]);
      if (next.done) break;
      guard.touch();
      const part = next.value;
      if (part.type !== "file") continue;
      if (!FILE_FIELDS.has(part.fieldname)) {
        part.file.resume();
        throw fail.invalid(part.fieldname, "unexpected file field: send files in the field file[]");
      }
      if (staged.length >= limits.maxFiles) throw tooManyFiles(limits);
      reading = part.file;
      const staging = storage.stage(part.file, countBytes);
      const content = await Promise.race([staging, guard.expired]).catch(async (err: unknown) => {
        // Expired mid-file: the destroyed stream ends its staging, which removes its temp file first.
        await staging.catch(() => {});
        throw err;
      });
      reading = null;
      const filename = cleanFilename(part.filename);
      const extension = extensionOf(filename);
      staged.push({ ...content, filename, extension, mime: mediaType(part.mimetype, extension) });
      if (part.file.truncated) {
        throw fail.tooLarge(
          `File too large: "${filename}" is over ${mb(limits.maxFileBytes)} (the limit per file)`,
        );
      }
    }
  } catch (err) {
    await Promise.all(staged.map((f) => storage.discard(f.tmpPath)));
    throw err instanceof ApiError ? err : translate(err, limits);
  } finally {
    guard.stop();
  }
  if (staged.length === 0) throw fail.invalid("file[]", "at least one file is required");
  return staged;
}
