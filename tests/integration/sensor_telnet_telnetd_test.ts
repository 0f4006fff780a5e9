import assert from "node:assert/strict";
import type { SensorEvent } from "../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { createTelnetService } from "../../core/sensor/telnet/telnet_service.ts";
import { findBinary } from "../infra/find_binary.ts";
import { startTelnetd, telnetdUnavailable } from "../infra/telnetd.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { latin1, latin1Bytes } from "./_sensor_wire.ts";

const noTelnetd = telnetdUnavailable();

const IAC = "\xff",
  DO = "\xfd",
  DONT = "\xfe",
  WILL = "\xfb",
  WONT = "\xfc",
  SB = "\xfa",
  SE = "\xf0";
/** What a client answers to telnetd's first round when it supports nothing (python's telnetlib). */
const REFUSE_TERMINAL =
  `${IAC}${DONT}%${IAC}${DONT}&${IAC}${WONT}\x18${IAC}${WONT} ${IAC}${WONT}#` +
  `${IAC}${WONT}'${IAC}${WONT}$`;
const REFUSE_MODES =
  `${IAC}${DO}\x03${IAC}${WONT}\x01${IAC}${WONT}"${IAC}${WONT}\x1f${IAC}${DONT}\x05` +
  `${IAC}${WONT}!`;
/** What a Linux telnet client answers: terminal type, speed and environment, NAWS, binary. */
const LINUX_TERMINAL = `${IAC}${DONT}%${IAC}${DONT}&${IAC}${WILL}\x18${IAC}${WILL} ${IAC}${WONT}#` +
  `${IAC}${WILL}'${IAC}${WONT}$`;
const LINUX_SUBS =
  `${IAC}${SB} \x0038400,38400${IAC}${SE}${IAC}${SB}'\x00\x00USER\x01root${IAC}${SE}` +
  `${IAC}${SB}\x18\x00XTERM-256COLOR${IAC}${SE}`;
const LINUX_MODES = `${IAC}${DO}\x03${IAC}${WILL}\x01${IAC}${WONT}"${IAC}${WILL}\x1f` +
  `${IAC}${SB}\x1f\x00\x50\x00\x18${IAC}${SE}${IAC}${DONT}\x05${IAC}${WONT}!`;
const LINUX_LAST = `${IAC}${DO}\x01${IAC}${WONT}\x06${IAC}${WILL}\x00`;

/** One client turn: what it sends, then the text the server's output must end with before the next. */
type Turn = [send: string, until: string | null];

const CLIENTS: [string, Turn[]][] = [
  ["a client refusing every option", [
    ["", `${IAC}${DO}$`],
    [REFUSE_TERMINAL, `${IAC}${DO}!`],
    [REFUSE_MODES, "login: "],
    ["root\r\n", "Password: "],
    ["secret\r\n", "login: "],
    ["ab\x7fc\r\n", "Password: "],
    ["x\r\x00", "login: "],
    ["\r\n", "Password: "],
    ["\n", "login: "],
  ]],
  ["a Linux telnet client", [
    ["", `${IAC}${DO}$`],
    [LINUX_TERMINAL, `${IAC}${SE}`],
    [LINUX_SUBS, `${IAC}${DO}!`],
    [LINUX_MODES, "login: "],
    [LINUX_LAST + "r", "r"],
    ["oot\r", "Password: "],
    ["\x00pw\r\x00", "login: "],
  ]],
  ["five failed logins", [
    ["", `${IAC}${DO}$`],
    [REFUSE_TERMINAL, `${IAC}${DO}!`],
    [REFUSE_MODES, "login: "],
    ...Array.from(
      { length: 4 },
      (_, i): Turn[] => [[`u${i}\r\n`, "Password: "], ["p\r\n", "login: "]],
    )
      .flat(),
    ["u4\r\n", "Password: "],
    ["p\r\n", null],
  ]],
];

/** Plays the turns and returns all the server sent (to its close when the last turn waits for null). */
async function play(port: number, turns: Turn[]): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  // Real login sleeps after each failure (about 3 s): five take 15 s and more on a loaded machine.
  const guard = setTimeout(() => conn.close(), 60_000);
  let out = "";
  const buf = new Uint8Array(4096);
  try {
    for (const [send, until] of turns) {
      if (send) await conn.write(latin1Bytes(send));
      const start = out.length;
      while (until === null || !out.slice(start).endsWith(until)) {
        let n: number | null = null;
        try {
          n = await conn.read(buf);
        } catch (e) {
          if (!(e instanceof Deno.errors.Interrupted) && !(e instanceof Deno.errors.BadResource)) {
            throw e;
          }
        }
        if (n === null) break;
        out += latin1(buf.subarray(0, n));
      }
    }
  } finally {
    clearTimeout(guard);
    try {
      conn.close();
    } catch {
      // closed by the guard
    }
  }
  return out.replace(/\(pts\/\d+\)/, "(pts/N)");
}

