import type { Selectable } from "kysely";
import type { Db, UsersTable } from "../../db/database.js";

export type UserRow = Omit<Selectable<UsersTable>, "password_hash">;

const PUBLIC_COLUMNS = ["id", "email", "name", "role", "is_active", "created_at", "updated_at"] as const;

export function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom("users").select(PUBLIC_COLUMNS).where("id", "=", id).executeTakeFirst();
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom("users")
    .select(PUBLIC_COLUMNS)
    .where("email", "=", email.toLowerCase())
    .executeTakeFirst();
}

/** The only query that reads a password hash: used by login alone. */
export function findCredentials(
  db: Db,
  email: string,
): Promise<{ id: number; password_hash: string | null; is_active: number } | undefined> {
  return db
    .selectFrom("users")
    .select(["id", "password_hash", "is_active"])
    .where("email", "=", email.toLowerCase())
    .executeTakeFirst();
}

export async function insertUser(
  db: Db,
  u: { email: string; name: string; role: string; password_hash: string | null; at: number },
): Promise<UserRow> {
  return db
    .insertInto("users")
    .values({
      email: u.email.toLowerCase(),
      name: u.name,
      role: u.role,
      password_hash: u.password_hash,
      is_active: 1,
      created_at: u.at,
      updated_at: u.at,
    })
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countActiveOwners(db: Db): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "owner")
    .where("is_active", "=", 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listUsers(db: Db, limit: number, offset: number): Promise<UserRow[]> {
  return db.selectFrom("users").select(PUBLIC_COLUMNS).orderBy("id").limit(limit).offset(offset).execute();
}

export async function updateUser(
  db: Db,
  id: number,
  patch: { role?: string; is_active?: number; password_hash?: string; name?: string },
  at: number,
): Promise<void> {
  await db
    .updateTable("users")
    .set({ ...patch, updated_at: at })
    .where("id", "=", id)
    .execute();
}
