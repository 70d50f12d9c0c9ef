import type { Command } from "commander";
import { iso } from "../db/time.js";
import {
  createUser,
  listUsersPage,
  requireUser,
  setUserActive,
  setUserRole,
} from "../features/users/users.service.js";
import { printTable, readStdin, withContext, withStoreOptions } from "./shared.js";

export function usersCommand(program: Command) {
  const users = program.command("users").description("manage users");

  withStoreOptions(users.command("create"))
    .description("create a user")
    .requiredOption("--email <email>", "sign-in email")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--role <role>", "owner | admin | member | viewer")
    .option("--password-stdin", "read the password from standard input")
    .action(
      async (flags: {
        email: string;
        name: string;
        role: string;
        passwordStdin?: boolean;
        dataDir?: string;
      }) => {
        const password = flags.passwordStdin ? await readStdin() : undefined;
        const user = await withContext(flags, (ctx) =>
          createUser(ctx, null, { email: flags.email, name: flags.name, role: flags.role, password }),
        );
        console.log(`created user ${user.id} ${user.email} (${user.role})`);
      },
    );

  withStoreOptions(users.command("list"))
    .description("list users")
    .action(async (flags: { dataDir?: string }) => {
      const { rows } = await withContext(flags, (ctx) => listUsersPage(ctx, 100000, 0));
      printTable(
        rows.map((u) => ({
          id: u.id,
          email: u.email,
          name: u.name,
          role: u.role,
          active: u.is_active === 1 ? "yes" : "no",
          created: iso(u.created_at),
        })),
      );
    });

  withStoreOptions(users.command("deactivate"))
    .description("deactivate a user: sessions end and tokens stop working at once")
    .argument("<email>")
    .action(async (email: string, flags: { dataDir?: string }) => {
      await withContext(flags, async (ctx) => setUserActive(ctx, null, await requireUser(ctx, email), false));
      console.log(`deactivated ${email}`);
    });

  withStoreOptions(users.command("activate"))
    .description("reactivate a user")
    .argument("<email>")
    .action(async (email: string, flags: { dataDir?: string }) => {
      await withContext(flags, async (ctx) => setUserActive(ctx, null, await requireUser(ctx, email), true));
      console.log(`activated ${email}`);
    });

  withStoreOptions(users.command("set-role"))
    .description("change a user's workspace role")
    .argument("<email>")
    .argument("<role>", "owner | admin | member | viewer")
    .action(async (email: string, role: string, flags: { dataDir?: string }) => {
      await withContext(flags, async (ctx) => setUserRole(ctx, null, await requireUser(ctx, email), role));
      console.log(`${email} is now ${role}`);
    });
}
