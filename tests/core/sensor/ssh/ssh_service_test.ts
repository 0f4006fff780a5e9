import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { ConnReader } from "../../../../core/sensor/conn_reader.ts";
import type { SensorEvent } from "../../../../core/sensor/sensor_event.ts";
import type { SensorServiceOptions } from "../../../../core/sensor/sensor_options.ts";
import { type SensorServer, serveSensor } from "../../../../core/sensor/serve_sensor.ts";
import { type KexInit, parseKexInit, sshService } from "../../../../core/sensor/ssh/mod.ts";
import { findBinary } from "../../../infra/find_binary.ts";
import { sshdUnavailable, startSshd } from "../../../infra/sshd.ts";
import { waitUntil } from "../../../infra/wait_until.ts";

const ignore = sshdUnavailable() ?? (findBinary("sshpass") ? undefined : "sshpass not installed");
const SSH_OPTS = [
  "-o",
  "StrictHostKeyChecking=no",
  "-o",
  "UserKnownHostsFile=/dev/null",
  "-o",
  "LogLevel=ERROR",
];

interface Sensor {
  server: SensorServer;
  port: number;
  events: SensorEvent[];
  errors: unknown[];
}

function startSensor(
  options: SensorServiceOptions,
  trustedKeys?: ReadonlySet<string>,
): Sensor {
  const events: SensorEvent[] = [];
  const errors: unknown[] = [];
  const server = serveSensor({
    decky: "web01",
    hostname: "127.0.0.1",
    services: [{ service: sshService, options: { port: 0, ...options } }],
    sink: (e) => events.push(e),
    onError: (_service, e) => errors.push(e),
    trustedKeys,
  });
  return { server, port: server.ports.get("ssh")!, events, errors };
}

async function run(
  bin: string,
  args: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(findBinary(bin)!, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const out = await child.output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/** Sends `data` after the server's banner and returns every byte the server sent until it closed. */
async function exchange(port: number, data: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const reader = new ConnReader(conn);
  let out = `${await reader.readLine(1024)}\r\n`;
  await conn.write(new Uint8Array([...data].map((c) => c.charCodeAt(0))));
  try {
    for (let chunk = await reader.readSome(); chunk; chunk = await reader.readSome()) {
      out += String.fromCharCode(...chunk);
    }
  } catch (e) {
    // sshd resets the connection when it closes with input unread.
    if (!(e instanceof Deno.errors.ConnectionReset)) throw e;
  }
  conn.close();
  return out;
}

/** The server's banner line and its KEXINIT, answering its banner with an OpenSSH ident. */
async function firstExchange(
  port: number,
): Promise<{ banner: string; kex: KexInit; tail: Uint8Array }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const reader = new ConnReader(conn);
  const banner = (await reader.readLine(1024))!;
  await conn.write(new TextEncoder().encode("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"));
  const header = (await reader.readExact(5))!;
  const length = new DataView(header.buffer).getUint32(0);
  const body = (await reader.readExact(length - 1))!;
  conn.close();
  const payload = body.subarray(0, body.length - header[4]);
  // first_kex_packet_follows, reserved, then the padding
  return { banner, kex: parseKexInit(payload), tail: body.subarray(payload.length - 5) };
}

async function userKey(dir: string): Promise<{ path: string; pub: string }> {
  const path = `${dir}/id_ed25519`;
  const made = await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path]);
  assert.equal(made.code, 0, made.stderr);
  return { path, pub: (await Deno.readTextFile(`${path}.pub`)).trim() };
}

const UNSUPPORTED = new Set([
  "sntrup761x25519-sha512",
  "sntrup761x25519-sha512@openssh.com",
  "umac-64-etm@openssh.com",
  "umac-128-etm@openssh.com",
  "umac-64@openssh.com",
  "umac-128@openssh.com",
]);

