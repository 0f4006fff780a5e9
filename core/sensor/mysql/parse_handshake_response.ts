import { wireText } from "../wire_text.ts";

/** Client capability bits the parser reads. */
const CLIENT_CONNECT_WITH_DB = 0x8;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const CLIENT_CONNECT_ATTRS = 0x100000;
const CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;

/** A HandshakeResponse41 MariaDB would go on to authenticate. */
export interface MysqlHandshakeResponse {
  capabilities: number;
  /** Collation id the client asked for. */
  charset: number;
  /** Raw bytes of the user name. */
  user: Uint8Array;
  /** The scrambled password (empty: no password given). */
  authResponse: Uint8Array;
  /** Raw bytes of the initial database, when the client named one. */
  database?: Uint8Array;
  /** The client's auth plugin; mysql_native_password when it names none. */
  plugin: string;
  /** Connection attributes (_client_name, _os, program_name, ...), as text (see wireText). */
  attributes: Record<string, string>;
}

/** The outcome of {@linkcode parseHandshakeResponse}, by MariaDB's answer to it. */
export type MysqlHandshakeResult =
  | { kind: "response"; response: MysqlHandshakeResponse }
  /** A pre-4.1 client: MariaDB refuses it with error 1251. */
  | { kind: "old_client"; user: Uint8Array }
  /** What MariaDB answers "Bad handshake" (1043): malformed, or an SSL request it cannot serve. */
  | { kind: "bad_handshake"; reason: string };

/**
 * Parses the client's handshake response packet payload as MariaDB 10.11's
 * parse_client_handshake_packet does, refusing what it refuses: a payload
 * shorter than its fixed part, an SSL request (this server has no TLS), a
 * user name without its NUL, an auth response running past the end,
 * malformed connection attributes.
 *
 * @param payload the packet's payload (its 4-byte header removed)
 * @returns the response, or how MariaDB refuses it
 * @example
 * ```ts
 * const r = parseHandshakeResponse(new Uint8Array(2));
 * // r.kind === "bad_handshake"
 * ```
 */
export function parseHandshakeResponse(payload: Uint8Array): MysqlHandshakeResult {
  if (payload.length < 2) return bad("shorter than 2 bytes");
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let capabilities = view.getUint16(0, true);
  if (!(capabilities & CLIENT_PROTOCOL_41)) {
    if (payload.length < 5) return bad("pre-4.1 response shorter than 5 bytes");
    const end = payload.indexOf(0, 5);
    if (end < 0) return bad("user without NUL");
    return { kind: "old_client", user: payload.slice(5, end) };
  }
  if (payload.length < 32) return bad("shorter than 32 bytes");
  capabilities = view.getUint32(0, true);
  if (capabilities & CLIENT_SSL) return bad("SSL requested, none configured");
  const charset = payload[8];
  let at = 32;
  const userEnd = payload.indexOf(0, at);
  if (userEnd < 0) return bad("user without NUL");
  const user = payload.slice(at, userEnd);
  at = userEnd + 1;
  let authLength: number;
  if (capabilities & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) {
    const n = readLenenc(payload, at);
    if (n === null) return bad("auth response length past the end");
    [authLength, at] = n;
  } else if (capabilities & CLIENT_SECURE_CONNECTION) {
    if (at >= payload.length) return bad("auth response length past the end");
    authLength = payload[at++];
  } else {
    const end = payload.indexOf(0, at);
    authLength = (end < 0 ? payload.length : end) - at;
  }
  const withDb = (capabilities & CLIENT_CONNECT_WITH_DB) !== 0;
  if (at + authLength + (withDb ? 1 : 0) > payload.length) return bad("auth response past the end");
  const authResponse = payload.slice(at, at + authLength);
  at += authLength;
  if (!(capabilities & CLIENT_SECURE_CONNECTION) && !(capabilities & CLIENT_PLUGIN_AUTH)) at++;
  let database: Uint8Array | undefined;
  if (withDb) {
    const end = nulOrEnd(payload, at);
    database = payload.slice(at, end);
    at = end + 1;
  }
  let plugin = "mysql_native_password";
  if (capabilities & CLIENT_PLUGIN_AUTH && at < payload.length) {
    const end = nulOrEnd(payload, at);
    plugin = latin1(payload.subarray(at, end));
    at = end + 1;
  }
  const attributes: Record<string, string> = {};
  if (capabilities & CLIENT_CONNECT_ATTRS && at < payload.length) {
    const total = readLenenc(payload, at);
    if (total === null || total[1] + total[0] > payload.length) {
      return bad("attributes past the end");
    }
    const end = total[1] + total[0];
    at = total[1];
    while (at < end) {
      const key = readLenencString(payload, at, end);
      if (key === null) return bad("attribute key past the end");
      const value = readLenencString(payload, key[1], end);
      if (value === null) return bad("attribute value past the end");
      attributes[wireText(key[0])] = wireText(value[0]);
      at = value[1];
    }
  }
  return {
    kind: "response",
    response: { capabilities, charset, user, authResponse, database, plugin, attributes },
  };
}

function bad(reason: string): MysqlHandshakeResult {
  return { kind: "bad_handshake", reason };
}

function nulOrEnd(bytes: Uint8Array, from: number): number {
  const end = bytes.indexOf(0, from);
  return end < 0 ? bytes.length : end;
}

/** A length-encoded integer at `at`: [value, offset after it], or null past the end. */
function readLenenc(bytes: Uint8Array, at: number): [number, number] | null {
  if (at >= bytes.length) return null;
  const first = bytes[at];
  const width = first < 0xfb
    ? 0
    : first === 0xfc
    ? 2
    : first === 0xfd
    ? 3
    : first === 0xfe
    ? 8
    : -1;
  if (width < 0) return null;
  if (width === 0) return [first, at + 1];
  if (at + 1 + width > bytes.length) return null;
  let value = 0;
  for (let i = width - 1; i >= 0; i--) value = value * 256 + bytes[at + 1 + i];
  return [value, at + 1 + width];
}

function readLenencString(bytes: Uint8Array, at: number, end: number): [Uint8Array, number] | null {
  const n = readLenenc(bytes, at);
  if (n === null || n[1] + n[0] > end) return null;
  return [bytes.slice(n[1], n[1] + n[0]), n[1] + n[0]];
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}
