import { createHash } from "node:crypto";
import type { AppContext } from "../../context.js";
import { fail } from "../../http/errors.js";
import { MAX_ROW_ID } from "../../http/schema-bounds.js";
import {
  type AuthorUserRow,
  allUserIds,
  countAuthorUsers,
  findAuthorUser,
  listAuthorUsers,
} from "./authors.repository.js";

/** Fixed namespace: a user's author UUID is the same on every call and every node. */
const NAMESPACE = Buffer.from("5c3e8a3e6f2b4d0a9b1e7c4d2a6f8e10", "hex");

/** RFC 4122 version 5 (SHA-1, name-based) UUID of the user id. */
export function authorUuid(userId: number): string {
  const h = createHash("sha1").update(NAMESPACE).update(`user:${userId}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Every Verdict author is a user (there are no app authors); the ids are the user's. */
export function presentAuthor(u: AuthorUserRow) {
  const id = Number(u.id);
  return {
    id,
    uuid: authorUuid(id),
    author_id: id,
    entity_type: "user",
    entity_id: id,
    email: u.email,
    name: u.name,
    is_active: Number(u.is_active) === 1,
  };
}

export async function listAuthorsPage(
  ctx: AppContext,
  filter: { search?: string | undefined; type?: "app" | "user" | undefined },
  limit: number,
  offset: number,
) {
  if (filter.type === "app") return { entities: [], total: await countAuthorUsers(ctx.db), filtered: 0 };
  const r = await listAuthorUsers(ctx.db, filter.search, limit, offset);
  return { entities: r.rows.map(presentAuthor), total: r.total, filtered: r.filtered };
}

/** By UUID or by the deprecated integer id; 404 when no user matches. */
export async function getAuthor(ctx: AppContext, key: string) {
  let userId: number | undefined;
  if (/^[1-9]\d{0,9}$/.test(key)) {
    // Past the id range no user can have it: not found, without asking the database.
    if (Number(key) <= MAX_ROW_ID) userId = Number(key);
  } else {
    const uuid = key.toLowerCase();
    // Name-based UUIDs cannot be reversed; workspaces have few users, so compare against each.
    userId = (await allUserIds(ctx.db)).find((id) => authorUuid(id) === uuid);
  }
  const user = userId === undefined ? undefined : await findAuthorUser(ctx.db, userId);
  if (!user) throw fail.notFound(`Author ${key}`);
  return presentAuthor(user);
}
