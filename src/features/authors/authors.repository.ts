import { sql } from "kysely";
import type { Db } from "../../db/database.js";
import { containsPattern } from "../../db/like-pattern.js";

/** Never the password hash: authors are read by every project reader. */
const AUTHOR_COLUMNS = ["id", "email", "name", "is_active"] as const;

export interface AuthorUserRow {
  id: number;
  email: string;
  name: string;
  is_active: number;
}

export async function listAuthorUsers(db: Db, search: string | undefined, limit: number, offset: number) {
  let q = db.selectFrom("users");
  const total = q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow();
  if (search) {
    const p = containsPattern(search);
    q = q.where(sql<boolean>`(lower(name) like ${p} escape '\\' or lower(email) like ${p} escape '\\')`);
  }
  const [t, f, rows] = await Promise.all([
    total,
    q.select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow(),
    q.select(AUTHOR_COLUMNS).orderBy("id").limit(limit).offset(offset).execute(),
  ]);
  return { rows: rows as AuthorUserRow[], total: Number(t.n), filtered: Number(f.n) };
}

export async function countAuthorUsers(db: Db): Promise<number> {
  const r = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function findAuthorUser(db: Db, id: number): Promise<AuthorUserRow | undefined> {
  return db.selectFrom("users").select(AUTHOR_COLUMNS).where("id", "=", id).executeTakeFirst();
}

export async function allUserIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom("users").select("id").orderBy("id").execute();
  return rows.map((r) => Number(r.id));
}
