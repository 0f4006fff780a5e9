/**
 * Mail sensor throughput (issue 15): whole IMAP sessions per second (LOGIN,
 * SELECT INBOX, UID FETCH of one message, LOGOUT, each command waiting for
 * its answer, as a client does) and POP3 sessions (USER/PASS, STAT, RETR,
 * QUIT), sequential and with 8 clients at once, against the sensor and,
 * when installed, against Debian's Dovecot serving the same mbox.
 */
import { createImapService } from "../../core/sensor/imap/imap_service.ts";
import { createPop3Service } from "../../core/sensor/pop3/pop3_service.ts";
import type { SensorServiceOptions } from "../../core/sensor/sensor_options.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { dovecotUnavailable, startDovecot } from "../infra/dovecot.ts";
import { imapStep, mailTranscript, pop3Step } from "../integration/_mail_transcript.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

const MBOX = await Deno.readTextFile(new URL("../testdata/mail/ana.mbox", import.meta.url));
const IMAP = [
  "a1 LOGIN ana s3cret",
  "a2 SELECT INBOX",
  "a3 UID FETCH 2 (FLAGS BODY.PEEK[])",
  "a4 LOGOUT",
]
  .map(imapStep);
const POP3 = ["USER ana", "PASS s3cret", "STAT", "RETR 2", "QUIT"].map(pop3Step);
const N = 1000;

async function concurrent(
  port: number,
  steps: typeof IMAP,
  total: number,
  clients: number,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (next++ < total) await mailTranscript(port, steps);
  }));
  return total / ((performance.now() - started) / 1000);
}

function rate(label: string, perSecond: number): void {
  console.log(`${label.padEnd(44)} ${perSecond.toFixed(0).padStart(8)} sessions/s`);
}

const spool = await Deno.makeTempDir({ prefix: "mail-bench-" });
await Deno.writeTextFile(`${spool}/ana`, MBOX);
const options: SensorServiceOptions = {
  port: 0,
  mailSpool: spool,
  mailboxOwner: "ana",
  accept: [{ username: "ana", password: "s3cret" }],
};
{
  await using sensor = serveSensor({
    decky: "bench",
    hostname: "127.0.0.1",
    maxPerSource: 64,
    services: [
      { service: createImapService(), options },
      { service: createPop3Service(), options: { ...options } },
    ],
    sink: () => {},
  });
  const imap = sensor.ports.get("imap")!;
  const pop3 = sensor.ports.get("pop3")!;
  console.log(
    formatTimings(
      "sensor IMAP session (sequential)",
      await timeIt(N, () => mailTranscript(imap, IMAP)),
    ),
  );
  rate("sensor IMAP sessions, 8 clients", await concurrent(imap, IMAP, N, 8));
  console.log(
    formatTimings(
      "sensor POP3 session (sequential)",
      await timeIt(N, () => mailTranscript(pop3, POP3)),
    ),
  );
  rate("sensor POP3 sessions, 8 clients", await concurrent(pop3, POP3, N, 8));
}
if (dovecotUnavailable() === undefined) {
  await using dovecot = await startDovecot({ user: "ana", password: "s3cret", mbox: MBOX });
  const n = 200;
  console.log(
    formatTimings(
      "dovecot IMAP session (sequential)",
      await timeIt(n, () => mailTranscript(dovecot.imapPort, IMAP)),
    ),
  );
  rate("dovecot IMAP sessions, 8 clients", await concurrent(dovecot.imapPort, IMAP, n, 8));
  console.log(
    formatTimings(
      "dovecot POP3 session (sequential)",
      await timeIt(n, () => mailTranscript(dovecot.pop3Port, POP3)),
    ),
  );
  rate("dovecot POP3 sessions, 8 clients", await concurrent(dovecot.pop3Port, POP3, n, 8));
} else {
  console.log(`dovecot skipped: ${dovecotUnavailable()}`);
}
await Deno.remove(spool, { recursive: true });
