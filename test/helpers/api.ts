import type { TestApp } from "./app.js";

/** An API answer as the suites assert it: status code and parsed JSON body (null when empty). */
export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are asserted field by field
  body: any;
}

/**
 * `call(method, url, payload?, auth?)` through the app: auth is a token secret ("" sends none) or extra
 * headers merged over the default token. The app and default token are read at call time, since suites
 * create them in beforeAll.
 */
export function apiCaller(app: () => TestApp["app"], defaultToken: () => string) {
  return async (
    method: string,
    url: string,
    payload?: unknown,
    auth: string | Record<string, string> = defaultToken(),
  ): Promise<Reply> => {
    const headers =
      typeof auth === "string" ? (auth ? { token: auth } : {}) : { token: defaultToken(), ...auth };
    const res = await app().inject({
      method: method as "GET",
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body === "" ? null : res.json() };
  };
}

/** The field names of a 422's errorFields. */
export function fieldsOf(r: Reply): string[] {
  return (r.body.errorFields ?? []).map((f: { field: string }) => f.field);
}
