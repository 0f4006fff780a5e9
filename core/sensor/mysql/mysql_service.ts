import type { SensorService, SensorSession } from "../sensor_service.ts";
import { wireText } from "../wire_text.ts";
import { mariadbUserText } from "./mariadb_user_text.ts";
import { mysqlGreeting } from "./mysql_greeting.ts";
import { type MysqlHandshakeResponse, parseHandshakeResponse } from "./parse_handshake_response.ts";

/** Options for {@linkcode createMysqlService}. */
export interface MysqlServiceOptions {
  /** Fills a buffer with random bytes (the scramble, the first thread id). @default crypto.getRandomValues */
  randomBytes?: (buffer: Uint8Array) => Uint8Array;
}

/** What Debian bookworm's mariadb-server 10.11 announces. */
const DEFAULT_VERSION = "5.5.5-10.11.19-MariaDB-0+deb12u1";
/** utf8mb4_general_ci, the collation-server of Debian's 50-server.cnf. */
const DEBIAN_COLLATION = 45;
/** A handshake response longer than this is read and dropped, never held (attributes stay under 64 KiB). */
const MAX_HANDSHAKE = 70_000;

/**
 * A MySQL service answering as Debian bookworm's MariaDB 10.11 without TLS:
 * its greeting, then "Access denied" (1045) to every login, with the
 * scramble and the client's response recorded (mysql_native; hashcat has no
 * mode for it) and MariaDB's errors for malformed handshakes.
 *
 * @example
 * ```ts
 * const fixed = createMysqlService({ randomBytes: (b) => b.fill(0x41) });
 * ```
 */
export function createMysqlService(options: MysqlServiceOptions = {}): SensorService {
  const randomBytes = options.randomBytes ?? ((b: Uint8Array) => crypto.getRandomValues(b));
  // A server that has been up a while: connection ids start past the first few.
  let threadId = 40 + (randomBytes(new Uint8Array(1))[0] % 200);
  return {
    name: "mysql",
    defaultPort: 3306,
    // MariaDB's connect_timeout: the handshake must arrive within 10 s.
    idleTimeoutMs: 10_000,
    serve: (session) => serveMysql(session, threadId++, scrambleFrom(randomBytes)),
  };
}

/** The MySQL sensor. */
export const mysqlService: SensorService = createMysqlService();

/** 20 bytes in 0x21-0x7e, as MariaDB's create_random_string draws them. */
function scrambleFrom(randomBytes: (b: Uint8Array) => Uint8Array): Uint8Array {
  return randomBytes(new Uint8Array(20)).map((b) => 0x21 + (b % 94));
}

async function serveMysql(
  session: SensorSession,
  threadId: number,
  scramble: Uint8Array,
): Promise<void> {
  const version = session.options.banner ?? DEFAULT_VERSION;
  await session.write(mysqlGreeting({ version, threadId, scramble, charset: DEBIAN_COLLATION }));
  const first = await readPacket(session, 1);
  if (first === null) return;
  const parsed = parseHandshakeResponse(first);
  if (parsed.kind === "bad_handshake") return await badHandshake(session, 2);
  if (parsed.kind === "old_client") {
    session.emit("auth_attempt", {
      username: wireText(parsed.user),
      method: "mysql_old_password",
      accepted: false,
    });
    return await session.write(errPacket(
      2,
      1251,
      null,
      text(
        "Client does not support authentication protocol requested by server; " +
          "consider upgrading MariaDB client",
      ),
    ));
  }
  const response = parsed.response;
  let auth = response.authResponse;
  let seq = 2;
  if (response.plugin !== "mysql_native_password") {
    // MariaDB asks the client to switch to the account's plugin, with the same scramble.
    await session.write(
      packet(seq, concat(text("\xfemysql_native_password\0"), scramble, text("\0"))),
    );
    const switched = await readPacket(session, seq + 1);
    if (switched === null) return;
    auth = switched;
    seq += 2;
  }
  if (auth.length !== 0 && auth.length !== 20) return await badHandshake(session, seq);
  record(session, response, scramble, auth);
  const host = isLoopback(session.remote.ip) ? "localhost" : session.remote.ip;
  await session.write(errPacket(
    seq,
    1045,
    "28000",
    concat(
      text("Access denied for user '"),
      mariadbUserText(response.user, response.charset),
      text(`'@'${host}' (using password: ${auth.length > 0 ? "YES" : "NO"})`),
    ),
  ));
}

function record(
  session: SensorSession,
  response: MysqlHandshakeResponse,
  scramble: Uint8Array,
  auth: Uint8Array,
): void {
  const username = wireText(response.user);
  const a = response.attributes;
  const library = [a._client_name, a._client_version].filter(Boolean).join(" ");
  const program = a.program_name;
  const clientIdent = program && library ? `${program} (${library})` : program || library;
  session.emit("auth_attempt", {
    username,
    method: "mysql_native_password",
    accepted: false,
    ...(clientIdent ? { client_ident: clientIdent } : {}),
    ...(response.database ? { database: wireText(response.database) } : {}),
    ...(Object.keys(a).length > 0 ? { client_attributes: a } : {}),
    ...(response.plugin !== "mysql_native_password" ? { client_plugin: response.plugin } : {}),
  });
  if (auth.length === 0) return;
  session.emit("credential", {
    username,
    secret_kind: "mysql_native",
    secret: `${hex(scramble)}:${hex(auth)}`,
  });
}

/**
 * The next packet's payload; answers "Got packets out of order" when its
 * sequence number is not `seq`, as MariaDB does before reading the payload.
 */
async function readPacket(session: SensorSession, seq: number): Promise<Uint8Array | null> {
  const header = await session.reader.readExact(4);
  if (header === null) return null;
  const length = header[0] | (header[1] << 8) | (header[2] << 16);
  if (header[3] !== seq) {
    await session.write(errPacket(1, 1156, "08S01", text("Got packets out of order")));
    return null;
  }
  if (length > MAX_HANDSHAKE) {
    for (let left = length; left > 0;) {
      const chunk = await session.reader.readSome();
      if (chunk === null) return null;
      left -= chunk.length;
    }
    await badHandshake(session, seq + 1);
    return null;
  }
  return await session.reader.readExact(length);
}

function badHandshake(session: SensorSession, seq: number): Promise<void> {
  return session.write(errPacket(seq, 1043, "08S01", text("Bad handshake")));
}

function errPacket(
  seq: number,
  code: number,
  state: string | null,
  message: Uint8Array,
): Uint8Array {
  const head = text(
    `\xff${String.fromCharCode(code & 0xff, code >> 8)}${state ? `#${state}` : ""}`,
  );
  return packet(seq, concat(head, message));
}

function packet(seq: number, payload: Uint8Array): Uint8Array {
  const n = payload.length;
  return concat(Uint8Array.of(n & 0xff, (n >> 8) & 0xff, n >> 16, seq & 0xff), payload);
}

function isLoopback(ip: string): boolean {
  return ip === "::1" || ip.startsWith("127.");
}

/** Bytes of a string holding one character per byte. */
function text(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
