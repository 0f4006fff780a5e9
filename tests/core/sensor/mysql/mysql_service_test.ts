import assert from "node:assert/strict";
import { mariadbUserText } from "../../../../core/sensor/mysql/mariadb_user_text.ts";
import { createMysqlService } from "../../../../core/sensor/mysql/mysql_service.ts";
import { parseHandshakeResponse } from "../../../../core/sensor/mysql/parse_handshake_response.ts";
import type { SensorEvent } from "../../../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../../../core/sensor/serve_sensor.ts";
import { waitUntil } from "../../../infra/wait_until.ts";
import { assertSurvivesBadInput } from "../_bad_input.ts";
import { handshakeResponse, mysqlPacket } from "./_handshake.ts";

const FIXED = createMysqlService({ randomBytes: (b) => b.fill(0) });
const SCRAMBLE_HEX = "21".repeat(20); // byte 0 maps to 0x21, the first printable

async function talk(port: number, messages: Uint8Array[]): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const buf = new Uint8Array(4096);
  await conn.read(buf);
  for (const m of messages) {
    await conn.write(m);
    await conn.read(buf);
  }
  while (await conn.read(buf) !== null) { /* to the close */ }
  conn.close();
}

async function eventsOf(messages: Uint8Array[]): Promise<SensorEvent[]> {
  const events: SensorEvent[] = [];
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{ service: FIXED, options: { port: 0 } }],
    sink: (e) => events.push(e),
  });
  await talk(sensor.ports.get("mysql")!, messages);
  await waitUntil(() => events.some((e) => e.kind === "disconnect"), { what: "disconnect" });
  return events;
}

Deno.test("mysqlService records user, database, client and scramble:response", async () => {
  const events = await eventsOf([
    handshakeResponse({
      user: "sa",
      database: "crm",
      attributes: [["_client_name", "pymysql"], ["_client_version", "1.1.0"]],
    }),
  ]);
  const attempt = events.find((e) => e.kind === "auth_attempt")!;
  assert.deepEqual(
    [attempt.username, attempt.database, attempt.client_ident, attempt.accepted],
    ["sa", "crm", "pymysql 1.1.0", false],
  );
  const credential = events.find((e) => e.kind === "credential")!;
  assert.equal(credential.secret, `${SCRAMBLE_HEX}:${"11".repeat(20)}`);
});

Deno.test("mysqlService records the response a client sends after the switch to native", async () => {
  const events = await eventsOf([
    handshakeResponse({ plugin: "caching_sha2_password", auth: new Uint8Array(32) }),
    mysqlPacket(3, new Uint8Array(20).fill(0xab)),
  ]);
  assert.equal(
    events.find((e) => e.kind === "auth_attempt")!.client_plugin,
    "caching_sha2_password",
  );
  assert.equal(
    events.find((e) => e.kind === "credential")!.secret,
    `${SCRAMBLE_HEX}:${"ab".repeat(20)}`,
  );
});

Deno.test("mysqlService records no credential for a login without password", async () => {
  const events = await eventsOf([handshakeResponse({ auth: new Uint8Array(0) })]);
  assert.ok(events.some((e) => e.kind === "auth_attempt"));
  assert.ok(!events.some((e) => e.kind === "credential"));
});

Deno.test("parseHandshakeResponse() refuses an SSL request as a server without TLS does", () => {
  const ssl = Uint8Array.from([0x00, 0x8a, 0x08, 0x00, 0, 0, 0, 1, 45, ...new Array(23).fill(0)]);
  assert.deepEqual(parseHandshakeResponse(ssl), {
    kind: "bad_handshake",
    reason: "SSL requested, none configured",
  });
});

Deno.test("mariadbUserText() keeps latin1 bytes for a latin1 client and '?' for broken UTF-8", () => {
  assert.deepEqual(mariadbUserText(Uint8Array.of(0xe9), 8), Uint8Array.of(0xe9));
  assert.deepEqual(
    mariadbUserText(Uint8Array.of(0x61, 0xe2, 0x82), 45),
    Uint8Array.of(0x61, 0x3f, 0x3f),
  );
  assert.equal(mariadbUserText(new Uint8Array(300).fill(0x75), 45).length, 128);
});

Deno.test("mysqlService survives random, truncated and oversize input and slow clients", async () => {
  const oversize = new Uint8Array(100_004);
  oversize.set([0x00, 0x86, 0x01, 0x01]); // a 100,000-byte packet: read and dropped, not held
  await assertSurvivesBadInput(FIXED, {
    seeds: [
      handshakeResponse({ database: "db", attributes: [["_os", "Linux"]] }),
      handshakeResponse({ plugin: "caching_sha2_password" }),
      oversize,
    ],
    greeting: (b) => b.length === 104 && b[4] === 10,
  });
});
