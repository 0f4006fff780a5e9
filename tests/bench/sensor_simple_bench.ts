/**
 * Sensor throughput for FTP, MySQL, Telnet and HTTP (issue 15): connections
 * per second through `serveSensor()` on loopback, each connection doing its
 * protocol's first exchange (FTP greeting and QUIT, MySQL greeting and a
 * refused login, the telnet option round, an HTTP GET of the sign-in page),
 * 32 at a time, events going to a counting sink. Bounded by CONNECTIONS.
 * For scale, the same client against the real server each imitates
 * (vsftpd, mariadbd, nginx; REAL_CONNECTIONS,
 * skipped when not installed).
 */
import { ConnReader } from "../../core/sensor/conn_reader.ts";
import { createFtpService } from "../../core/sensor/ftp/ftp_service.ts";
import { httpService } from "../../core/sensor/http/http_service.ts";
import { createMysqlService } from "../../core/sensor/mysql/mysql_service.ts";
import type { SensorService } from "../../core/sensor/sensor_service.ts";
import { serveSensor } from "../../core/sensor/serve_sensor.ts";
import { telnetService } from "../../core/sensor/telnet/telnet_service.ts";
import { handshakeResponse } from "../core/sensor/mysql/_handshake.ts";
import { mariaDbUnavailable, startMariaDb } from "../infra/mariadb.ts";
import { nginxUnavailable, startNginx } from "../infra/nginx.ts";
import { startVsftpd, vsftpdUnavailable } from "../infra/vsftpd.ts";

const CONNECTIONS = Number(Deno.env.get("BENCH_CONNECTIONS") ?? 2000);
const REAL_CONNECTIONS = Number(Deno.env.get("BENCH_REAL_CONNECTIONS") ?? 300);
const CONCURRENCY = 32;
const encoder = new TextEncoder();

/** One client connection: what it sends and when it is done (the server closed or enough came back). */
interface Client {
  send?: Uint8Array;
  done: (received: number) => boolean;
}

/** Starts the real server a case imitates; undefined when it is not installed. */
type RealServer = () => Promise<{ port: number; close(): Promise<void> }> | undefined;

const CASES: [string, SensorService, Client, RealServer][] = [
  [
    "ftp (greeting, QUIT)",
    createFtpService(),
    { send: encoder.encode("QUIT\r\n"), done: () => false },
    () => vsftpdUnavailable() ? undefined : startVsftpd(),
  ],
  [
    "mysql (greeting, refused login)",
    createMysqlService(),
    { send: handshakeResponse(), done: () => false },
    () => mariaDbUnavailable() ? undefined : startMariaDb({ collation: "utf8mb4_general_ci" }),
  ],
  [
    "telnet (first option round)",
    telnetService,
    { done: (n) => n >= 21 },
    // inetutils-telnetd forks telnetd and login per connection and stalled under this load: not measured.
    () => undefined,
  ],
  [
    "http (GET / sign-in page)",
    httpService,
    {
      send: encoder.encode("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"),
      done: () => false,
    },
    () => nginxUnavailable() ? undefined : startNginx({ gifSlugs: [] }),
  ],
];

async function once(port: number, client: Client): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    if (client.send) await conn.write(client.send);
    const reader = new ConnReader(conn);
    let received = 0;
    for (let chunk = await reader.readSome(); chunk; chunk = await reader.readSome()) {
      received += chunk.length;
      if (client.done(received)) break;
    }
  } finally {
    conn.close();
  }
}

async function measure(port: number, client: Client, connections: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < connections) await once(port, client);
  }));
  return (performance.now() - start) / 1000;
}

for (const [label, service, client, startReal] of CASES) {
  let events = 0;
  await using sensor = serveSensor({
    decky: "bench",
    hostname: "127.0.0.1",
    services: [{ service, options: { port: 0 } }],
    sink: () => events++,
    maxPerSource: CONCURRENCY * 2,
  });
  const port = sensor.ports.get(service.name)!;
  const seconds = await measure(port, client, CONNECTIONS);
  console.log(
    `${label.padEnd(36)} ${(CONNECTIONS / seconds).toFixed(0).padStart(6)} conn/s  ` +
      `${(events / seconds).toFixed(0).padStart(6)} events/s  (${CONNECTIONS} connections)`,
  );
  const real = await startReal();
  if (real === undefined) continue;
  try {
    const realSeconds = await measure(real.port, client, REAL_CONNECTIONS);
    console.log(
      `${"  the real server".padEnd(36)} ${
        (REAL_CONNECTIONS / realSeconds).toFixed(0).padStart(6)
      } conn/s` +
        `  (${REAL_CONNECTIONS} connections)`,
    );
  } finally {
    await real.close();
  }
}
