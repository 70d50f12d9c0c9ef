import type { ColumnType, Generated, Kysely, Transaction } from "kysely";

/** Times are epoch milliseconds (bigint in PostgreSQL, integer in SQLite); flags are 0/1 integers. */
type Millis = number;
type Flag = number;

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string | null;
  role: string;
  is_active: Flag;
  created_at: Millis;
  updated_at: Millis;
}

export interface SessionsTable {
  id: Generated<number>;
  user_id: number;
  secret_hash: string;
  created_at: Millis;
  expires_at: Millis;
  last_seen_at: Millis;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  secret_hash: string;
  preview: string;
  /** Comma-separated scope names. */
  scopes: string;
  /** JSON array of project codes, or null for every project the owner can reach. */
  projects: string | null;
  expires_at: Millis | null;
  /** Lifetime kept so that rotation gives the new secret the same policy; null = never expires. */
  lifetime_ms: Millis | null;
  created_at: Millis;
  rotated_at: Millis | null;
  last_used_at: Millis | null;
  last_used_ip: string | null;
  revoked_at: Millis | null;
}

export interface ProjectsTable {
  id: Generated<number>;
  code: string;
  title: string;
  description: string | null;
  access: string;
  settings: string;
  created_by: number | null;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

export interface ProjectMembersTable {
  project_id: number;
  user_id: number;
  created_at: Millis;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Millis;
  actor_user_id: number | null;
  actor_token_id: number | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  details: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: ColumnType<Millis, Millis | undefined, Millis>;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  projects: ProjectsTable;
  project_members: ProjectMembersTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
}

export type Dialect = "sqlite" | "postgres";

/** What repositories take as their first argument: the database or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;
