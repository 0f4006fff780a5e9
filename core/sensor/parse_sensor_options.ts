import type { AcceptedCredential, SensorServiceOptions } from "./sensor_options.ts";

/**
 * The option keys of one sensor service, as written in the fleet file
 * (`ssh.banner`) and in `decnet sensor --config` (snake_case).
 */
export const SENSOR_OPTION_KEYS = [
  "port",
  "banner",
  "hostname",
  "accept",
  "mailbox_owner",
  "mail_spool",
  "upstream",
  "upstream_key",
] as const;

/** One of {@linkcode SENSOR_OPTION_KEYS}. */
export type SensorOptionKey = typeof SENSOR_OPTION_KEYS[number];

const MAX_TEXT = 256;

/** Whether `text` holds a C0 control character or DEL (a banner must not smuggle CR/LF). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
const HOST_PORT_REGEXP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const LOGIN_REGEXP = /^[A-Za-z0-9._-]{1,32}$/;

/**
 * Checks one service's options, given as a JSON object with snake_case keys
 * (`{"port": 2222, "accept": ["root:toor"]}`), and returns them camelCase.
 * `accept` is a list of `user:password` strings (or one comma-separated
 * string, the fleet file's form); paths must be absolute.
 *
 * @param raw The options object.
 * @param service The service name, used in error messages (`ssh.port`).
 * @returns The options, validated.
 * @throws {TypeError} naming the field and the value
 * @example
 * ```ts
 * parseSensorOptions({ port: 2222, accept: "root:toor" }, "ssh");
 * // { port: 2222, accept: [{ username: "root", password: "toor" }] }
 * ```
 */
export function parseSensorOptions(raw: unknown, service: string): SensorServiceOptions {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TypeError(
      `Cannot read sensor options: ${service} expected an object, got ${show(raw)}`,
    );
  }
  const out: SensorServiceOptions = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = `${service}.${key}`;
    const fail = (expected: string) =>
      new TypeError(
        `Cannot read sensor options: ${field} expected ${expected}, got ${show(value)}`,
      );
    const text = (): string => {
      if (typeof value !== "string" || value.length === 0 || value.length > MAX_TEXT) {
        throw fail(`text of 1-${MAX_TEXT} characters`);
      }
      if (hasControl(value)) throw fail("text without control characters");
      return value;
    };
    const path = (): string => {
      const p = text();
      if (!p.startsWith("/") || p.split("/").includes("..")) throw fail("an absolute path");
      return p;
    };
    switch (key as SensorOptionKey) {
      case "port": {
        const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
        if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 65535) {
          throw fail("a port 1-65535");
        }
        out.port = n;
        break;
      }
      case "banner":
        out.banner = text();
        break;
      case "hostname":
        out.hostname = text();
        if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(out.hostname)) throw fail("a host name");
        break;
      case "accept":
        // The value holds passwords: the error names the field only.
        out.accept = parseAccept(value, () =>
          new TypeError(
            `Cannot read sensor options: ${field} expected a list of "user:password", got a malformed entry`,
          ));
        break;
      case "mailbox_owner":
        out.mailboxOwner = text();
        if (!LOGIN_REGEXP.test(out.mailboxOwner)) throw fail("a login of letters, digits, . _ -");
        break;
      case "mail_spool":
        out.mailSpool = path();
        break;
      case "upstream": {
        const raw = text();
        if (!HOST_PORT_REGEXP.test(raw)) throw fail("host:port like 127.0.0.1:2222");
        const port = Number(raw.slice(raw.lastIndexOf(":") + 1));
        if (port < 1 || port > 65535) throw fail("host:port like 127.0.0.1:2222");
        // ssh2 and Deno take an IPv6 address without its brackets.
        const hostname = raw.slice(0, raw.lastIndexOf(":")).replace(/^\[(.*)\]$/, "$1");
        out.upstream = { hostname, port };
        break;
      }
      case "upstream_key":
        out.upstreamKeyPath = path();
        break;
      default:
        throw new TypeError(
          `Cannot read sensor options: ${field} expected one of ${
            SENSOR_OPTION_KEYS.join(", ")
          }, got ${show(key)}`,
        );
    }
  }
  return out;
}

function parseAccept(value: unknown, fail: () => TypeError): AcceptedCredential[] {
  const items = typeof value === "string"
    ? value.split(",").map((s) => s.trim()).filter(Boolean)
    : value;
  if (!Array.isArray(items)) throw fail();
  return items.map((item) => {
    if (typeof item !== "string") throw fail();
    const at = item.indexOf(":");
    const username = item.slice(0, at);
    const password = item.slice(at + 1);
    if (at < 1 || password === "" || item.length > MAX_TEXT || hasControl(item)) {
      throw fail();
    }
    return { username, password };
  });
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
}
