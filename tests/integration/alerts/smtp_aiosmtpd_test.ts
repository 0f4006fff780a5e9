import assert from "node:assert/strict";
import { parseChannelConfig, type SmtpChannelConfig } from "../../../core/alerts/alert_channel.ts";
import { alertText } from "../../../core/alerts/channels/alert_text.ts";
import { maskAlertSecrets } from "../../../core/alerts/channels/mask_alert_secrets.ts";
import { SmtpChannel } from "../../../core/alerts/channels/smtp_channel.ts";
import { channelRejection } from "../../core/alerts/channel_rejection.ts";
import { makeAlert } from "../../core/alerts/make_alert.ts";
import { aiosmtpdUnavailable, startAiosmtpd } from "../../infra/aiosmtpd.ts";
import { makeTestCertificates, opensslUnavailable } from "../../infra/test_certificates.ts";

const skip = (await aiosmtpdUnavailable()) ?? opensslUnavailable();
if (skip) console.warn(`skipping SMTP tests: ${skip}`);
const NOW = new Date("2026-12-01T14:05:09.000Z");
const USER = { username: "alerts", password: "relay pass \u00e9 1" };

function smtp(port: number, fields: Record<string, unknown> = {}): SmtpChannel {
  const config = parseChannelConfig({
    type: "smtp",
    host: "127.0.0.1",
    port,
    from: "decnet@ctl.example.org",
    to: ["soc@example.org", "oncall@example.org"],
    timeout_ms: 5000,
    ...fields,
  }) as SmtpChannelConfig;
  return new SmtpChannel(config, { now: () => NOW });
}

/** Headers (name lower-cased, unfolded) and the quoted-printable body decoded as UTF-8. */
function parseMail(data: string): { headers: Map<string, string>; body: string } {
  const [head, ...rest] = data.split("\r\n\r\n");
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const qp = rest.join("\r\n\r\n").replace(/=\r\n/g, "");
  const bytes = Uint8Array.from(
    qp.replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
    (c) => c.charCodeAt(0),
  );
  return { headers, body: new TextDecoder().decode(bytes).replaceAll("\r\n", "\n") };
}

Deno.test({
  name: "SmtpChannel mails the alert through a plain relay with the right headers and body",
  ignore: skip !== undefined,
  async fn() {
    await using relay = await startAiosmtpd();
    // A body line of a lone "." would end DATA early unless dot-stuffed.
    const alert = makeAlert({ title: "Canary token triggered \u2013 web01", summary: "." });
    await smtp(relay.port).send(alert);
    const [mail] = await relay.received();
    assert.equal(mail.mail_from, "decnet@ctl.example.org");
    assert.deepEqual(mail.rcpt_tos, ["soc@example.org", "oncall@example.org"]);
    assert.equal(mail.tls, false);
    const { headers, body } = parseMail(mail.data);
    assert.equal(headers.get("from"), "decnet@ctl.example.org");
    assert.equal(headers.get("to"), "soc@example.org, oncall@example.org");
    assert.equal(headers.get("date"), "Tue, 01 Dec 2026 14:05:09 +0000");
    assert.equal(headers.get("message-id"), `<${alert.id}@ctl.example.org>`);
    assert.equal(headers.get("auto-submitted"), "auto-generated");
    assert.equal(headers.get("x-decnet-alert-id"), alert.id);
    assert.equal(headers.get("content-type"), "text/plain; charset=utf-8");
    const subject = headers.get("subject")!.split(" ").map((word) => {
      const m = /^=\?UTF-8\?B\?(.*)\?=$/.exec(word);
      return m
        ? new TextDecoder().decode(Uint8Array.from(atob(m[1]), (c) => c.charCodeAt(0)))
        : word;
    }).join("");
    assert.equal(subject, "[high] Canary token triggered \u2013 web01");
    assert.equal(
      body,
      alertText(maskAlertSecrets(alert, false)),
      "dot-stuffed lines come back whole",
    );
    assert.match(body, /Credential: password \[masked\]/);
    assert.doesNotMatch(mail.data, /hunter2/);
    for (const line of mail.data.split("\r\n")) assert.ok(line.length <= 998, line);
  },
});

Deno.test({
  name: "SmtpChannel STARTTLS and AUTH against a relay that requires both",
  ignore: skip !== undefined,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "smtp-certs-" });
    const certificates = await makeTestCertificates(dir);
    await using relay = await startAiosmtpd({ certificates, requireStarttls: true, auth: USER });
    const tls = { ca_file: certificates.caFile, starttls: "required" };
    for (const auth of ["plain", "login"]) {
      await t.step(`AUTH ${auth.toUpperCase()} over STARTTLS`, async () => {
        const before = (await relay.received()).length;
        await smtp(relay.port, { ...tls, ...USER, auth, include_secrets: true })
          .send(makeAlert({ id: `auth-${auth}` }));
        const mail = (await relay.received())[before];
        assert.equal(mail.tls, true);
        assert.equal(mail.login, "alerts");
        assert.match(parseMail(mail.data).body, /Credential: password hunter2/);
      });
    }
    await t.step("a wrong password is a retryable failure naming the mechanism", async () => {
      const e = await channelRejection(
        smtp(relay.port, { ...tls, username: "alerts", password: "wrong" }).send(makeAlert()),
      );
      assert.equal(e.retryable, true);
      assert.match(e.reason, /refused AUTH PLAIN: .*535/);
      assert.doesNotMatch(e.reason, /wrong/);
    });
    await t.step("a relay certificate the CA file does not vouch for fails", async () => {
      const otherDir = await Deno.makeTempDir({ prefix: "smtp-other-ca-" });
      try {
        const other = await makeTestCertificates(otherDir);
        const e = await channelRejection(
          smtp(relay.port, { ...tls, ca_file: other.caFile }).send(makeAlert()),
        );
        assert.match(e.reason, /TLS with 127\.0\.0\.1 failed/);
      } finally {
        await Deno.remove(otherDir, { recursive: true });
      }
    });
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "SmtpChannel refuses what would be unsafe against a relay without TLS",
  ignore: skip !== undefined,
  async fn(t) {
    await using relay = await startAiosmtpd();
    await t.step("STARTTLS required but not offered", async () => {
      const e = await channelRejection(
        smtp(relay.port, { starttls: "required" }).send(makeAlert()),
      );
      assert.equal(e.retryable, true);
      assert.match(e.reason, /does not offer STARTTLS/);
    });
    await t.step("credentials without TLS are never sent", async () => {
      const e = await channelRejection(smtp(relay.port, USER).send(makeAlert()));
      assert.match(e.reason, /refusing to send the password without TLS/);
    });
    assert.deepEqual(await relay.received(), []);
  },
});
