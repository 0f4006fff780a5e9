import assert from "node:assert/strict";
import { hashPassword } from "../../../web/mod.ts";
import type { TestApp } from "../test_app.ts";

/** Markup an attacker sends (a user agent, a username, notes): pages must show it escaped. */
export const ATTACKER_MARKUP = `<img src=x onerror="alert(1)">`;

/**
 * Creates `username` with `role` and signs it in through the login form, as a
 * browser does; returns the `session=...` cookie pair.
 */
export async function pageSession(
  t: TestApp,
  user: { username: string; role: "admin" | "viewer" },
): Promise<string> {
  const password = `${user.username}-password-1`;
  await t.repos.users.create({
    username: user.username,
    passwordHash: await hashPassword(password),
    role: user.role,
  });
  const res = await t.request("/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: user.username, password }).toString(),
  });
  return (res.headers.get("set-cookie") ?? "").split(";")[0];
}

/**
 * GETs page `path` with the session `cookie` and returns its HTML, asserting
 * 200 and that {@linkcode ATTACKER_MARKUP} is nowhere in it unescaped.
 */
export async function readPage(t: TestApp, path: string, cookie: string): Promise<string> {
  const res = await t.request(path, { headers: { cookie } });
  assert.equal(res.status, 200, path);
  const html = await res.text();
  assert.ok(!html.includes(ATTACKER_MARKUP), `${path} renders attacker text as markup`);
  return html;
}
