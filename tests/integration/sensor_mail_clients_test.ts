import assert from "node:assert/strict";
import { createImapService } from "../../core/sensor/imap/imap_service.ts";
import { createPop3Service } from "../../core/sensor/pop3/pop3_service.ts";
import type { SensorEvent } from "../../core/sensor/sensor_event.ts";
import type { SensorServiceOptions } from "../../core/sensor/sensor_options.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { findBinary } from "../infra/find_binary.ts";

const MBOX = await Deno.readTextFile(new URL("../testdata/mail/ana.mbox", import.meta.url));

async function run(
  binary: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(binary, { args, stdout: "piped", stderr: "piped" }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/** A sensor serving IMAP and POP3 from a spool holding ana's mbox. */
async function mailSensor(events: SensorEvent[]) {
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
    services: [
      { service: createImapService({ authFailureDelayMs: 1 }), options },
      { service: createPop3Service({ authFailureDelayMs: 1 }), options: { ...options } },
    ],
    sink: (e) => events.push(e),
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

Deno.test({
  name: "imapService and pop3Service serve the spool's mail to curl",
  ignore: !findBinary("curl"),
  async fn() {
    const events: SensorEvent[] = [];
    await using sensor = await mailSensor(events);
    const imap = `imap://ana:s3cret@127.0.0.1:${sensor.imap}`;
    const list = await run("curl", ["-sS", `${imap}/`]);
    assert.equal(list.stdout, '* LIST (\\HasNoChildren) "/" INBOX\r\n', list.stderr);
    const byUid = await run("curl", ["-sS", `${imap}/INBOX;UID=2`]);
    assert.match(byUid.stdout, /^Return-Path: <bo@corp\.example>\r\n/);
    assert.match(byUid.stdout, /Sure, noon works\. Caf=C3=A9 downstairs\?\r\n$/);
    const search = await run("curl", ["-sS", `${imap}/INBOX?SUBJECT%20lunch`]);
    assert.equal(search.stdout, "* SEARCH 2\r\n", search.stderr);
    const refused = await run("curl", ["-sS", `imap://ana:guess@127.0.0.1:${sensor.imap}/`]);
    assert.equal(refused.code, 67, "curl: login denied");

    const pop3 = `pop3://ana:s3cret@127.0.0.1:${sensor.pop3}`;
    const listing = await run("curl", ["-sS", `${pop3}/`]);
    assert.equal(listing.stdout, "1 525\r\n2 438\r\n3 338\r\n", listing.stderr);
    const retr = await run("curl", ["-sS", `${pop3}/3`]);
    assert.match(retr.stdout, /^Return-Path: <it@corp\.example>\r\n/);
    assert.match(
      retr.stdout,
      /\r\n\.\r\nPlease change [^\r]*\r\n\.\.and keep it secret\.\r\n/,
      "dot-stuffing undone",
    );
    assert.match(retr.stdout, /\r\n>From now on passwords expire after 90 days\.\r\n$/);

    const credentials = events.filter((e) => e.kind === "credential");
    assert.deepEqual(
      credentials.map((e) => [e.service, e.username, e.secret, e.secret_kind]),
      [
        ["imap", "ana", "s3cret", "password"],
        ["imap", "ana", "s3cret", "password"],
        ["imap", "ana", "s3cret", "password"],
        ["imap", "ana", "guess", "password"],
        ["pop3", "ana", "s3cret", "password"],
        ["pop3", "ana", "s3cret", "password"],
      ],
    );
    const commands = events.filter((e) => e.kind === "command").map((e) => String(e.command));
    assert.ok(commands.some((c) => /^\S+ UID FETCH 2 BODY\[\]$/.test(c)), commands.join("\n"));
    assert.ok(commands.includes("RETR 3"), commands.join("\n"));
    assert.ok(
      !commands.some((c) => c.includes("s3cret") || c.includes("guess")),
      "no password in commands",
    );
    assert.equal(events.filter((e) => e.kind === "auth_success").length, 5);
  },
});

Deno.test({
  name: "imapService serves the spool's mail to fetchmail",
  ignore: !findBinary("fetchmail"),
  async fn() {
    const events: SensorEvent[] = [];
    await using sensor = await mailSensor(events);
    const dir = await Deno.makeTempDir({ prefix: "fetchmail-" });
    try {
      const rc = `${dir}/fetchmailrc`;
      // A server without TLS needs `sslproto ""`, as it would against Dovecot with ssl = no.
      await Deno.writeTextFile(
        rc,
        `poll 127.0.0.1 with proto IMAP port ${sensor.imap}\n` +
          `  user "ana" there with password "s3cret" is "ana" here\n` +
          `  sslproto "" keep fetchall mda "/bin/sh -c 'cat >> ${dir}/delivered'"\n`,
      );
      await Deno.chmod(rc, 0o600);
      const r = await run("fetchmail", [
        "--nodetach",
        "--nosyslog",
        "-f",
        rc,
        "--idfile",
        `${dir}/ids`,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const delivered = await Deno.readTextFile(`${dir}/delivered`);
      for (const subject of ["Budget review", "Re: lunch", "=?UTF-8?Q?Passwort_=C3=A4ndern?="]) {
        assert.ok(delivered.includes(`Subject: ${subject}`), delivered);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
