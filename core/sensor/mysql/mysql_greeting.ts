/** Fields of {@linkcode mysqlGreeting} that change per server or connection. */
export interface MysqlGreetingOptions {
  /** Server version string, e.g. "5.5.5-10.11.19-MariaDB-0+deb12u1". */
  version: string;
  /** Connection id. */
  threadId: number;
  /** 20 printable bytes (0x21-0x7e), as MariaDB draws them. */
  scramble: Uint8Array;
  /** Collation id of the server's default (45 = utf8mb4_general_ci, Debian's 50-server.cnf). */
  charset: number;
}

/** Capabilities MariaDB 10.11 announces without TLS (CLIENT_SSL off), low and high 16 bits. */
const CAPABILITIES_LOW = 0xf7fe;
const CAPABILITIES_HIGH = 0x81ff;
/** MariaDB's own extended capabilities (progress, COM_MULTI, stmt bulk, metadata extended). */
const MARIADB_CAPABILITIES = 0x0000001d;
/** SERVER_STATUS_AUTOCOMMIT. */
const STATUS = 0x0002;

/**
 * The initial handshake packet (protocol 10) exactly as MariaDB 10.11 sends
 * it when it has no TLS configured: packet header (sequence 0), version,
 * thread id, scramble in its two parts, capabilities, collation, status and
 * the auth plugin mysql_native_password.
 *
 * @example
 * ```ts
 * const packet = mysqlGreeting({
 *   version: "5.5.5-10.11.19-MariaDB-0+deb12u1",
 *   threadId: 3,
 *   scramble: new Uint8Array(20).fill(0x41),
 *   charset: 45,
 * });
 * ```
 */
export function mysqlGreeting(options: MysqlGreetingOptions): Uint8Array {
  if (options.scramble.length !== 20) {
    throw new RangeError(
      `Cannot build greeting: scramble must be 20 bytes, got ${options.scramble.length}`,
    );
  }
  const version = new TextEncoder().encode(options.version);
  const plugin = new TextEncoder().encode("mysql_native_password");
  const size = 1 + version.length + 1 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 6 + 4 + 12 + 1 +
    plugin.length + 1;
  const out = new Uint8Array(4 + size);
  const view = new DataView(out.buffer);
  view.setUint32(0, size, true);
  out[3] = 0;
  let at = 4;
  out[at++] = 10;
  out.set(version, at);
  at += version.length + 1;
  view.setUint32(at, options.threadId, true);
  at += 4;
  out.set(options.scramble.subarray(0, 8), at);
  at += 9;
  view.setUint16(at, CAPABILITIES_LOW, true);
  at += 2;
  out[at++] = options.charset;
  view.setUint16(at, STATUS, true);
  at += 2;
  view.setUint16(at, CAPABILITIES_HIGH, true);
  at += 2;
  out[at++] = 21; // length of the auth plugin data, its NUL included
  at += 6;
  view.setUint32(at, MARIADB_CAPABILITIES, true);
  at += 4;
  out.set(options.scramble.subarray(8), at);
  at += 13;
  out.set(plugin, at);
  return out;
}
