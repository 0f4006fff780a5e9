import assert from "node:assert/strict";
import {
  parseChannelConfig,
  type WebhookChannelConfig,
} from "../../../core/alerts/alert_channel.ts";
import { WebhookChannel } from "../../../core/alerts/channels/webhook_channel.ts";
import { channelRejection } from "../../core/alerts/channel_rejection.ts";
import { makeAlert } from "../../core/alerts/make_alert.ts";
import { makeTestCertificates, opensslUnavailable } from "../../infra/test_certificates.ts";

const skip = opensslUnavailable();
if (skip) console.warn(`skipping HTTPS webhook tests: ${skip}`);

function webhook(fields: Record<string, unknown>): WebhookChannel {
  return new WebhookChannel(
    parseChannelConfig({ type: "webhook", timeout_ms: 5000, ...fields }) as WebhookChannelConfig,
  );
}

Deno.test({
  name: "WebhookChannel trusts the channel's ca_file for an HTTPS receiver, and only then",
  ignore: skip !== undefined,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const certs = await makeTestCertificates(dir);
      const received: string[] = [];
      await using server = Deno.serve({
        hostname: "127.0.0.1",
        port: 0,
        cert: await Deno.readTextFile(certs.certFile),
        key: await Deno.readTextFile(certs.keyFile),
        onListen: () => {},
      }, async (request) => {
        received.push(request.headers.get("x-decnet-alert-id") ?? "");
        await request.body?.cancel();
        return new Response(null, { status: 204 });
      });
      const url = `https://localhost:${server.addr.port}/in`;

      await using trusting = webhook({ url, ca_file: certs.caFile });
      await trusting.send(makeAlert({ id: "tls-1" }));
      await trusting.send(makeAlert({ id: "tls-2" }));
      assert.deepEqual(received, ["tls-1", "tls-2"]);

      // Without the CA, the system store does not know the test CA: retried, never delivered.
      await using plain = webhook({ url });
      const untrusted = await channelRejection(plain.send(makeAlert({ id: "tls-3" })));
      assert.equal(untrusted.retryable, true);
      assert.match(untrusted.reason, /^Webhook https:\/\/localhost:\d+ unreachable: /);
      assert.doesNotMatch(untrusted.reason, /\/in/);

      // A file that is not PEM, or is missing, is named and not retried.
      const notPem = `${dir}/not-a-ca.pem`;
      await Deno.writeTextFile(notPem, "hello\n");
      await using bad = webhook({ url, ca_file: notPem });
      const wrong = await channelRejection(bad.send(makeAlert({ id: "tls-4" })));
      assert.equal(wrong.retryable, false);
      assert.equal(wrong.reason, `Cannot use ca_file ${notPem}: expected PEM certificates`);
      await using missing = webhook({ url, ca_file: `${dir}/missing.pem` });
      const gone = await channelRejection(missing.send(makeAlert({ id: "tls-5" })));
      assert.equal(gone.retryable, false);
      assert.match(gone.reason, /^Cannot read ca_file .*missing\.pem: /);
      assert.deepEqual(received, ["tls-1", "tls-2"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
