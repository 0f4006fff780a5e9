import assert from "node:assert/strict";
import { ConnReader } from "../../../core/sensor/conn_reader.ts";
import { createImapService } from "../../../core/sensor/imap/imap_service.ts";
import { createPop3Service } from "../../../core/sensor/pop3/pop3_service.ts";
import type { SensorServiceOptions } from "../../../core/sensor/sensor_options.ts";
import { serveSensor } from "../../../core/sensor/serve_sensor.ts";

const MBOX = await Deno.readTextFile(new URL("../../testdata/mail/ana.mbox", import.meta.url));

// Words the IMAP and POP3 parsers branch on, so random commands reach deep paths.
const WORDS = [
  "LOGIN",
  "AUTHENTICATE",
  "PLAIN",
  "SELECT",
  "EXAMINE",
  "INBOX",
  "FETCH",
  "UID",
  "SEARCH",
  "STORE",
  "STATUS",
  "LIST",
  "LSUB",
  "IDLE",
  "DONE",
  "EXPUNGE",
  "CLOSE",
  "NOOP",
  "ID",
  "ENABLE",
  "APPEND",
  "COPY",
  "1",
  "0",
  "*",
  "1:*",
  "2,3:*",
  "4294967296",
  "(",
  ")",
  "[",
  "]",
  "<0.5>",
  '"',
  '""',
  "{3}",
  "{5+}",
  "NIL",
  "BODY[]",
  "BODY.PEEK[HEADER.FIELDS (SUBJECT)]",
  "BODY[TEXT]<2.3>",
  "ENVELOPE",
  "FLAGS",
  "+FLAGS",
  "(\\Seen)",
  "OR",
  "NOT",
  "FROM",
  "SINCE",
  "1-Dec-2026",
  "RETURN",
  "(ALL)",
  "USER",
  "PASS",
  "RETR",
  "TOP",
  "LIST",
  "DELE",
  "RSET",
  "UIDL",
  "STAT",
  "CAPA",
  "-1",
  "ana",
  "s3cret",
  "\u00ff",
  "\x00",
];

function random(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

function randomCommand(rand: () => number): string {
  const words = Array.from(
    { length: 1 + Math.floor(rand() * 8) },
    () => WORDS[Math.floor(rand() * WORDS.length)],
  );
  return `t${Math.floor(rand() * 99)} ${words.join(rand() < 0.9 ? " " : "")}`;
}

async function send(port: number, data: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const reader = new ConnReader(conn);
  try {
    await conn.write(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)).catch(() => {});
    await conn.closeWrite().catch(() => {});
    let out = "";
    for (
      let chunk = await reader.readSome().catch(() => null);
      chunk;
      chunk = await reader.readSome().catch(() => null)
    ) {
      out += String.fromCharCode(...chunk);
    }
    return out;
  } finally {
    conn.close();
  }
}

async function mailSensor(errors: unknown[]) {
  const spool = await Deno.makeTempDir({ prefix: "sensor-spool-" });
  await Deno.writeTextFile(`${spool}/ana`, MBOX);
  const options: SensorServiceOptions = {
    port: 0,
    mailSpool: spool,
    mailboxOwner: "ana",
    accept: [{ username: "ana", password: "s3cret" }],
  };
  const sensor = serveSensor({
    decky: "mail-01",
    hostname: "127.0.0.1",
    maxPerSource: 1000,
    services: [
      { service: createImapService({ authFailureDelayMs: 0 }), options },
      { service: createPop3Service({ authFailureDelayMs: 0 }), options: { ...options } },
    ],
    sink: () => {},
    onError: (_service, e) => errors.push(e),
  });
  const close = async () => {
    await sensor.close();
    await Deno.remove(spool, { recursive: true });
  };
  return {
    imap: sensor.ports.get("imap")!,
    pop3: sensor.ports.get("pop3")!,
    close,
    [Symbol.asyncDispose]: close,
  };
}

const GOOD_IMAP = "a1 LOGIN ana s3cret\r\na2 SELECT INBOX\r\na3 UID FETCH 1 (UID)\r\na4 LOGOUT\r\n";

Deno.test("imapService and pop3Service survive random commands, before and after login", async () => {
  const errors: unknown[] = [];
  await using sensor = await mailSensor(errors);
  const rand = random(15);
  for (let i = 0; i < 150; i++) {
    const lines = Array.from({ length: 20 }, () => randomCommand(rand)).join("\r\n");
    const login = i % 2 ? "a0 LOGIN ana s3cret\r\na1 SELECT INBOX\r\n" : "";
    const userPass = i % 2 ? "USER ana\r\nPASS s3cret\r\n" : "";
    await Promise.all([
      send(sensor.imap, `${login}${lines}\r\n`),
      send(sensor.pop3, `${userPass}${lines}\r\n`),
    ]);
  }
  for (let i = 0; i < 50; i++) {
    const bytes = Array.from(
      { length: Math.floor(rand() * 3000) },
      () => String.fromCharCode(Math.floor(rand() * 256)),
    )
      .join("");
    await Promise.all([send(sensor.imap, bytes), send(sensor.pop3, bytes)]);
  }
  assert.deepEqual(errors, []);
  assert.match(await send(sensor.imap, GOOD_IMAP), /\* 1 FETCH \(UID 1\)\r\na3 OK Fetch completed/);
});

Deno.test("imapService and pop3Service refuse oversize lines and literals, and truncated input", async () => {
  const errors: unknown[] = [];
  await using sensor = await mailSensor(errors);
  const long = "A".repeat(70_000);
  assert.match(
    await send(sensor.imap, `a1 ${long}\r\n`),
    /\r\n\* BYE Input buffer full, aborting\r\n$/,
  );
  assert.match(
    await send(sensor.pop3, `USER ${long}\r\n`),
    /\r\n-ERR Input buffer full, aborting\r\n$/,
  );
  assert.match(
    await send(sensor.imap, "a1 LOGIN {4294967295}\r\n"),
    /\r\n\* BYE Literal size too large\r\n$/,
  );
  assert.match(
    await send(sensor.imap, "a1 LOGIN ana s3cret\r\na2 SELECT {99999999}\r\n"),
    /\* BYE Literal size too large\r\n$/,
  );
  assert.match(await send(sensor.imap, "a1 LOGIN {10}\r\nabc"), /\+ OK\r\n$/);
  assert.match(await send(sensor.imap, "a1 AUTHENTICATE PLAIN\r\n"), /\+ \r\n$/);
  assert.match(await send(sensor.pop3, "AUTH PLAIN\r\nAGFu"), /\+ \r\n/);
  assert.deepEqual(errors, []);
});

Deno.test("imapService serves other clients while one sends a command a byte at a time", async () => {
  const errors: unknown[] = [];
  await using sensor = await mailSensor(errors);
  const slow = await Deno.connect({ hostname: "127.0.0.1", port: sensor.imap });
  const slowReader = new ConnReader(slow);
  try {
    await slowReader.readLine(1024);
    for (const c of "a1 LOGIN ana s3") {
      await slow.write(new TextEncoder().encode(c));
      const answer = await send(sensor.imap, GOOD_IMAP);
      assert.match(answer, /a4 OK Logout completed/);
    }
    await slow.write(new TextEncoder().encode("cret\r\n"));
    assert.match(await slowReader.readLine(4096) ?? "", /^a1 OK \[CAPABILITY IMAP4rev1 /);
  } finally {
    slow.close();
  }
  assert.deepEqual(errors, []);
});
