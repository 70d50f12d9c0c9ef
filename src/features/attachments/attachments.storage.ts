import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { AppContext } from "../../context.js";

/** A file received into the temp directory, hashed on the way in, not yet placed. */
export interface StagedContent {
  tmpPath: string;
  sha256: string;
  size: number;
}

/**
 * Attachment files on disk, content-addressed: `<root>/blobs/ab/cd/<sha256>`. Uploads stream into
 * `<root>/tmp` (same filesystem, so placing a file is an atomic rename) while being hashed.
 */
export class AttachmentStorage {
  readonly tmpDir: string;
  readonly blobDir: string;

  constructor(readonly root: string) {
    this.tmpDir = path.join(root, "tmp");
    this.blobDir = path.join(root, "blobs");
  }

  blobPath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256 digest: ${sha256}`);
    return path.join(this.blobDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /**
   * Streams `source` to a new temp file, hashing and counting as it goes; `onBytes` sees every chunk's
   * size and may throw to abort (request-wide limits). The temp file is removed when anything fails.
   */
  async stage(source: Readable, onBytes: (n: number) => void): Promise<StagedContent> {
    await fsp.mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    // A part cut short (the body ended before its boundary) may be destroyed before anyone read it, and
    // a pipeline from a stream destroyed without an error never settles: refuse it as a premature close.
    if (source.destroyed)
      throw Object.assign(new Error("the file ended before its content did"), {
        code: "ERR_STREAM_PREMATURE_CLOSE",
      });
    const tmpPath = path.join(this.tmpDir, `${randomUUID()}.part`);
    const hash = createHash("sha256");
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
        try {
          onBytes(chunk.length);
        } catch (err) {
          done(err as Error);
          return;
        }
        size += chunk.length;
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, fs.createWriteStream(tmpPath, { flags: "wx", mode: 0o600 }));
    } catch (err) {
      await this.discard(tmpPath);
      throw err;
    }
    return { tmpPath, sha256: hash.digest("hex"), size };
  }

  /** Moves a staged file to its content address (atomic rename; replaces identical content). */
  async place(tmpPath: string, sha256: string): Promise<void> {
    const target = this.blobPath(sha256);
    await fsp.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await fsp.rename(tmpPath, target);
  }

  async discard(file: string): Promise<void> {
    await fsp.rm(file, { force: true });
  }

  /** Moves a blob aside (to be unlinked after the deleting transaction commits); null if absent. */
  async trash(sha256: string): Promise<string | null> {
    const aside = path.join(this.tmpDir, `${sha256}.${randomUUID()}.trash`);
    await fsp.mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    try {
      await fsp.rename(this.blobPath(sha256), aside);
      return aside;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  /** Puts a trashed blob back (the deleting transaction failed). */
  async restore(aside: string, sha256: string): Promise<void> {
    await this.place(aside, sha256);
  }

  /** Size on disk, or null when the content is missing. */
  async sizeOf(sha256: string): Promise<number | null> {
    try {
      return (await fsp.stat(this.blobPath(sha256))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  read(sha256: string): fs.ReadStream {
    return fs.createReadStream(this.blobPath(sha256));
  }
}

const storages = new Map<string, AttachmentStorage>();

/** Where this server keeps attachment files: `<dataDir>/attachments`. */
export function storageOf(ctx: AppContext): AttachmentStorage {
  const root = path.join(ctx.config.dataDir, "attachments");
  let s = storages.get(root);
  if (!s) {
    s = new AttachmentStorage(root);
    storages.set(root, s);
  }
  return s;
}
