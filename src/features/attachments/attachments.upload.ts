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
  return err;
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
  const countBytes = (n: number) => {
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
    for await (const part of parts as AsyncIterableIterator<Multipart>) {
      if (part.type !== "file") continue;
      if (!FILE_FIELDS.has(part.fieldname)) {
        part.file.resume();
        throw fail.invalid(part.fieldname, "unexpected file field: send files in the field file[]");
      }
      if (staged.length >= limits.maxFiles) throw tooManyFiles(limits);
      const content = await storage.stage(part.file, countBytes);
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
  }
  if (staged.length === 0) throw fail.invalid("file[]", "at least one file is required");
  return staged;
}
