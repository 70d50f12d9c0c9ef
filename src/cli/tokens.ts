import type { Command } from "commander";
import { iso } from "../db/time.js";
import {
  createToken,
  listTokensFor,
  parseScopes,
  revokeTokenById,
  tokenStatus,
} from "../features/tokens/tokens.service.js";
import { requireUser } from "../features/users/users.service.js";
import { cliPrincipal, machinePrincipal, printTable, withContext, withStoreOptions } from "./shared.js";

/** `7d`, `90d`, `never`, or an ISO date. */
export function parseExpiresIn(raw: string): { expiresInDays?: number | null; expiresAt?: string } {
  if (raw === "never") return { expiresInDays: null };
  const days = /^(\d+)d$/.exec(raw);
  if (days) return { expiresInDays: Number(days[1]) };
  if (!Number.isNaN(Date.parse(raw))) return { expiresAt: raw };
  throw new Error(`--expires-in must look like 7d, 30d, 90d, 365d, never or a date, got "${raw}"`);
}

const collect = (value: string, prev: string[] = []) => [
  ...prev,
  ...value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
];

export function tokensCommand(program: Command) {
  const tokens = program.command("tokens").description("manage personal access tokens");

  withStoreOptions(tokens.command("create"))
    .description("create a token; prints the secret alone on stdout, once")
    .requiredOption("--user <email>", "the token's owner; it inherits their role")
    .requiredOption("--name <name>", "what the token is for, e.g. 'GitHub Actions - nightly'")
    .option("--expires-in <when>", "7d | 30d | 60d | 90d | 180d | 365d | <n>d | never | YYYY-MM-DD", "90d")
    .option("--scope <scope...>", "read | results | full (repeatable or comma-separated)", collect)
    .option("--project <code...>", "restrict to these project codes (repeatable)", collect)
    .action(
      async (flags: {
        user: string;
        name: string;
        expiresIn: string;
        scope?: string[];
        project?: string[];
        dataDir?: string;
      }) => {
        const expiry = parseExpiresIn(flags.expiresIn);
        const issued = await withContext(flags, async (ctx) => {
          const owner = await requireUser(ctx, flags.user);
          return createToken(ctx, cliPrincipal(owner), {
            title: flags.name,
            ...expiry,
            scopes: flags.scope,
            projects: flags.project ?? null,
          });
        });
        process.stdout.write(`${issued.secret}\n`);
      },
    );

  withStoreOptions(tokens.command("list"))
    .description("list tokens (secrets are never shown)")
    .option("--user <email>", "only this user's tokens")
    .option("--all", "include revoked tokens")
    .action(async (flags: { user?: string; all?: boolean; dataDir?: string }) => {
      const { rows } = await withContext(flags, async (ctx) => {
        if (flags.user) {
          const owner = await requireUser(ctx, flags.user);
          return listTokensFor(ctx, cliPrincipal(owner), {
            all: false,
            includeRevoked: flags.all === true,
            limit: 100000,
            offset: 0,
          });
        }
        return listTokensFor(ctx, machinePrincipal(), {
          all: true,
          includeRevoked: flags.all === true,
          limit: 100000,
          offset: 0,
        });
      });
      printTable(
        rows.map((t) => ({
          id: t.id,
          user: t.user_email,
          name: t.name,
          preview: t.preview,
          scopes: parseScopes(t.scopes).join(","),
          projects: t.projects ? (JSON.parse(t.projects) as string[]).join(",") : "all",
          status: tokenStatus(t),
          expires: iso(t.expires_at) ?? "never",
          last_used: iso(t.last_used_at) ?? "never",
        })),
      );
    });

  withStoreOptions(tokens.command("revoke"))
    .description("revoke a token: it answers 401 everywhere at once")
    .argument("<id>", "token id (see tokens list)")
    .action(async (id: string, flags: { dataDir?: string }) => {
      await withContext(flags, async (ctx) => {
        await revokeTokenById(ctx, machinePrincipal(), Number(id));
      });
      console.log(`revoked token ${id}`);
    });
}
