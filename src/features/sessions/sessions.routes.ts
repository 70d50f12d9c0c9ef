import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../../context.js";
import { OkSchema, ok, StatusOnlySchema } from "../../http/envelope.js";
import { fromLoopback } from "../../http/hosts.js";
import { principalOf } from "../../http/security.js";
import type { App } from "../../http/types.js";
import { presentUser } from "../users/users.present.js";
import { User } from "../users/users.schemas.js";
import {
  currentUser,
  login,
  logout,
  needsSetup,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  setupOwner,
} from "./sessions.service.js";

const LoginBody = Type.Object({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
const SetupBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  name: Type.String({ minLength: 1, maxLength: 255 }),
  password: Type.String({ minLength: 8, maxLength: 1024 }),
  /** Needed from anywhere but the server's own machine: the code `verdict serve` prints. */
  setup_code: Type.Optional(Type.String({ maxLength: 200 })),
});
const Me = OkSchema(Type.Object({ user: User, via: Type.String(), permissions: Type.Array(Type.String()) }));

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, secret: string) {
  reply.setCookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: "lax",
    secure: req.protocol === "https",
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export async function sessionRoutes(app: App, ctx: AppContext) {
  app.get(
    "/v1/auth/setup",
    {
      config: { access: "public" },
      schema: {
        response: {
          200: OkSchema(Type.Object({ needs_setup: Type.Boolean(), setup_code_required: Type.Boolean() })),
        },
      },
    },
    async (req) => ok({ needs_setup: await needsSetup(ctx), setup_code_required: !fromLoopback(req.ip) }),
  );

  app.post(
    "/v1/auth/setup",
    {
      config: { access: "public", setsSession: true },
      schema: { body: SetupBody, response: { 200: StatusOnlySchema } },
    },
    async (req, reply) => {
      const secret = await setupOwner(ctx, req.body, req.ip, req.headers["user-agent"] ?? null);
      setSessionCookie(req, reply, secret);
      return { status: true };
    },
  );

  app.post(
    "/v1/auth/login",
    {
      config: { access: "public", setsSession: true },
      schema: { body: LoginBody, response: { 200: StatusOnlySchema } },
    },
    async (req, reply) => {
      const secret = await login(
        ctx,
        req.body.email,
        req.body.password,
        req.ip,
        req.headers["user-agent"] ?? null,
      );
      setSessionCookie(req, reply, secret);
      return { status: true };
    },
  );

  app.post(
    "/v1/auth/logout",
    { config: { access: "authenticated" }, schema: { response: { 200: StatusOnlySchema } } },
    async (req, reply) => {
      await logout(ctx, principalOf(req));
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { status: true };
    },
  );

  app.get(
    "/v1/auth/me",
    { config: { access: "authenticated" }, schema: { response: { 200: Me } } },
    async (req) => {
      const p = principalOf(req);
      return ok({
        user: presentUser(await currentUser(ctx, p)),
        via: p.via,
        permissions: [...p.permissions].sort(),
      });
    },
  );
}
