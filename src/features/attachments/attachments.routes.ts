import multipart from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import type { AppContext } from "../../context.js";
import { publicBase } from "../../http/base-url.js";
import { ok, page } from "../../http/envelope.js";
import { fail } from "../../http/errors.js";
import { principalOf, projectOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { downloadPath } from "./attachment-refs.js";
import { contentDisposition, contentType, isInline } from "./attachments.media.js";
import {
  type Attachment,
  AttachmentList,
  AttachmentListQuery,
  AttachmentResponse,
  HashParams,
  HashResponse,
  UploadParams,
  UploadResponse,
} from "./attachments.schemas.js";
import {
  deleteAttachment,
  getAttachment,
  listAttachments,
  storageOf,
  storeUploads,
} from "./attachments.service.js";
import { receiveFiles } from "./attachments.upload.js";

/** The workspace name Qase reports as `team`; a Verdict server is one workspace. */
const TEAM = "verdict";

interface Shown {
  hash: string;
  filename: string;
  mime: string;
  extension: string;
  size: number;
  project_code: string;
}

function downloadUrl(ctx: AppContext, req: FastifyRequest, hash: string): string {
  return `${publicBase(ctx, req)}${downloadPath(hash)}`;
}

function present(ctx: AppContext, req: FastifyRequest, a: Shown): typeof Attachment.static {
  const url = downloadUrl(ctx, req, a.hash);
  return {
    hash: a.hash,
    file: a.filename,
    mime: a.mime,
    size: a.size,
    extension: a.extension,
    // Qase's spec has an absolute URI here (its storage URL); Verdict's file is where `url` serves it.
    full_path: url,
    url,
  };
}

export async function attachmentRoutes(app: App, ctx: AppContext) {
  const limits = ctx.config.attachments;
  // Multipart parsing exists only in this scope: no other route accepts multipart bodies.
  await app.register(async (scope: App) => {
    await scope.register(multipart, {
      limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles },
    });

    scope.post(
      "/v1/attachment/:code",
      {
        config: { access: "attachment.create" },
        schema: {
          params: UploadParams,
          consumes: ["multipart/form-data"],
          response: { 200: UploadResponse },
        },
      },
      async (req) => {
        const project = projectOf(req);
        const files = await receiveFiles(req, storageOf(ctx), limits);
        const stored = await storeUploads(ctx, principalOf(req), project, files);
        return ok(
          stored.map((a) => ({
            hash: a.hash,
            filename: a.filename,
            mime: a.mime,
            extension: a.extension,
            url: downloadUrl(ctx, req, a.hash),
            team: TEAM,
          })),
        );
      },
    );
  });

  app.get(
    "/v1/attachment",
    {
      config: { access: "project.read" },
      schema: { querystring: AttachmentListQuery, response: { 200: AttachmentList } },
    },
    async (req) => {
      const r = await listAttachments(ctx, principalOf(req), req.query.limit, req.query.offset);
      return ok(
        page(
          r.rows.map((a) => present(ctx, req, a)),
          r.total,
        ),
      );
    },
  );

  app.get(
    "/v1/attachment/:hash",
    {
      config: { access: "project.read" },
      schema: { params: HashParams, response: { 200: AttachmentResponse } },
    },
    async (req) => ok(present(ctx, req, await getAttachment(ctx, principalOf(req), req.params.hash))),
  );

  app.delete(
    "/v1/attachment/:hash",
    {
      config: { access: "attachment.create" },
      schema: { params: HashParams, response: { 200: HashResponse } },
    },
    async (req) => {
      await deleteAttachment(ctx, principalOf(req), req.params.hash);
      return ok({ hash: req.params.hash });
    },
  );

  app.get(
    "/v1/attachment/:hash/download",
    { config: { access: "project.read" }, schema: { params: HashParams } },
    async (req, reply) => {
      const a = await getAttachment(ctx, principalOf(req), req.params.hash);
      const storage = storageOf(ctx);
      const size = await storage.sizeOf(a.sha256);
      if (size === null) throw fail.notFound(`Content of attachment "${a.hash}"`);
      const etag = `"${a.sha256}"`;
      reply.headers({
        "content-disposition": contentDisposition(a.filename, isInline(a.mime)),
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
        "cache-control": "private, no-cache",
        etag,
      });
      if (req.headers["if-none-match"] === etag) return reply.code(304).send();
      reply.type(contentType(a.mime)).header("content-length", size);
      return reply.send(storage.read(a.sha256));
    },
  );
}