Deno.test({
  name: "sshService answers the first exchange as Debian's sshd does",
  ignore: ignore !== undefined,
  async fn() {
    await using sshd = await startSshd();
    const real = await firstExchange(sshd.port);
    const sensor = startSensor({ banner: real.banner, hostKeyDir: sshd.dir });
    await using _ = sensor.server;
    const fake = await firstExchange(sensor.port);
    assert.equal(fake.banner, real.banner);
    // Every list in sshd's order; only algorithms ssh2 cannot negotiate are missing.
    const expected = Object.fromEntries(
      Object.entries(real.kex).map((
        [k, list]: [string, string[]],
      ) => [k, list.filter((a) => !UNSUPPORTED.has(a))]),
    );
    assert.deepEqual(fake.kex, expected);
    // first_kex_packet_follows and reserved, then the padding: zeros in cleartext, as in sshd
    assert.deepEqual(fake.tail.subarray(0, 5), real.tail.subarray(0, 5));
    assert.deepEqual(fake.tail.subarray(5), new Uint8Array(fake.tail.length - 5));
    assert.deepEqual(real.tail.subarray(5), new Uint8Array(real.tail.length - 5));

    for (
      const bad of [
        "GET / HTTP/1.0\r\n",
        "\r\n",
        "SSH-2.0\r\n",
        "SSH-2.0-\r\n",
        "SSH-1.5-Nmap-SSH1-Hostkey\r\n",
        "SSH-3.0-x\n",
      ]
    ) {
      assert.equal(await exchange(sensor.port, bad), await exchange(sshd.port, bad), bad);
    }
    assert.deepEqual(sensor.errors, []);
  },
});

