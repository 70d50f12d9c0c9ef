import { errorCodes } from "fastify";
import type { App } from "./types.js";

/**
 * The official Qase clients (axios) send body-less calls such as POST /v1/run/{code}/{id}/complete
 * with `Content-Type: application/x-www-form-urlencoded` and an empty body. Take exactly that as "no
 * body"; a form that carries anything is still refused like any other unsupported media type.
 */
export function acceptEmptyFormBodies(app: App) {
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (req, body, done) => {
    if (body.length === 0) done(null, undefined);
    else done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(req.headers["content-type"]), undefined);
  });
}
