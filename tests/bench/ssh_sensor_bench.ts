/**
 * SSH sensor throughput (issue 15), beside Debian's sshd on the same machine:
 * connections per second for the first exchange (banner, client ident and
 * KEXINIT, server KEXINIT) over raw TCP, and for a whole key exchange with
 * ssh-keyscan (curve25519 + Ed25519 host key signature). Bounded, loopback
 * only. Skips what is not installed: apt-get install openssh-server.
 */
import { ConnReader } from "../../core/sensor/conn_reader.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { sshService } from "../../core/sensor/ssh/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { sshdUnavailable, startSshd } from "../infra/sshd.ts";

const FIRST_EXCHANGES = 600;
const KEY_EXCHANGES = 200;
const CONCURRENCY = 8;

const skip = sshdUnavailable() ?? (findBinary("ssh-keyscan") ? undefined : "no ssh-keyscan");
if (skip) {
  console.log(`skipped: ${skip}`);
  Deno.exit(0);
}

/** An OpenSSH 9.2 client's ident and KEXINIT packet (lists abridged, zero cookie and padding). */
function clientHello(): Uint8Array {
  const lists = [
    "curve25519-sha256,ext-info-c,kex-strict-c-v00@openssh.com",
    "ssh-ed25519",
    "chacha20-poly1305@openssh.com",
    "chacha20-poly1305@openssh.com",
    "hmac-sha2-256-etm@openssh.com",
    "hmac-sha2-256-etm@openssh.com",
    "none",
    "none",
    "",
    "",
  ];
  const payload: number[] = [20, ...new Array(16).fill(0)];
  for (const list of lists) {
    payload.push(
      0,
      0,
      list.length >> 8,
      list.length & 0xff,
      ...[...list].map((c) => c.charCodeAt(0)),
    );
  }
  payload.push(0, 0, 0, 0, 0);
  let padding = 8 - ((payload.length + 5) % 8);
  if (padding < 4) padding += 8;
  const length = payload.length + padding + 1;
  const packet = [length >>> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
  packet.push(padding, ...payload, ...new Array(padding).fill(0));
  const ident = [..."SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"].map((c) => c.charCodeAt(0));
  return new Uint8Array([...ident, ...packet]);
}

/** Completed first exchanges per second, and how many the server dropped before its KEXINIT. */
async function firstExchanges(port: number, total: number): Promise<[number, number]> {
  const hello = clientHello();
  let next = 0;
  let dropped = 0;
  const worker = async () => {
    while (next++ < total) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      const reader = new ConnReader(conn);
      try {
        await reader.readLine(1024);
        await conn.write(hello);
        const header = await reader.readExact(4);
        if (header === null) dropped++;
        else await reader.readExact(new DataView(header.buffer).getUint32(0));
      } catch (e) {
        if (!(e instanceof Deno.errors.ConnectionReset)) throw e;
        dropped++;
      } finally {
        conn.close();
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return [(total - dropped) / ((performance.now() - started) / 1000), dropped];
}

/**
 * Key exchanges per second with ssh-keyscan, `batch` connections at once:
 * sshd drops connections beyond MaxStartups (10), the sensor beyond its
 * per-source limit (32).
 */
async function keyExchanges(
  port: number,
  total: number,
  batch: number,
  dir: string,
): Promise<number> {
  const hosts = `${dir}/hosts`;
  await Deno.writeTextFile(hosts, "127.0.0.1\n".repeat(batch));
  let keys = 0;
  const started = performance.now();
  for (let done = 0; done < total; done += batch) {
    const out = await new Deno.Command(findBinary("ssh-keyscan")!, {
      args: ["-T", "30", "-t", "ed25519", "-p", String(port), "-f", hosts],
      stdout: "piped",
      stderr: "null",
    }).output();
    keys += new TextDecoder().decode(out.stdout).split("\n").filter((l) =>
      l.includes("ssh-ed25519")
    )
      .length;
  }
  const seconds = (performance.now() - started) / 1000;
  if (keys < total) throw new Error(`ssh-keyscan got ${keys} of ${total} host keys`);
  return keys / seconds;
}

function line(label: string, value: number, dropped = 0): void {
  const note = dropped ? `  (${dropped} dropped by the server)` : "";
  console.log(`${label.padEnd(52)} ${value.toFixed(0).padStart(6)} conn/s${note}`);
}

const dir = await Deno.makeTempDir({ prefix: "ssh-bench-" });
await using sshd = await startSshd();
await using sensor = serveSensor({
  decky: "bench",
  hostname: "127.0.0.1",
  services: [{ service: sshService, options: { port: 0, hostKeyDir: sshd.dir } }],
  sink: () => {},
});
const port = sensor.ports.get("ssh")!;
await firstExchanges(port, 20); // warm-up (JIT, host key parse)
line("sshd: banner + KEXINIT exchange", ...await firstExchanges(sshd.port, FIRST_EXCHANGES));
line("sensor: banner + KEXINIT exchange", ...await firstExchanges(port, FIRST_EXCHANGES));
line(
  "sshd: full key exchange (ssh-keyscan, 10 at once)",
  await keyExchanges(sshd.port, KEY_EXCHANGES, 10, dir),
);
line(
  "sensor: full key exchange (ssh-keyscan, 25 at once)",
  await keyExchanges(port, KEY_EXCHANGES, 25, dir),
);
await Deno.remove(dir, { recursive: true });
