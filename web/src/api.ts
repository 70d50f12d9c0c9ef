/** The web app talks to the same public API as every other client, authenticated by the session cookie. */
export interface FieldError {
  field: string;
  error: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }

  fieldError(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.error;
  }
}

const EXPLAINED: Record<number, string> = {
  401: "Your session has ended. Sign in again.",
  403: "You do not have permission to do this.",
  404: "This no longer exists, or you cannot see it.",
  410: "This has been deleted.",
  413: "That is larger than the server accepts.",
  429: "Too many requests. Wait a moment and try again.",
  503: "Verdict is down for maintenance. Try again shortly.",
};

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as {
    result?: T;
    errorMessage?: string;
    errorFields?: FieldError[];
  } | null;
  if (!res.ok) {
    const words = EXPLAINED[res.status];
    const detail = json?.errorMessage;
    const message =
      words && detail ? `${words} (${detail})` : (detail ?? words ?? `Request failed (${res.status})`);
    throw new ApiError(res.status, message, json?.errorFields ?? []);
  }
  return (json?.result ?? json) as T;
}

export interface Page<T> {
  total: number;
  filtered: number;
  count: number;
  entities: T[];
}

export interface Me {
  user: { id: number; name: string; email: string; role: string };
  via: string;
  permissions: string[];
}

export interface Project {
  title: string;
  code: string;
  description: string | null;
  access: string;
  settings?: { auto_create_cases?: boolean };
  counts: {
    cases: number;
    suites: number;
    runs: { total: number; active: number };
    defects: { total: number; open: number };
  };
}

export interface Token {
  id: number;
  title: string;
  preview: string;
  scopes: string[];
  projects: string[] | null;
  status: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
  user: { id: number; email: string; name: string };
}

export interface TokenPolicy {
  token_max_lifetime_days: number | null;
  token_allow_never: boolean;
}
