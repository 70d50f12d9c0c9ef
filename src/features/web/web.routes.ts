import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyReply } from "fastify";
import type { AppContext } from "../../context.js";
import { errorBody } from "../../http/errors.js";
import type { App } from "../../http/types.js";
import { qaseLinkRoutes } from "./qase-links.routes.js";

/** web/dist sits three levels above this file both in src/ (tsx) and in dist/ (compiled). */
export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web/dist");

/**
 * Client-side routes of the single-page app (web/src/App.tsx); each serves index.html, so a fresh load or
 * a reload of any page works. test/web-routes.test.ts reads the router and checks each of its paths.
 */
const PAGES = ["/", "/projects", "/projects/*", "/search", "/tokens", "/workspace", "/workspace/*"];

const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

function pageHeaders(reply: FastifyReply) {
  reply
    .header("content-security-policy", CSP)
    .header("x-frame-options", "DENY")
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "same-origin");
}

export async function webRoutes(app: App, ctx: AppContext) {
  await qaseLinkRoutes(app, ctx);
  const built = fs.existsSync(path.join(WEB_ROOT, "index.html"));
  await app.register(fastifyStatic, { root: built ? WEB_ROOT : process.cwd(), serve: false });

  const notBuilt = (reply: FastifyReply) =>
    reply.code(404).send(errorBody("The web app is not built here: run `npm run build`"));

  for (const url of PAGES) {
    app.get(
      url,
      { config: { access: "public", operational: false }, schema: { hide: true } },
      (_req, reply) => {
        if (!built) return notBuilt(reply);
        pageHeaders(reply);
        // The page itself is never cached, so a new release is picked up at once; its assets are.
        return reply
          .header("cache-control", "no-cache")
          .sendFile("index.html", WEB_ROOT, { cacheControl: false });
      },
    );
  }

  // Browsers ask for /favicon.ico whatever the page names; the icon is one SVG (web/public/favicon.svg).
  app.get(
    "/favicon.ico",
    { config: { access: "public", operational: false }, schema: { hide: true } },
    (_req, reply) => reply.redirect("/favicon.svg", 301),
  );
  app.get(
    "/favicon.svg",
    { config: { access: "public", operational: false }, schema: { hide: true } },
    (_req, reply) => {
      if (!built) return notBuilt(reply);
      return reply.header("cache-control", "public, max-age=86400").sendFile("favicon.svg", WEB_ROOT);
    },
  );

  app.get(
    "/assets/*",
    { config: { access: "public", operational: false }, schema: { hide: true } },
    (req, reply) => {
      if (!built) return notBuilt(reply);
      const file = (req.params as { "*": string })["*"];
      reply.header("x-content-type-options", "nosniff");
      // Vite puts a content hash in every asset name, so they can be kept for a year.
      return reply.sendFile(file, path.join(WEB_ROOT, "assets"), { immutable: true, maxAge: "365d" });
    },
  );
}
