import assert from "node:assert/strict";
import { createImapService } from "../../core/sensor/imap/imap_service.ts";
import { createPop3Service } from "../../core/sensor/pop3/pop3_service.ts";
import type { SensorServiceOptions } from "../../core/sensor/sensor_options.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { dovecotUnavailable, startDovecot } from "../infra/dovecot.ts";
import { imapStep, type MailStep, mailTranscript, pop3Step } from "./_mail_transcript.ts";

const MBOX = await Deno.readTextFile(new URL("../testdata/mail/ana.mbox", import.meta.url));

/**
 * What differs between two runs of Dovecot itself: completion times,
 * UIDVALIDITY (the mbox's creation time) and the UIDL's UIDVALIDITY half.
 */
function normalise(transcript: string): string {
  return transcript
    .replace(/\(\d+\.\d{3} \+ \d+\.\d{3}(?: \+ \d+\.\d{3})? secs\)/g, "(T secs)")
    .replace(/UIDVALIDITY \d+/g, "UIDVALIDITY V")
    .replace(/^(\+OK )?(\d+ [0-9a-f]{8})[0-9a-f]{8}\r$/gm, "$1$2vvvvvvvv\r");
}

const imap = (...lines: string[]) => lines.map(imapStep);
const pop3 = (...lines: string[]) => lines.map(pop3Step);
// A line without a usable tag gets one untagged answer.
const untagged = (line: string): MailStep => ({
  send: `${line}\r\n`,
  done: (r) => r.endsWith("\r\n"),
});

