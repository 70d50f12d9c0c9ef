import type { FastifyReply } from "fastify";
import type { AppContext } from "../../context.js";
import { errorBody } from "../../http/errors.js";
import type { App } from "../../http/types.js";

/**
 * Qase's public web paths, as its reporters print them at the end of a run
 * (`<host>/run/CODE/dashboard/ID`) and as people paste them, sent on to the web app's page for the
 * same thing. Public: the page itself asks to sign in.
 */
const CODE = /^[A-Za-z0-9]{1,10}$/;
/** An id the database can hold (a 32-bit integer), as every other route takes it. */
const isId = (s: string | undefined): s is string =>
  s !== undefined && /^[1-9][0-9]{0,9}$/.test(s) && Number(s) <= 2_147_483_647;

type Target = (p: Record<string, string>) => string | null;

const project = (code: string | undefined) => (code && CODE.test(code) ? `/projects/${code}` : null);
const under = (code: string | undefined, rest: string) => {
  const base = project(code);
  return base && `${base}${rest}`;
};
const withId = (code: string | undefined, id: string | undefined, rest: string) =>
  isId(id) ? under(code, `${rest}/${id}`) : null;

export const QASE_LINKS: Record<string, Target> = {
  "/project/:code": (p) => project(p.code),
  "/run/:code": (p) => under(p.code, "/runs"),
  "/run/:code/dashboard/:id": (p) => withId(p.code, p.id, "/runs"),
  "/plan/:code": (p) => under(p.code, "/plans"),
  "/defect/:code": (p) => under(p.code, "/defects"),
  // The web app lists defects on one page; there is no page per defect to go to.
  "/defect/:code/:id": (p) => (isId(p.id) ? under(p.code, "/defects") : null),
  // Qase names a case `CODE-ID`, as reporters print it next to a failed test.
  "/case/:ref": (p) => {
    const m = /^(.+)-([0-9]+)$/.exec(p.ref ?? "");
    return m ? withId(m[1], m[2], "/cases") : null;
  },
};

export async function qaseLinkRoutes(app: App, _ctx: AppContext) {
  for (const [url, target] of Object.entries(QASE_LINKS)) {
    app.get(
      url,
      { config: { access: "public", operational: false }, schema: { hide: true } },
      (req, reply: FastifyReply) => {
        const to = target(req.params as Record<string, string>);
        if (to === null) return reply.code(404).send(errorBody(`No page for ${req.url}`));
        return reply.redirect(to, 302);
      },
    );
  }
}
