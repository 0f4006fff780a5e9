import { wireText } from "../wire_text.ts";

/** Form field names that carry a user name, most specific first. */
const USER_FIELDS = [
  "username",
  "user",
  "login",
  "email",
  "uname",
  "userid",
  "user_name",
  "name",
  "log",
];
/** Form field names that carry a password. */
const PASSWORD_FIELDS = ["password", "pass", "passwd", "pwd", "passw", "secret"];

/**
 * The user name and password in an application/x-www-form-urlencoded body,
 * whatever a client calls its fields (username/user/login/email...,
 * password/pass/pwd...); null when the body holds no password field.
 *
 * @param body the body bytes as a latin1 string (one character per byte)
 * @returns the decoded pair (percent-escapes and '+' undone, UTF-8 when valid)
 * @example
 * ```ts
 * formCredentials("username=admin&password=hunter%212"); // { username: "admin", password: "hunter!2" }
 * ```
 */
export function formCredentials(body: string): { username: string; password: string } | null {
  const fields = new Map<string, string>();
  for (const pair of body.split("&")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const name = decode(pair.slice(0, eq)).toLowerCase();
    if (!fields.has(name)) fields.set(name, decode(pair.slice(eq + 1)));
  }
  const password = PASSWORD_FIELDS.map((f) => fields.get(f)).find((v) => v !== undefined);
  if (password === undefined) return null;
  const username = USER_FIELDS.map((f) => fields.get(f)).find((v) => v !== undefined) ?? "";
  return { username, password };
}

/** Percent-decoding of raw bytes that never throws on a bad escape (kept as typed). */
function decode(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "+") bytes.push(0x20);
    else if (c === "%" && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0) & 0xff);
  }
  return wireText(Uint8Array.from(bytes));
}
