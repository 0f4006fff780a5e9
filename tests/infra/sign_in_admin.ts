import assert from "node:assert/strict";

/** The admin of a running decnet API, signed in, with JSON helpers that check the status. */
export interface AdminApi {
  /** The bearer header of the admin's session (add content-type for bodies). */
  headers: { authorization: string };
  /** GETs `path` and returns its JSON, asserting 200. */
  get<T = unknown>(path: string): Promise<T>;
  /** POSTs `body` as JSON to `path` and returns the answer's JSON, asserting 201. */
  post<T = unknown>(path: string, body: unknown): Promise<T>;
}

/**
 * Signs in as `admin` with `password` (what `decnet up` prints on its first
 * start) at `api`, the base URL the API listens on.
 *
 * @example
 * ```ts
 * import { signInAdmin } from "./sign_in_admin.ts";
 * declare const api: string, password: string;
 * const admin = await signInAdmin(api, password);
 * const { total } = await admin.get<{ total: number }>("/api/v1/alerts/rules");
 * ```
 */
export async function signInAdmin(
  api: string,
  password: string,
  options: { client?: Deno.HttpClient } = {},
): Promise<AdminApi> {
  // An HTTPS API with a test CA needs its own client (`Deno.createHttpClient({ caCerts })`).
  const fetch = (url: string, init: RequestInit = {}) =>
    globalThis.fetch(url, { ...init, client: options.client });
  const login = await fetch(`${api}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const headers = { authorization: `Bearer ${(await login.json()).access_token}` };
  return {
    headers,
    async get<T>(path: string): Promise<T> {
      const res = await fetch(`${api}${path}`, { headers });
      assert.equal(res.status, 200, await res.clone().text());
      return await res.json();
    },
    async post<T>(path: string, body: unknown): Promise<T> {
      const res = await fetch(`${api}${path}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 201, await res.clone().text());
      return await res.json();
    },
  };
}
