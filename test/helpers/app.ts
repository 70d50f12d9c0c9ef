import { type BuiltApp, buildApp } from "../../src/app.js";
import { cliPrincipal } from "../../src/cli/shared.js";
import { type Config, loadConfig } from "../../src/config.js";
import { createProject } from "../../src/features/projects/projects.service.js";
import { type CreateTokenInput, createToken } from "../../src/features/tokens/tokens.service.js";
import type { UserRow } from "../../src/features/users/users.repository.js";
import { createUser } from "../../src/features/users/users.service.js";
import type { Role } from "../../src/http/permissions.js";
import type { RateLimiter } from "../../src/http/rate-limit.js";
import type { TestDialect, TestStore } from "./stores.js";

export interface TestApp extends BuiltApp {
  store: TestStore;
  config: Config;
  close(): Promise<void>;
  /** A user of the given role, with password "password-123". */
  user(role: Role, email?: string): Promise<UserRow>;
  /** A token secret for the user; defaults to a full-scope token that never expires. */
  token(user: UserRow, input?: Partial<CreateTokenInput>): Promise<string>;
  project(code: string, owner: UserRow, access?: "all" | "group" | "none"): Promise<void>;
}

let seq = 0;

export async function startApp(
  dialect: TestDialect,
  opts: {
    env?: Record<string, string>;
    limiter?: RateLimiter;
    logger?: BuiltApp["app"]["log"] | object | false;
    /** Where files (attachments) go; tests that write files pass a temp directory. */
    dataDir?: string;
  } = {},
): Promise<TestApp> {
  const store = await dialect.open();
  const config = loadConfig(
    { dataDir: opts.dataDir ?? "/nonexistent" },
    // Port 80: the Host that app.inject sends is localhost:80, one of this server's names.
    { VERDICT_RATE_LIMIT: "100000", VERDICT_PORT: "80", ...opts.env },
  );
  const built = await buildApp({
    config,
    store,
    ...(opts.limiter ? { limiter: opts.limiter } : {}),
    logger: (opts.logger as false | undefined) ?? false,
  });
  return {
    ...built,
    store,
    config,
    async close() {
      await built.app.close();
      await store.dispose();
    },
    user: (role, email) =>
      createUser(built.ctx, null, {
        email: email ?? `${role}-${++seq}@example.test`,
        name: `${role} ${seq}`,
        role,
        password: "password-123",
      }),
    async token(user, input = {}) {
      const issued = await createToken(built.ctx, cliPrincipal(user), {
        title: input.title ?? "test token",
        expiresInDays: null,
        ...input,
      });
      return issued.secret;
    },
    async project(code, owner, access = "all") {
      await createProject(built.ctx, cliPrincipal(owner), { title: `Project ${code}`, code, access });
    },
  };
}
