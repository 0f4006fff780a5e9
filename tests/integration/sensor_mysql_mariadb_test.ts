import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createMysqlService } from "../../core/sensor/mysql/mysql_service.ts";
import type { SensorEvent } from "../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { findBinary } from "../infra/find_binary.ts";
import { mariaDbUnavailable, startMariaDb } from "../infra/mariadb.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { handshakeResponse, mysqlPacket } from "../core/sensor/mysql/_handshake.ts";
import { latin1, nmapService, nmapUnavailable } from "./_sensor_wire.ts";

const noMariaDb = mariaDbUnavailable();
const encoder = new TextEncoder();

/** What each client sends after the greeting (a list: one write each, the next after an answer). */
const PROBES: [string, Uint8Array[]][] = [
  ["password", [handshakeResponse()]],
  ["no password", [handshakeResponse({ auth: new Uint8Array(0) })]],
  ["empty user", [handshakeResponse({ user: "" })]],
  ["database and attributes", [
    handshakeResponse({
      database: "mysql",
      attributes: [["_client_name", "libmariadb"], ["_os", "Linux"]],
    }),
  ]],
  ["user of 300 bytes", [handshakeResponse({ user: "u".repeat(300) })]],
  ["quote, backslash and a broken byte", [
    handshakeResponse({ user: Uint8Array.of(0x61, 0x27, 0x62, 0x5c, 0xff) }),
  ]],
  ["4-byte UTF-8 and truncated sequences", [
    handshakeResponse({ user: Uint8Array.of(0xf0, 0x9f, 0x98, 0x80, 0x78, 0x61, 0xe2, 0x82) }),
  ]],
  ["latin1 client", [handshakeResponse({ user: Uint8Array.of(0xe9), charset: 8 })]],
  ["auth response of 5 bytes", [handshakeResponse({ auth: new Uint8Array(5).fill(1) })]],
  ["no PLUGIN_AUTH", [handshakeResponse({ capabilities: 0x1 | 0x4 | 0x200 | 0x8000 })]],
  ["caching_sha2_password, then the switched response", [
    handshakeResponse({ plugin: "caching_sha2_password", auth: new Uint8Array(32).fill(0x22) }),
    mysqlPacket(3, new Uint8Array(20).fill(0x33)),
  ]],
  ["SSL request (no TLS configured)", [
    mysqlPacket(
      1,
      Uint8Array.from([0x00, 0x8a, 0x08, 0x00, 0, 0, 0, 1, 45, ...new Array(23).fill(0)]),
    ),
  ]],
  ["empty packet", [mysqlPacket(1, new Uint8Array(0))]],
  ["10-byte packet", [mysqlPacket(1, Uint8Array.of(5, 0xa6, 15, 0, 0, 0, 0, 1, 33, 0))]],
  ["pre-4.1 client", [
    mysqlPacket(1, Uint8Array.of(5, 0, 0xff, 0xff, 0xff, 0x62, 0x6f, 0x62, 0, 1, 1)),
  ]],
  ["user without NUL", [handshakeResponse().slice(0, 36 + 3)]],
  ["auth length past the end", [
    mysqlPacket(1, Uint8Array.from([...handshakeResponse().slice(4, 36), 0x62, 0, 0x50, 1, 2])),
  ]],
  ["sequence 0", [handshakeResponse({ seq: 0 })]],
  ["HTTP request", [encoder.encode("GET / HTTP/1.0\r\n\r\n")]],
];

interface Transcript {
  greeting: Uint8Array;
  answers: Uint8Array[];
}

/** Reads the greeting, then sends each message and reads its answer; the last answer runs to the close. */
async function converse(port: number, messages: Uint8Array[]): Promise<Transcript> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const guard = setTimeout(() => conn.close(), 20_000);
  try {
    const greeting = await readPacketFrom(conn);
    const answers: Uint8Array[] = [];
    for (const [i, message] of messages.entries()) {
      await conn.write(message);
      answers.push(i < messages.length - 1 ? await readPacketFrom(conn) : await readToEnd(conn));
    }
    return { greeting, answers };
  } finally {
    clearTimeout(guard);
    try {
      conn.close();
    } catch {
      // closed by the guard
    }
  }
}

async function readPacketFrom(conn: Deno.Conn): Promise<Uint8Array> {
  let buf = new Uint8Array(0);
  const chunk = new Uint8Array(4096);
  const need = () => buf.length < 4 ? 4 : 4 + (buf[0] | (buf[1] << 8) | (buf[2] << 16));
  while (buf.length < need()) {
    const n = await conn.read(chunk);
    if (n === null) break;
    const next = new Uint8Array(buf.length + n);
    next.set(buf);
    next.set(chunk.subarray(0, n), buf.length);
    buf = next;
  }
  return buf;
}

async function readToEnd(conn: Deno.Conn): Promise<Uint8Array> {
  const parts: number[] = [];
  const chunk = new Uint8Array(4096);
  for (;;) {
    let n: number | null;
    try {
      n = await conn.read(chunk);
    } catch (e) {
      if (e instanceof Deno.errors.ConnectionReset) break;
      throw e;
    }
    if (n === null) break;
    parts.push(...chunk.subarray(0, n));
  }
  return Uint8Array.from(parts);
}

