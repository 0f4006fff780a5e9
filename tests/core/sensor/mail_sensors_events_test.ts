import assert from "node:assert/strict";
import { ConnReader } from "../../../core/sensor/conn_reader.ts";
import { createImapService } from "../../../core/sensor/imap/imap_service.ts";
import { createPop3Service } from "../../../core/sensor/pop3/pop3_service.ts";
import type { SensorEvent } from "../../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../../core/sensor/serve_sensor.ts";
import { waitUntil } from "../../infra/wait_until.ts";

async function talk(port: number, lines: string[]): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const reader = new ConnReader(conn);
  await conn.write(new TextEncoder().encode(lines.map((l) => `${l}\r\n`).join("")));
  let out = "";
  for (let chunk = await reader.readSome(); chunk; chunk = await reader.readSome()) {
    out += new TextDecoder().decode(chunk);
  }
  conn.close();
  return out;
}

Deno.test("imapService records credentials, client ident and commands, never a password in a command", async () => {
  const events: SensorEvent[] = [];
  const spool = await Deno.makeTempDir();
  try {
    await using sensor = serveSensor({
      decky: "mail-01",
      hostname: "127.0.0.1",
      services: [{
        service: createImapService({ authFailureDelayMs: 0 }),
        options: {
          port: 0,
          mailSpool: spool,
          mailboxOwner: "ana",
          accept: [{ username: "ana", password: "pw1" }],
        },
      }],
      sink: (e) => events.push(e),
    });
    const out = await talk(sensor.ports.get("imap")!, [
      'a1 ID ("name" "Thunderbird" "version" "115.3")',
      "a2 LOGIN root toor",
      `a3 AUTHENTICATE PLAIN ${btoa("\0ana\0pw1")}`,
      "a4 SELECT INBOX",
      "a5 LOGOUT",
    ]);
    assert.match(out, /a2 NO \[AUTHENTICATIONFAILED\] Authentication failed\.\r\n/);
    assert.match(out, /a3 OK \[CAPABILITY IMAP4rev1 /);
    // The spool is empty: the generated INBOX is served.
    assert.match(out, /\* 4 EXISTS\r\n/);
    await waitUntil(() => events.some((e) => e.kind === "disconnect"), { what: "disconnect" });
    const pick = (kind: string, ...fields: string[]) =>
      events.filter((e) => e.kind === kind).map((e) => fields.map((f) => e[f]));
    assert.deepEqual(pick("auth_attempt", "username", "method", "accepted"), [
      ["root", "LOGIN", false],
      ["ana", "PLAIN", true],
    ]);
    assert.deepEqual(pick("credential", "username", "secret_kind", "secret"), [
      ["root", "password", "toor"],
      ["ana", "password", "pw1"],
    ]);
    assert.deepEqual(pick("auth_success", "username"), [["ana"]]);
    assert.deepEqual(pick("command", "command", "client_ident"), [
      ['a1 ID ("name" "Thunderbird" "version" "115.3")', "Thunderbird 115.3"],
      ["a2 LOGIN root", undefined],
      ["a3 AUTHENTICATE PLAIN", undefined],
      ["a4 SELECT INBOX", undefined],
      ["a5 LOGOUT", undefined],
    ]);
  } finally {
    await Deno.remove(spool, { recursive: true });
  }
});

Deno.test("pop3Service records USER/PASS and AUTH PLAIN attempts, never a password in a command", async () => {
  const events: SensorEvent[] = [];
  await using sensor = serveSensor({
    decky: "mail-01",
    hostname: "127.0.0.1",
    services: [{
      service: createPop3Service({ authFailureDelayMs: 0 }),
      options: { port: 0, accept: [{ username: "ana", password: "pw1" }] },
    }],
    sink: (e) => events.push(e),
  });
  const out = await talk(sensor.ports.get("pop3")!, [
    "USER root",
    "PASS toor",
    `AUTH PLAIN ${btoa("\0ana\0pw1")}`,
    "STAT",
    "QUIT",
  ]);
  assert.match(out, /-ERR \[AUTH\] Authentication failed\.\r\n\+OK Logged in\.\r\n\+OK 4 \d+\r\n/);
  await waitUntil(() => events.some((e) => e.kind === "disconnect"), { what: "disconnect" });
  assert.deepEqual(
    events.filter((e) => e.kind === "credential").map((e) => [e.username, e.secret]),
    [["root", "toor"], ["ana", "pw1"]],
  );
  assert.deepEqual(
    events.filter((e) => e.kind === "command").map((e) => e.command),
    ["USER root", "PASS", "AUTH PLAIN", "STAT", "QUIT"],
  );
});
