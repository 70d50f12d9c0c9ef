import { Type } from "@sinclair/typebox";
import { ListSchema, OkSchema, PageQuery } from "../../http/envelope.js";
import { Code } from "../../http/params.js";

const Hash = Type.String({ minLength: 1, maxLength: 64 });

export const UploadParams = Type.Object({ code: Code });
export const HashParams = Type.Object({ hash: Hash });
export const AttachmentListQuery = PageQuery;

/** AttachmentUploadsResponse: one entry per uploaded file, in upload order. */
export const AttachmentUpload = Type.Object({
  hash: Type.String(),
  filename: Type.String(),
  mime: Type.String(),
  extension: Type.String(),
  url: Type.String(),
  team: Type.String(),
});
export const UploadResponse = OkSchema(Type.Array(AttachmentUpload));

/** AttachmentGet. */
export const Attachment = Type.Object({
  hash: Type.String(),
  file: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  extension: Type.String(),
  full_path: Type.String(),
  url: Type.String(),
});
export const AttachmentResponse = OkSchema(Attachment);
export const AttachmentList = ListSchema(Attachment);
export const HashResponse = OkSchema(Type.Object({ hash: Type.String() }));