/** The greeting's scramble, and the greeting with it and the thread id masked. */
function maskGreeting(greeting: Uint8Array): { scramble: string; masked: string } {
  const text = latin1(greeting);
  const idAt = text.indexOf("\0", 5) + 1;
  const scramble = text.slice(idAt + 4, idAt + 12) + text.slice(idAt + 31, idAt + 43);
  const masked = text.slice(0, idAt) + "TTTT" + "S".repeat(8) + text.slice(idAt + 12, idAt + 31) +
    "S".repeat(12) + text.slice(idAt + 43);
  return { scramble, masked };
}

function maskAnswers(t: Transcript): string[] {
  const { scramble } = maskGreeting(t.greeting);
  return t.answers.map((a) => latin1(a).replaceAll(scramble, "S".repeat(20)));
}

Deno.test({
  name:
    "mysqlService answers like Debian's MariaDB 10.11, byte for byte but scramble and thread id",
  ignore: noMariaDb !== undefined,
  async fn() {
    await using mariadb = await startMariaDb({ collation: "utf8mb4_general_ci" });
    const real0 = await converse(mariadb.port, []);
    const version = latin1(real0.greeting).slice(5, latin1(real0.greeting).indexOf("\0", 5));
    assert.match(version, /^5\.5\.5-10\.11\.\d+-MariaDB-0\+deb12u\d+$/);
    await using sensor = serveSensor({
      decky: "d",
      hostname: "127.0.0.1",
      services: [{ service: createMysqlService(), options: { port: 0, banner: version } }],
      sink: () => {},
    });
    const port = sensor.ports.get("mysql")!;
    const results = await Promise.all(PROBES.map(async ([name, messages]) => {
      const [real, ours] = await Promise.all([
        converse(mariadb.port, messages),
        converse(port, messages),
      ]);
      return { name, real, ours };
    }));
    for (const { name, real, ours } of results) {
      assert.equal(maskGreeting(ours.greeting).masked, maskGreeting(real.greeting).masked, name);
      assert.deepEqual(maskAnswers(ours), maskAnswers(real), name);
    }
  },
});

Deno.test("mysqlService greets as the MariaDB of Debian bookworm by default", async () => {
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{ service: createMysqlService(), options: { port: 0 } }],
    sink: () => {},
  });
  const { greeting } = await converse(sensor.ports.get("mysql")!, []);
  assert.equal(latin1(greeting.subarray(4, 38)), "\n5.5.5-10.11.19-MariaDB-0+deb12u1\0");
});

/** What mysql_native_password sends: SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))). */
function nativeResponse(scramble: Uint8Array, password: string): string {
  const sha1 = (b: Uint8Array) => new Uint8Array(createHash("sha1").update(b).digest());
  const stage1 = sha1(encoder.encode(password));
  const mix = sha1(Uint8Array.from([...scramble, ...sha1(stage1)]));
  return Array.from(stage1, (b, i) => (b ^ mix[i]).toString(16).padStart(2, "0")).join("");
}

Deno.test({
  name: "mysqlService refuses the mariadb client as MariaDB does and records a crackable response",
  ignore: findBinary("mariadb") === undefined,
  async fn() {
    const events: SensorEvent[] = [];
    await using sensor = serveSensor({
      decky: "db01",
      hostname: "127.0.0.1",
      services: [{ service: createMysqlService(), options: { port: 0 } }],
      sink: (e) => events.push(e),
    });
    const port = sensor.ports.get("mysql")!;
    const out = await new Deno.Command(findBinary("mariadb")!, {
      args: ["--no-defaults", "-h", "127.0.0.1", "-P", String(port), "-u", "root", "-pX", "shop"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 1);
    assert.equal(
      new TextDecoder().decode(out.stderr),
      "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)\n",
    );
    await waitUntil(() => events.some((e) => e.kind === "disconnect"), { what: "disconnect" });
    const attempt = events.find((e) => e.kind === "auth_attempt")!;
    assert.equal(attempt.username, "root");
    assert.equal(attempt.database, "shop");
    assert.match(String(attempt.client_ident), /^mysql \(libmariadb \d+\.\d+\.\d+\)$/);
    const credential = events.find((e) => e.kind === "credential")!;
    assert.equal(credential.secret_kind, "mysql_native");
    assert.equal(credential.hashcat_mode, undefined);
    const [scrambleHex, responseHex] = String(credential.secret).split(":");
    const scramble = Uint8Array.from(scrambleHex.match(/../g)!, (h) => parseInt(h, 16));
    assert.equal(responseHex, nativeResponse(scramble, "X"));
  },
});

Deno.test({
  name: "mysqlService is named MySQL 5.5.5-10.11.19-MariaDB by nmap -sV",
  ignore: nmapUnavailable() !== undefined,
  async fn() {
    await using sensor = serveSensor({
      decky: "d",
      hostname: "127.0.0.1",
      services: [{ service: createMysqlService(), options: { port: 0 } }],
      sink: () => {},
    });
    assert.deepEqual(await nmapService(sensor.ports.get("mysql")!), {
      name: "mysql",
      product: "MySQL",
      version: "5.5.5-10.11.19-MariaDB-0+deb12u1",
    });
  },
});