Deno.test({
  name: "sshService relays an accepted login to the decky's sshd and records the command",
  ignore: ignore !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "ssh-sensor-" });
    const key = await userKey(dir);
    await using sshd = await startSshd({ authorizedKeys: [key.pub] });
    const sensor = startSensor({
      hostKeyDir: sshd.dir,
      accept: [{ username: sshd.user, password: "hunter2" }],
      upstream: { hostname: "127.0.0.1", port: sshd.port },
      upstreamKeyPath: key.path,
    });
    await using _ = sensor.server;
    const command = "cat /etc/hostname; id";
    // The decky's sshd runs on this machine as this user: the same command here is the reference.
    const direct = await run("sh", ["-c", command]);
    const relayed = await run("sshpass", [
      "-p",
      "hunter2",
      "ssh",
      ...SSH_OPTS,
      "-p",
      String(sensor.port),
      `${sshd.user}@127.0.0.1`,
      command,
    ]);
    assert.equal(relayed.code, 0, relayed.stderr);
    assert.equal(relayed.stdout, direct.stdout);

    const wrong = await run("sshpass", [
      "-p",
      "letmein",
      "ssh",
      ...SSH_OPTS,
      "-p",
      String(sensor.port),
      `${sshd.user}@127.0.0.1`,
      "id",
    ]);
    assert.equal(wrong.code, 5, wrong.stderr); // sshpass: asked again, so the password was wrong
    await waitUntil(() => sensor.events.filter((e) => e.kind === "disconnect").length === 2);

    const sessions = Map.groupBy(sensor.events, (e) => e.session);
    const [good, bad] = [...sessions.values()];
    const kinds = (events: SensorEvent[]) =>
      events.map((e) => `${e.kind}${e.accepted === undefined ? "" : ` ${e.accepted}`}`);
    assert.deepEqual(kinds(good), [
      "connect",
      "auth_attempt true",
      "credential",
      "auth_success",
      "command",
      "disconnect",
    ]);
    assert.deepEqual(kinds(bad), ["connect", "auth_attempt false", "credential", "disconnect"]);
    const [, attempt, credential, success, cmd] = good;
    assert.equal(cmd.command, command);
    assert.equal(credential.secret_kind, "password");
    assert.equal(credential.secret, "hunter2");
    assert.equal(bad[2].secret, "letmein");
    for (const e of [attempt, credential, success, bad[1]]) {
      assert.equal(e.username, sshd.user);
      assert.match(String(e.client_ident), /^SSH-2\.0-OpenSSH_9\.2p1 Debian/);
      assert.equal(e.hassh, createHash("md5").update(String(e.hassh_algorithms)).digest("hex"));
      assert.match(String(e.hassh_algorithms), /^[^;]*curve25519-sha256[^;]*;[^;]+;[^;]+;none/);
    }
    assert.deepEqual(sensor.errors, []);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "sshService records a shell session's command lines and keystrokes",
  ignore: ignore !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "ssh-sensor-" });
    const key = await userKey(dir);
    await using sshd = await startSshd({ authorizedKeys: [key.pub] });
    const sensor = startSensor({
      hostKeyDir: sshd.dir,
      accept: [{ username: sshd.user, password: "hunter2" }],
      upstream: { hostname: "127.0.0.1", port: sshd.port },
      upstreamKeyPath: key.path,
    });
    await using _ = sensor.server;
    // Without a terminal on stdin, ssh asks for a shell without pty-req and
    // pipes the lines to it.
    const shell = await run(
      "sshpass",
      ["-p", "hunter2", "ssh", ...SSH_OPTS, "-p", String(sensor.port), `${sshd.user}@127.0.0.1`],
      "echo marker-$((6*7))\nexit 3\n",
    );
    assert.equal(shell.code, 3, shell.stderr);
    assert.match(shell.stdout, /marker-42/);
    await waitUntil(() => sensor.events.some((e) => e.kind === "disconnect"));
    const commands = sensor.events.filter((e) => e.kind === "command");
    assert.deepEqual(
      commands.filter((e) => e.command !== undefined).map((e) => e.command),
      ["echo marker-$((6*7))", "exit 3"],
    );
    assert.equal(
      commands.filter((e) => e.keystrokes !== undefined).map((e) => e.keystrokes).join(""),
      "echo marker-$((6*7))\nexit 3\n",
    );

    // A command that closes its output well before it exits: sshd sends EOF
    // first, and the exit status must still reach the client.
    const early = await run("sshpass", [
      "-p",
      "hunter2",
      "ssh",
      ...SSH_OPTS,
      "-p",
      String(sensor.port),
      `${sshd.user}@127.0.0.1`,
      "exec >&- 2>&-; sleep 0.5; exit 7",
    ]);
    assert.equal(early.code, 7, early.stderr);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "sshService marks the session benign from the moment the fleet's own key is offered",
  ignore: ignore !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "ssh-sensor-" });
    const fleetKey = await userKey(`${dir}`);
    await Deno.mkdir(`${dir}/other`);
    const otherKey = await userKey(`${dir}/other`);
    const blob = Uint8Array.from(atob(fleetKey.pub.split(" ")[1]), (c) => c.charCodeAt(0));
    const trusted = new Set([createHash("sha256").update(blob).digest("hex")]);
    const sensor = startSensor({}, trusted);
    await using _ = sensor.server;
    const login = (key: string) =>
      run("ssh", [
        ...SSH_OPTS,
        "-o",
        "BatchMode=yes",
        "-o",
        "PreferredAuthentications=publickey",
        "-o",
        "IdentitiesOnly=yes",
        "-i",
        key,
        "-p",
        String(sensor.port),
        "ana@127.0.0.1",
        "id",
      ]);
    await login(fleetKey.path);
    await waitUntil(() => sensor.events.some((e) => e.kind === "disconnect"));
    const fleet = sensor.events.splice(0);
    assert.deepEqual(
      fleet.map((e) => [e.kind, e.benign ?? false]),
      [
        ["connect", false], // before any key: benign only by its source address
        ["auth_attempt", true],
        ["credential", true],
        ["disconnect", true],
      ],
    );
    await login(otherKey.path);
    await waitUntil(() => sensor.events.some((e) => e.kind === "disconnect"));
    assert.ok(sensor.events.every((e) => e.benign === undefined), "any other key is not");
    assert.deepEqual(sensor.errors, []);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "sshService records each public key offered, refused, with its fingerprint",
  ignore: ignore !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "ssh-sensor-" });
    const key = await userKey(dir);
    const sensor = startSensor({ accept: [{ username: "root", password: "x" }] });
    await using _ = sensor.server;
    const tried = await run("ssh", [
      ...SSH_OPTS,
      "-o",
      "BatchMode=yes",
      "-o",
      "PreferredAuthentications=publickey",
      "-o",
      "IdentitiesOnly=yes",
      "-i",
      key.path,
      "-p",
      String(sensor.port),
      "admin@127.0.0.1",
      "id",
    ]);
    assert.equal(tried.code, 255);
    assert.match(tried.stderr, /Permission denied \(publickey,password\)/);
    await waitUntil(() => sensor.events.some((e) => e.kind === "disconnect"));
    const credential = sensor.events.find((e) => e.kind === "credential")!;
    const [type, base64] = key.pub.split(" ");
    assert.equal(credential.secret_kind, "ssh_pubkey");
    assert.equal(credential.secret, `${type} ${base64}`);
    assert.equal(credential.key_type, "ssh-ed25519");
    const fingerprint = (await run("ssh-keygen", ["-l", "-f", `${key.path}.pub`])).stdout;
    assert.equal(credential.fingerprint, fingerprint.split(" ")[1]);
    const attempt = sensor.events.find((e) => e.kind === "auth_attempt")!;
    assert.equal(attempt.method, "publickey");
    assert.equal(attempt.accepted, false);
    assert.equal(attempt.username, "admin");
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "sshService is named OpenSSH 9.2p1 Debian by nmap -sV",
  ignore: ignore !== undefined || !findBinary("nmap"),
  async fn() {
    const sensor = startSensor({});
    await using _ = sensor.server;
    const scan = await run("nmap", ["-sV", "-Pn", "-n", "-p", String(sensor.port), "127.0.0.1"]);
    assert.equal(scan.code, 0, scan.stderr);
    assert.match(scan.stdout, /open\s+ssh\s+OpenSSH 9\.2p1 Debian 2\+deb12u3 \(protocol 2\.0\)/);
  },
});

