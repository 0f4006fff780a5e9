import assert from "node:assert/strict";
import {
  parseChannelConfig,
  type SyslogChannelConfig,
} from "../../../core/alerts/alert_channel.ts";
import { ChannelError } from "../../../core/alerts/channel_error.ts";
import { SyslogChannel } from "../../../core/alerts/channels/syslog_channel.ts";
import { ALERT_SD_ID } from "../../../core/alerts/channels/syslog_message.ts";
import { VERSION } from "../../../core/version.ts";
import { makeAlert } from "../../core/alerts/make_alert.ts";
import { parseCef, parseRfc5424 } from "../../core/alerts/channels/syslog_parsers.ts";
import { rsyslogUnavailable, startRsyslog } from "../../infra/rsyslog.ts";
import { makeTestCertificates, opensslUnavailable } from "../../infra/test_certificates.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const skip = rsyslogUnavailable() ?? opensslUnavailable();
if (skip) console.warn(`skipping syslog tests: ${skip}`);

function syslogConfig(fields: Record<string, unknown>): SyslogChannelConfig {
  return parseChannelConfig({
    type: "syslog",
    host: "127.0.0.1",
    ...fields,
  }) as SyslogChannelConfig;
}

Deno.test({
  name:
    "SyslogChannel delivers RFC 5424 with the alert's structured data to rsyslog over UDP, TCP and TLS",
  ignore: skip !== undefined,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "syslog-certs-" });
    const certs = await makeTestCertificates(dir);
    await using rsyslog = await startRsyslog(certs);
    const transports = [
      ["udp", rsyslog.udpPort, {}],
      ["tcp", rsyslog.tcpPort, {}],
      ["tls", rsyslog.tlsPort, { ca_file: certs.caFile }],
    ] as const;
    for (const [transport, port, extra] of transports) {
      await t.step(`over ${transport}, JSON body`, async () => {
        const alert = makeAlert({ id: `json-${transport}` });
        await using channel = new SyslogChannel(
          syslogConfig({ transport, port, hostname: "ctl.example.org", ...extra }),
        );
        // Two alerts on one connection: octet counting keeps them apart.
        await channel.send(alert);
        await channel.send({ ...alert, id: `json-${transport}-2` });
        const received = await receivedById(rsyslog.lines, `json-${transport}`);
        assert.equal(received.pri, 16 * 8 + 3, "local0.err for a high alert");
        assert.equal(received.version, 1);
        assert.equal(received.hostname, "ctl.example.org");
        assert.equal(received.appName, "decnet");
        assert.equal(received.msgId, "canary_triggered");
        const sd = received.sd[ALERT_SD_ID];
        assert.equal(sd.kind, "canary_triggered");
        assert.equal(sd.severity, "high");
        assert.equal(sd.occurred_at, alert.occurred_at);
        assert.equal(sd.token_uuid, alert.token!.uuid);
        assert.equal(sd.token_placement_path, "/home/ann/passwords.docx");
        assert.equal(sd.token_planted_at, alert.token!.planted_at);
        assert.equal(sd.src_ip, "192.0.2.7");
        assert.equal(sd.attacker_url, alert.attacker_url);
        assert.equal(sd.user_agent, alert.user_agent, "quote, bracket and backslash survive");
        assert.equal(sd.username, "admin=root|x");
        assert.equal(sd.dns_name, alert.dns_name);
        assert.equal(sd.dashboard_url, alert.dashboard_url);
        assert.equal(sd.suppressed_count, "3");
        assert.equal(sd.credential_secret, "[masked]");
        const body = JSON.parse(received.msg);
        assert.equal(body.id, `json-${transport}`);
        assert.equal(body.credential.secret, "[masked]");
        assert.equal(body.user_agent, alert.user_agent);
        await receivedById(rsyslog.lines, `json-${transport}-2`);
      });
    }
    await t.step("CEF body over TCP with secrets included", async () => {
      const alert = makeAlert({ id: "cef-tcp", title: "Token | triggered \\ here" });
      await using channel = new SyslogChannel(
        syslogConfig({
          transport: "tcp",
          port: rsyslog.tcpPort,
          format: "cef",
          include_secrets: true,
        }),
      );
      await channel.send(alert);
      const received = await receivedById(rsyslog.lines, "cef-tcp");
      assert.equal(received.sd[ALERT_SD_ID].credential_secret, "hunter2");
      const cef = parseCef(received.msg);
      assert.deepEqual(cef.header, [
        "CEF:0",
        "decnet",
        "decnet",
        VERSION,
        "canary_triggered",
        "Token | triggered \\ here",
        "8",
      ]);
      const x = cef.extensions;
      assert.equal(x.rt, String(Date.parse(alert.occurred_at)));
      assert.equal(x.externalId, "cef-tcp");
      assert.equal(x.src, "192.0.2.7");
      assert.equal(x.spt, "40123");
      assert.equal(x.suser, "admin=root|x");
      assert.equal(x.requestClientApplication, alert.user_agent);
      assert.equal(x.requestMethod, "GET");
      assert.equal(x.request, "/c/abc?a=b|c");
      assert.equal(x.dhost, "web01");
      assert.equal(x.filePath, "/home/ann/passwords.docx");
      assert.equal(x.cs1Label, "tokenUuid");
      assert.equal(x.cs1, alert.token!.uuid);
      assert.equal(x.cs2, alert.dns_name);
      assert.equal(x.cs3, alert.attacker_url);
      assert.equal(x.cs4, alert.dashboard_url);
      assert.equal(x.cs5, "password:hunter2");
      assert.equal(x.cn1Label, "suppressedCount");
      assert.equal(x.cn1, "3");
      assert.equal(x.deviceCustomDate1, String(Date.parse(alert.token!.planted_at!)));
    });
    await t.step(
      "TLS refuses a collector whose certificate the CA file does not vouch for",
      async () => {
        const otherDir = await Deno.makeTempDir({ prefix: "syslog-other-ca-" });
        try {
          const other = await makeTestCertificates(otherDir);
          await using channel = new SyslogChannel(
            syslogConfig({
              transport: "tls",
              port: rsyslog.tlsPort,
              ca_file: other.caFile,
              timeout_ms: 5000,
            }),
          );
          await assert.rejects(channel.send(makeAlert({ id: "untrusted" })), (e: Error) => {
            assert.equal(e.name, "ChannelError");
            assert.match(e.message, /TLS with 127\.0\.0\.1 failed/);
            return true;
          });
        } finally {
          await Deno.remove(otherDir, { recursive: true });
        }
      },
    );
    await t.step("TLS checks the certificate against server_name when set", async () => {
      const config = { transport: "tls", port: rsyslog.tlsPort, ca_file: certs.caFile };
      await using good = new SyslogChannel(syslogConfig({ ...config, server_name: "localhost" }));
      await good.send(makeAlert({ id: "server-name" }));
      await receivedById(rsyslog.lines, "server-name");
      await using bad = new SyslogChannel(syslogConfig({ ...config, server_name: "siem.example" }));
      await assert.rejects(
        bad.send(makeAlert({ id: "wrong-name" })),
        /TLS with 127\.0\.0\.1 failed/,
      );
    });
    await t.step("TCP fails retryably while the collector is down, then reconnects", async () => {
      await using channel = new SyslogChannel(
        syslogConfig({ transport: "tcp", port: rsyslog.tcpPort }),
      );
      await channel.send(makeAlert({ id: "before-restart" }));
      await receivedById(rsyslog.lines, "before-restart");
      await rsyslog.close();
      // A write into a connection whose FIN has not been read yet still "succeeds" (RFC 6587
      // syslog has no acknowledgement): the failure shows once the close is seen.
      await waitUntil(async () => {
        try {
          await channel.send(makeAlert({ id: "while-down" }));
          return false;
        } catch (e) {
          assert.ok(e instanceof ChannelError && e.retryable, String(e));
          return true;
        }
      }, { what: "a refused send" });
      await using again = await startRsyslog(certs, { ports: rsyslog });
      await channel.send(makeAlert({ id: "after-restart" }));
      await receivedById(again.lines, "after-restart");
    });
    await Deno.remove(dir, { recursive: true });
  },
});

/** The RFC 5424 line rsyslog wrote for the alert with this id (waits for it). */
async function receivedById(
  lines: () => Promise<string[]>,
  id: string,
): Promise<ReturnType<typeof parseRfc5424>> {
  let found: ReturnType<typeof parseRfc5424> | undefined;
  await waitUntil(async () => {
    for (const line of await lines()) {
      const parsed = parseRfc5424(line);
      if (parsed.sd[ALERT_SD_ID]?.id === id) found = parsed;
    }
    return found !== undefined;
  }, { what: `alert ${id} in rsyslog's file` });
  return found!;
}
