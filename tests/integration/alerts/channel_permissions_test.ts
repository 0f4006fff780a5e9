import assert from "node:assert/strict";
import {
  channelDestinations,
  channelFiles,
  parseChannelConfig,
} from "../../../core/alerts/alert_channel.ts";
import { ALERT_SD_ID } from "../../../core/alerts/channels/syslog_message.ts";
import { aiosmtpdUnavailable, startAiosmtpd } from "../../infra/aiosmtpd.ts";
import { rsyslogUnavailable, startRsyslog } from "../../infra/rsyslog.ts";
import { makeTestCertificates, opensslUnavailable } from "../../infra/test_certificates.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { parseRfc5424 } from "../../core/alerts/channels/syslog_parsers.ts";

const skip = rsyslogUnavailable() ?? (await aiosmtpdUnavailable()) ?? opensslUnavailable();
if (skip) console.warn(`skipping channel permission test: ${skip}`);

/** Runs _send_alerts.ts in a process holding exactly these permissions. */
async function sendWithPermissions(
  configs: unknown[],
  permissions: { net: string[]; read: string[]; write: string[] },
): Promise<{ ok: boolean; reason?: string }[]> {
  const flag = (name: string, list: string[]) =>
    list.length ? [`--allow-${name}=${list.join(",")}`] : [];
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-check",
      "--no-prompt",
      ...flag("net", permissions.net),
      ...flag("read", permissions.read),
      ...flag("write", permissions.write),
      new URL("./_send_alerts.ts", import.meta.url).pathname,
      JSON.stringify(configs),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.ok(out.success, stderr);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test({
  name:
    "channelDestinations() and channelFiles() grant a process all it needs to send (host names over TCP)",
  ignore: skip !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "alert-perms-" });
    const certs = await makeTestCertificates(dir);
    await using rsyslog = await startRsyslog(certs);
    await using relay = await startAiosmtpd();
    const hook: string[] = [];
    await using receiver = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (request) => {
        hook.push(await request.text());
        return new Response(null, { status: 204 });
      },
    );
    const secureHook: string[] = [];
    await using secureReceiver = Deno.serve(
      {
        hostname: "127.0.0.1",
        port: 0,
        cert: await Deno.readTextFile(certs.certFile),
        key: await Deno.readTextFile(certs.keyFile),
        onListen: () => {},
      },
      async (request) => {
        secureHook.push(await request.text());
        return new Response(null, { status: 204 });
      },
    );
    const configs = [
      { type: "syslog", transport: "udp", host: "127.0.0.1", port: rsyslog.udpPort },
      { type: "syslog", transport: "tcp", host: "localhost", port: rsyslog.tcpPort },
      {
        type: "syslog",
        transport: "tls",
        host: "localhost",
        port: rsyslog.tlsPort,
        ca_file: certs.caFile,
      },
      {
        type: "smtp",
        host: "localhost",
        port: relay.port,
        from: "decnet@example.org",
        to: ["soc@example.org"],
      },
      { type: "webhook", url: `http://localhost:${receiver.addr.port}/hook` },
      {
        type: "webhook",
        url: `https://localhost:${secureReceiver.addr.port}/hook`,
        ca_file: certs.caFile,
      },
      { type: "file", path: `${dir}/alerts.jsonl` },
    ].map((c) => parseChannelConfig(c));
    const permissions = { net: [] as string[], read: [] as string[], write: [] as string[] };
    for (const config of configs) {
      permissions.net.push(...channelDestinations(config));
      permissions.read.push(...channelFiles(config).read);
      permissions.write.push(...channelFiles(config).write);
    }
    const results = await sendWithPermissions(configs, permissions);
    assert.deepEqual(results, configs.map(() => ({ ok: true })));
    await waitUntil(async () => {
      const ids = (await rsyslog.lines()).map((l) => parseRfc5424(l).sd[ALERT_SD_ID].id);
      return ["perm-syslog-udp", "perm-syslog-tcp", "perm-syslog-tls"].every((id) =>
        ids.includes(id)
      );
    }, { what: "three syslog alerts" });
    assert.equal((await relay.received()).length, 1);
    assert.equal(hook.length, 1);
    assert.equal(secureHook.length, 1);
    assert.equal(JSON.parse(await Deno.readTextFile(`${dir}/alerts.jsonl`)).id, "perm-file-");

    // Without its destination a channel fails (the grant above is what made it work).
    const denied = await sendWithPermissions([configs[1]], { net: [], read: [], write: [] });
    assert.equal(denied[0].ok, false);
    assert.match(denied[0].reason!, /localhost/);
    await Deno.remove(dir, { recursive: true });
  },
});
