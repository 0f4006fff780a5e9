/**
 * Runs inside a private network and mount namespace (see
 * mysql_dump_import_test.ts) whose /etc/resolv.conf points at 127.0.0.1:
 * listens for DNS queries on 127.0.0.1:53, starts a private MariaDB, imports
 * the dump given as argument and prints the names queried as JSON.
 * Usage: deno run -A _mysql_dump_import_probe.ts DUMP EXPECTED_NAME
 */
import { Buffer } from "node:buffer";
import dgram from "node:dgram";
import { printLine } from "../../core/log/mod.ts";
import { findBinary } from "../infra/find_binary.ts";
import { startMariaDb } from "../infra/mariadb.ts";
import { waitUntil } from "../infra/wait_until.ts";

const [dumpPath, expected] = Deno.args;
const queried: string[] = [];
const socket = dgram.createSocket("udp4");
socket.on("message", (msg, rinfo) => {
  const labels: string[] = [];
  for (let at = 12; at < msg.length && msg[at] !== 0; at += msg[at] + 1) {
    labels.push(msg.subarray(at + 1, at + 1 + msg[at]).toString("latin1"));
  }
  queried.push(labels.join("."));
  // NXDOMAIN, so the resolver gives up at once.
  const reply = Buffer.from(msg);
  reply[2] = 0x81 | (msg[2] & 0x01);
  reply[3] = 0x83;
  socket.send(reply, rinfo.port, rinfo.address);
});
await new Promise<void>((resolve) => socket.bind(53, "127.0.0.1", resolve));
try {
  await using server = await startMariaDb();
  const url = new URL(await server.createDatabase("imported"));
  const client = findBinary("mariadb") ?? findBinary("mysql")!;
  const child = new Deno.Command(client, {
    args: [
      "--no-defaults",
      "-h127.0.0.1",
      `-P${server.port}`,
      `-u${url.username}`,
      `-p${decodeURIComponent(url.password)}`,
      "imported",
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(await Deno.readFile(dumpPath));
  await writer.close();
  const out = await child.output();
  const importError = new TextDecoder().decode(out.stderr);
  await waitUntil(() => queried.some((q) => q.toLowerCase() === expected.toLowerCase()), {
    what: `a DNS query for ${expected}`,
    timeoutMs: 20_000,
  }).catch(() => {});
  printLine(JSON.stringify({ importCode: out.code, importError, queried }));
} finally {
  socket.close();
}