/** Deterministic bytes (a linear congruential generator), so a failure replays. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

Deno.test({
  name: "sshService survives random, oversize, truncated and slow clients and serves others",
  ignore: ignore !== undefined,
  async fn() {
    const sensor = startSensor({});
    await using _ = sensor.server;
    const send = async (bytes: Uint8Array) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: sensor.port });
      const reader = new ConnReader(conn);
      // Then EOF, as a client that gives up; the server may already have reset.
      await conn.write(bytes).then(() => conn.closeWrite()).catch(() => 0);
      let out = "";
      try {
        for (let chunk = await reader.readSome(); chunk; chunk = await reader.readSome()) {
          out += String.fromCharCode(...chunk);
        }
      } catch (e) {
        if (!(e instanceof Deno.errors.ConnectionReset)) throw e;
      }
      conn.close();
      return out;
    };
    const ident = new TextEncoder().encode("SSH-2.0-OpenSSH_9.2p1\r\n");
    const withIdent = (...parts: number[][]) => new Uint8Array([...ident, ...parts.flat()]);
    const slow = await Deno.connect({ hostname: "127.0.0.1", port: sensor.port });
    await slow.write(new TextEncoder().encode("SSH-2."));

    const banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
    const invalid = `${banner}Invalid SSH identification string.\r\n`;
    for (let seed = 1; seed <= 5; seed++) {
      assert.equal(await send(noise(4096, seed)), invalid, `seed ${seed}`);
    }
    assert.equal(await send(new Uint8Array(20_000).fill(0x41)), invalid);
    // Truncated packets: a header claiming more than follows, half a header.
    assert.match(await send(withIdent([0, 0, 4, 0, 5, 20, 1, 2])), /^SSH-2\.0-OpenSSH/);
    assert.match(await send(withIdent([0, 0])), /^SSH-2\.0-OpenSSH/);
    // A well-framed packet that is no KEXINIT, and one claiming 4 GB.
    assert.match(await send(withIdent([0, 0, 0, 12, 4, 21, ...noise(10, 9)])), /^SSH-2\.0/);
    assert.match(await send(withIdent([0xff, 0xff, 0xff, 0xff, ...noise(64, 3)])), /^SSH-2\.0/);
    for (let seed = 1; seed <= 5; seed++) {
      await send(withIdent([0, 0, 1, 0, ...noise(256, seed)]));
    }

    // Meanwhile, with the slow client still connected, a real client gets through the key exchange.
    const scan = await run("ssh-keyscan", [
      "-p",
      String(sensor.port),
      "-t",
      "ed25519",
      "127.0.0.1",
    ]);
    assert.match(scan.stdout, /ssh-ed25519 AAAA/);
    slow.close();
    await waitUntil(() =>
      sensor.events.filter((e) => e.kind === "disconnect").length ===
        sensor.events.filter((e) => e.kind === "connect").length
    );
    assert.deepEqual(sensor.errors, []);
  },
});
