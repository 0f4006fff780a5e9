import assert from "node:assert/strict";
import { createFtpService } from "../../core/sensor/ftp/ftp_service.ts";
import type { SensorEvent } from "../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { findBinary } from "../infra/find_binary.ts";
import { startVsftpd, vsftpdUnavailable } from "../infra/vsftpd.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { exchange, latin1, nmapService, nmapUnavailable } from "./_sensor_wire.ts";

const noVsftpd = vsftpdUnavailable();

/** Each is one write on its own connection, ending in something that makes vsftpd close. */
const PROBES: [string, string][] = [
  [
    "commands before login",
    "SYST\r\nFEAT\r\nfeat x\r\nHELP\r\nPWD\r\nLIST\r\nFOO bar\r\nAUTH TLS\r\nPBSZ 0\r\n" +
    "STOR x\r\nSITE HELP\r\nQUIT\r\n",
  ],
  ["empty and blank lines", "\r\n\n \r\nNOOP\r\n\r\nQUIT\r\n"],
  [
    "OPTS variants",
    "OPTS\r\nOPTS foo\r\nopts utf8 on\r\nOPTS UTF8 OFF\r\nOPTS UTF8 ON x\r\nQUIT\r\n",
  ],
  ["PASS before USER, empty USER", "PASS x\r\nUSER\r\nPASS x\r\nQUIT\r\n"],
  ["failed login, then PASS again", "USER root\r\nPASS toor\r\nPASS again\r\nSYST\r\nQUIT x\r\n"],
  ["anonymous", "USER anonymous\r\nPASS guest@example.com\r\nuser ftp\r\npass x\r\nquit\r\n"],
  ["three failed logins close the session", "USER a\nPASS b\nUSER a\nPASS c\nUSER a\nPASS d\n"],
  ["telnet bytes and NUL", "\xff\xf4\xff\xfdABOR\r\nUSER \xc3\xa9\x00x\r\nCWD /\r\nQUIT\r\n"],
  ["line of 4096 bytes with its LF", `${"A".repeat(4094)}\r\nQUIT\r\n`],
  ["4096 bytes without a newline", "A".repeat(4096)],
  ["bare spaces in the verb", " USER a\r\nUSER  b\r\nUSER a b\r\nQUIT\r\n"],
];

Deno.test({
  name: "ftpService answers like Debian's vsftpd 3.0.3, byte for byte",
  ignore: noVsftpd !== undefined,
  async fn() {
    await using vsftpd = await startVsftpd();
    await using sensor = serveSensor({
      decky: "d",
      hostname: "127.0.0.1",
      services: [{
        service: createFtpService({ loginFailDelayMs: { min: 0, max: 0 } }),
        options: { port: 0 },
      }],
      sink: () => {},
    });
    const port = sensor.ports.get("ftp")!;
    // In parallel: each failed login costs vsftpd about three seconds.
    const results = await Promise.all(PROBES.map(async ([name, input]) => {
      const [real, ours] = await Promise.all([exchange(vsftpd.port, input), exchange(port, input)]);
      return { name, real: latin1(real), ours: latin1(ours) };
    }));
    for (const { name, real, ours } of results) {
      assert.ok(real.startsWith("220 (vsFTPd 3.0.3)\r\n"), `${name}: vsftpd answered ${real}`);
      assert.equal(ours, real, name);
    }
  },
});

Deno.test({
  name: "ftpService records what curl sends as a refused login",
  ignore: findBinary("curl") === undefined,
  async fn() {
    const events: SensorEvent[] = [];
    await using sensor = serveSensor({
      decky: "ftp01",
      hostname: "127.0.0.1",
      services: [{
        service: createFtpService({ loginFailDelayMs: { min: 0, max: 0 } }),
        options: { port: 0 },
      }],
      sink: (e) => events.push(e),
    });
    const port = sensor.ports.get("ftp")!;
    const out = await new Deno.Command(findBinary("curl")!, {
      args: ["-sS", `ftp://backup:S3cr%C3%A9t@127.0.0.1:${port}/`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    // 67: "The user name, password, or similar was not accepted".
    assert.equal(out.code, 67, new TextDecoder().decode(out.stderr));
    await waitUntil(() => events.some((e) => e.kind === "disconnect"), { what: "disconnect" });
    const credential = events.find((e) => e.kind === "credential");
    assert.deepEqual(
      {
        username: credential?.username,
        secret_kind: credential?.secret_kind,
        secret: credential?.secret,
      },
      { username: "backup", secret_kind: "password", secret: "S3crét" },
    );
    const attempt = events.find((e) => e.kind === "auth_attempt");
    assert.equal(attempt?.accepted, false);
    assert.deepEqual(events.filter((e) => e.kind === "command").map((e) => e.command), [
      "USER backup",
    ]);
  },
});

Deno.test({
  name: "ftpService is named vsftpd 3.0.3 by nmap -sV",
  ignore: nmapUnavailable() !== undefined,
  async fn() {
    await using sensor = serveSensor({
      decky: "d",
      hostname: "127.0.0.1",
      services: [{ service: createFtpService(), options: { port: 0 } }],
      sink: () => {},
    });
    const found = await nmapService(sensor.ports.get("ftp")!);
    assert.deepEqual(found, { name: "ftp", product: "vsftpd", version: "3.0.3" });
  },
});
