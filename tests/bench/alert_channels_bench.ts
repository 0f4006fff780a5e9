/**
 * Alerts per second each channel delivers to a local receiver (sequential
 * sends, each awaited, as the alerts worker sends): rsyslog over UDP, TCP and
 * TLS (end to end: until rsyslog's file holds every alert), aiosmtpd, a
 * Deno.serve webhook receiver (HMAC-signed JSON), the JSON-lines file (fsync).
 */
import { parseChannelConfig } from "../../core/alerts/alert_channel.ts";
import { createChannel } from "../../core/alerts/channels/factory.ts";
import { aiosmtpdUnavailable, startAiosmtpd } from "../infra/aiosmtpd.ts";
import { rsyslogUnavailable, startRsyslog } from "../infra/rsyslog.ts";
import { makeTestCertificates, opensslUnavailable } from "../infra/test_certificates.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { makeAlert } from "../core/alerts/make_alert.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

const N = 2000;
const N_SMTP = 200;
const dir = await Deno.makeTempDir({ prefix: "alert-bench-" });

async function bench(label: string, input: Record<string, unknown>, n: number): Promise<void> {
  await using channel = createChannel(parseChannelConfig(input));
  const t = await timeIt(n, (i) => channel.send(makeAlert({ id: `${label}-${i}` })));
  console.log(formatTimings(label, t));
}

const syslogSkip = rsyslogUnavailable() ?? opensslUnavailable();
if (syslogSkip) {
  console.log(`syslog: skipped (${syslogSkip})`);
} else {
  const certs = await makeTestCertificates(dir);
  await using rsyslog = await startRsyslog(certs);
  for (
    const [transport, port, extra] of [
      ["udp", rsyslog.udpPort, {}],
      ["tcp", rsyslog.tcpPort, {}],
      ["tls", rsyslog.tlsPort, { ca_file: certs.caFile }],
    ] as const
  ) {
    const before = (await rsyslog.lines()).length;
    const started = performance.now();
    await bench(
      `syslog ${transport} -> rsyslog (send)`,
      { type: "syslog", transport, host: "127.0.0.1", port, ...extra },
      N,
    );
    // timeIt sends 5 warm-up alerts too. UDP may drop some: wait until the file stops growing.
    let received = 0;
    let lastGrowth = performance.now();
    await waitUntil(async () => {
      const now = (await rsyslog.lines()).length - before;
      if (now > received) {
        received = now;
        lastGrowth = performance.now();
      }
      return received >= N + 5 || performance.now() - lastGrowth > 2000;
    }, { what: `rsyslog writing ${transport} alerts`, timeoutMs: 60_000, intervalMs: 100 });
    const seconds = (lastGrowth - started) / 1000;
    console.log(
      `${`syslog ${transport} -> rsyslog (in its file)`.padEnd(44)} ${received} of ${N + 5} in ` +
        `${seconds.toFixed(2)} s  ${(received / seconds).toFixed(0).padStart(7)}/s`,
    );
  }
}

const smtpSkip = await aiosmtpdUnavailable();
if (smtpSkip) {
  console.log(`smtp: skipped (${smtpSkip})`);
} else {
  await using relay = await startAiosmtpd();
  await bench("smtp -> aiosmtpd (session per alert)", {
    type: "smtp",
    host: "127.0.0.1",
    port: relay.port,
    from: "decnet@example.org",
    to: ["soc@example.org"],
  }, N_SMTP);
}

{
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen: () => {} },
    async (request) => {
      await request.arrayBuffer();
      return new Response(null, { status: 204 });
    },
  );
  for (const format of ["json", "slack", "teams", "mattermost"]) {
    await bench(`webhook ${format} -> Deno.serve`, {
      type: "webhook",
      url: `http://127.0.0.1:${server.addr.port}/hook`,
      format,
      secret: "a webhook secret of 32 characters",
    }, N);
  }
  controller.abort();
  await server.finished;
}

await bench("file (append + fdatasync)", { type: "file", path: `${dir}/alerts.jsonl` }, N);
await Deno.remove(dir, { recursive: true });