Deno.test({
  name:
    "telnetService negotiates and prompts like Debian's inetutils-telnetd and login, byte for byte",
  ignore: noTelnetd !== undefined,
  async fn() {
    await using telnetd = await startTelnetd();
    await using sensor = serveSensor({
      decky: "d",
      hostname: "127.0.0.1",
      services: [{
        service: createTelnetService({ loginFailDelayMs: { min: 0, max: 0 } }),
        // What the real one shows here: this machine's kernel and host name.
        options: { port: 0, banner: `Linux ${Deno.osRelease()}`, hostname: Deno.hostname() },
      }],
      sink: () => {},
    });
    const port = sensor.ports.get("telnet")!;
    const results = await Promise.all(CLIENTS.map(async ([name, turns]) => {
      const [real, ours] = await Promise.all([play(telnetd.port, turns), play(port, turns)]);
      return { name, real, ours };
    }));
    for (const { name, real, ours } of results) {
      assert.ok(real.includes(" login: "), `${name}: telnetd sent ${JSON.stringify(real)}`);
      assert.equal(ours, real, name);
    }
  },
});

Deno.test("telnetService records each login, the terminal type and environment", async () => {
  const events: SensorEvent[] = [];
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{
      service: createTelnetService({ loginFailDelayMs: { min: 0, max: 0 } }),
      options: {
        port: 0,
        hostname: "files01",
        accept: [{ username: "pi", password: "raspberry" }],
      },
    }],
    sink: (e) => events.push(e),
  });
  const port = sensor.ports.get("telnet")!;
  const out = await play(port, [
    ["", `${IAC}${DO}$`],
    [LINUX_TERMINAL, `${IAC}${SE}`],
    [LINUX_SUBS, `${IAC}${DO}!`],
    [LINUX_MODES, "login: "],
    ["root\r\n", "Password: "],
    ["toor\r\n", "login: "],
    ["pi\r\n", "Password: "],
    ["raspberry\r\n", null],
  ]);
  assert.ok(out.includes("\r\nLinux 6.1.0-37-amd64 (localhost) (pts/N)\r\n\r\nfiles01 login: "));
  await waitUntil(() => events.some((e) => e.kind === "disconnect"), { what: "disconnect" });
  const attempts = events.filter((e) => e.kind === "auth_attempt");
  assert.deepEqual(attempts.map((e) => [e.username, e.accepted, e.client_ident, e.environment]), [
    ["root", false, "XTERM-256COLOR", "\x00USER\x01root"],
    ["pi", true, "XTERM-256COLOR", "\x00USER\x01root"],
  ]);
  assert.deepEqual(events.filter((e) => e.kind === "credential").map((e) => e.secret), [
    "toor",
    "raspberry",
  ]);
  assert.equal(events.filter((e) => e.kind === "auth_success").length, 1);
});

const TELNETLIB_CLIENT = `
import sys, telnetlib
t = telnetlib.Telnet("127.0.0.1", int(sys.argv[1]), timeout=20)
t.read_until(b"login: ")
t.write(b"oracle\\n")
t.read_until(b"Password: ")
t.write(b"oracle123\\n")
sys.stdout.write(t.read_until(b"login: ").decode("latin1"))
`;

/** Python 3.13 dropped telnetlib; Debian bookworm's python3 (3.11) has it. */
const noTelnetlib = !findBinary("python3") ||
  !new Deno.Command(findBinary("python3")!, { args: ["-c", "import telnetlib"], stderr: "null" })
    .outputSync().success;

Deno.test({
  name: "telnetService logs in python's telnetlib client and refuses it",
  ignore: noTelnetlib,
  async fn() {
    const events: SensorEvent[] = [];
    await using sensor = serveSensor({
      decky: "d",
      hostname: "127.0.0.1",
      services: [{
        service: createTelnetService({ loginFailDelayMs: { min: 0, max: 0 } }),
        options: { port: 0, hostname: "erp" },
      }],
      sink: (e) => events.push(e),
    });
    const out = await new Deno.Command(findBinary("python3")!, {
      args: ["-W", "ignore", "-c", TELNETLIB_CLIENT, String(sensor.ports.get("telnet"))],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(new TextDecoder().decode(out.stdout), "\r\n\r\nLogin incorrect\r\nerp login: ");
    await waitUntil(() => events.some((e) => e.kind === "credential"), { what: "credential" });
    const credential = events.find((e) => e.kind === "credential")!;
    assert.deepEqual([credential.username, credential.secret], ["oracle", "oracle123"]);
  },
});
