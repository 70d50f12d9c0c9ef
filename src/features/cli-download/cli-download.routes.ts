import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Type } from "@sinclair/typebox";
import type { AppContext } from "../../context.js";
import { ApiError } from "../../http/errors.js";
import type { App } from "../../http/types.js";
import { VERSION } from "../../version.js";

/** dist/cli/verdict.mjs sits three levels above this file both in src/ (tsx) and in dist/ (compiled). */
export const CLI_BUNDLE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../dist/cli/verdict.mjs",
);

interface Bundle {
  mtimeMs: number;
  bytes: Buffer;
  etag: string;
}

/** The bundle as last read, read again only when the file changed (a rebuild under a running server). */
function bundleReader(file: string): () => Bundle | null {
  let kept: Bundle | null = null;
  return () => {
    let mtimeMs: number;
    try {
      mtimeMs = fs.statSync(file).mtimeMs;
    } catch {
      return null;
    }
    if (kept?.mtimeMs !== mtimeMs) {
      const bytes = fs.readFileSync(file);
      kept = { mtimeMs, bytes, etag: `"${createHash("sha256").update(bytes).digest("base64url")}"` };
    }
    return kept;
  };
}

/**
 * The reporter CLI as one self-contained file, so any pipeline can run it without a clone or an install:
 * `curl -fsSLO $VERDICT_URL/cli/verdict.mjs && node verdict.mjs report ...`. No token: the file holds no
 * secret and is the same for everyone. /cli/version lets the CLI tell a user its copy is stale.
 */
export async function cliDownloadRoutes(app: App, _ctx: AppContext) {
  const bundle = bundleReader(CLI_BUNDLE);

  app.get(
    "/cli/verdict.mjs",
    { config: { access: "public" }, schema: { hide: true } },
    async (req, reply) => {
      const found = bundle();
      if (!found) throw new ApiError("not_found", "The reporter CLI is not built here: run `npm run build`");
      reply
        .header("content-type", "text/javascript; charset=utf-8")
        .header("content-disposition", 'attachment; filename="verdict.mjs"')
        .header("cache-control", "no-cache")
        .header("etag", found.etag)
        .header("x-verdict-version", VERSION);
      if (req.headers["if-none-match"] === found.etag) return reply.code(304).send();
      return reply.send(found.bytes);
    },
  );

  app.get(
    "/cli/version",
    {
      config: { access: "public" },
      schema: { hide: true, response: { 200: Type.Object({ version: Type.String() }) } },
    },
    async () => ({ version: VERSION }),
  );
}