// Played in this order against both servers: later sessions see the flags
// and expunges earlier ones left, so the sensor's shared state is compared too.
const SESSIONS: [string, "imap" | "pop3", MailStep[]][] = [
  [
    "the first exchange",
    "imap",
    imap(
      "a1 CAPABILITY",
      "a2 LOGIN ana wrong",
      "a3 LOGIN ana s3cret",
      "a4 CAPABILITY",
      "a5 SELECT INBOX",
      "a6 FETCH 1 (FLAGS BODY[HEADER.FIELDS (SUBJECT)])",
      "a7 UID SEARCH ALL",
      "a8 FOO",
      "a9 LOGOUT",
    ),
  ],
  [
    "bad commands before login",
    "imap",
    imap("a0 NOOP", "a1", "a2 ID NIL", "a3 STARTTLS", 'a4 LIST "" *', "a5 FOO", "a6 LOGIN ana"),
  ],
  [
    "AUTHENTICATE PLAIN",
    "imap",
    imap(
      "a1 AUTHENTICATE FOO",
      "a2 AUTHENTICATE PLAIN",
      "*",
      "a3 AUTHENTICATE PLAIN",
      "notbase64!!",
      "a4 AUTHENTICATE PLAIN",
      "AGFuYQBzM2NyZXQ=",
      "a5 LOGOUT",
    ),
  ],
  ["blank lines and invalid tags (nmap's GetRequest probe)", "imap", [
    ...imap("GET / HTTP/1.0"),
    untagged(""),
    ...imap("a1 LOGIN ana s3cret"),
    ...["", "  ", "* NOOP", "+ x"].map(untagged),
    ...imap("a2 NOOP", "a3 LOGOUT"),
  ]],
  [
    "literals",
    "imap",
    imap("a1 LOGIN {3}", "ana {6}", "s3cret", "a2 EXAMINE {5+}\r\nINBOX", "a3 SELECT {99999999}"),
  ],
  [
    "mail commands",
    "imap",
    imap(
      'b1 LOGIN "ana" "s3cret"',
      'b2 LIST "" *',
      'b3 LSUB "" *',
      'b4 LIST "" ""',
      "b5 STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)",
      "b6 EXAMINE INBOX",
      "b7 FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)",
      "b8 FETCH 1:3 ENVELOPE",
      "b9 FETCH 2 BODY.PEEK[]",
      "c1 FETCH 1 BODY.PEEK[TEXT]<0.10>",
      "c2 FETCH 3 (BODY.PEEK[HEADER] BODYSTRUCTURE)",
      "c3 UID FETCH 2 (BODY.PEEK[TEXT] BODY)",
      "c4 SEARCH UNSEEN",
      "c5 SEARCH FROM tom",
      "c6 SEARCH SUBJECT lunch",
      "c7 SEARCH SINCE 1-Dec-2026",
      "c8 SEARCH OR FROM tom TEXT noon",
      "c9 FETCH 5 FLAGS",
      "d1 FETCH",
      "d2 FETCH 1 (FOO)",
      "d3 SEARCH SINCE garbage",
      "d4 SELECT Nope",
      "d5 FETCH 1 FAST",
      "d6 NAMESPACE",
      "d7 SELECT INBOX",
      "d8 FETCH 2 RFC822",
      "d9 FETCH 1 (ENVELOPE BODY[HEADER.FIELDS.NOT (SUBJECT FROM)] UID)",
      "e1 STORE 3 +FLAGS (\\Deleted)",
      "e2 UID SEARCH RETURN (ALL) UNDELETED",
      "e3 EXPUNGE",
      "e4 STATUS INBOX (MESSAGES UNSEEN)",
      "e5 IDLE",
      "DONE",
      "e6 CLOSE",
      "e7 LOGOUT",
    ),
  ],
  [
    "POP3 before login",
    "pop3",
    pop3(
      "CAPA",
      "USER ana",
      "PASS wrong",
      "AUTH",
      "AUTH FOO",
      "PASS x",
      "STLS",
      "APOP ana 0123456789abcdef0123456789abcdef",
      "FOO",
      "AUTH PLAIN",
      "AGFuYQBzM2NyZXQ=",
      "CAPA",
      "QUIT",
    ),
  ],
  [
    "POP3 transaction",
    "pop3",
    pop3(
      "USER ana",
      "PASS s3cret",
      "STAT",
      "LIST",
      "LIST 2",
      "LIST 9",
      "UIDL",
      "UIDL 1",
      "TOP 1 2",
      "TOP 1 x",
      "RETR 2",
      "RETR 3",
      "TOP 3 2",
      "RETR abc",
      "DELE 1",
      "DELE 1",
      "LIST",
      "RSET",
      "NOOP",
      "FOO",
      "DELE 2",
      "QUIT",
    ),
  ],
  ["POP3 bad commands", "pop3", pop3("FOO", "BAR", "BAZ", "QUX")],
  ["POP3 blank lines", "pop3", pop3("", "USER ana", "PASS s3cret", "", "NOOP", "QUIT")],
];

Deno.test({
  name: "imapService and pop3Service answer as Debian's Dovecot does, byte for byte",
  ignore: dovecotUnavailable() !== undefined,
  async fn(t) {
    await using dovecot = await startDovecot({ user: "ana", password: "s3cret", mbox: MBOX });
    const spool = await Deno.makeTempDir({ prefix: "sensor-spool-" });
    try {
      await Deno.writeTextFile(`${spool}/ana`, MBOX);
      const options: SensorServiceOptions = {
        port: 0,
        mailSpool: spool,
        mailboxOwner: "ana",
        accept: [{ username: "ana", password: "s3cret" }],
      };
      await using sensor = serveSensor({
        decky: "mail-01",
        hostname: "127.0.0.1",
        services: [
          { service: createImapService({ authFailureDelayMs: 1 }), options },
          { service: createPop3Service({ authFailureDelayMs: 1 }), options: { ...options } },
        ],
        sink: () => {},
      });
      for (const [what, protocol, steps] of SESSIONS) {
        await t.step(what, async () => {
          const realPort = protocol === "imap" ? dovecot.imapPort : dovecot.pop3Port;
          const real = normalise(await mailTranscript(realPort, steps));
          const ours = normalise(await mailTranscript(sensor.ports.get(protocol)!, steps));
          assert.equal(ours, real, `transcripts differ; dovecot log:\n${await dovecot.readLog()}`);
        });
      }
    } finally {
      await Deno.remove(spool, { recursive: true });
    }
  },
});
