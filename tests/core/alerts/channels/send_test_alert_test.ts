import assert from "node:assert/strict";
import { parseChannelConfig } from "../../../../core/alerts/alert_channel.ts";
import { createChannel } from "../../../../core/alerts/channels/factory.ts";
import { sendTestAlert } from "../../../../core/alerts/channels/send_test_alert.ts";
import { makeAlert } from "../make_alert.ts";

Deno.test("createChannel() picks the channel by type", () => {
  const types = [
    { type: "syslog", transport: "udp", host: "127.0.0.1", port: 514 },
    { type: "smtp", host: "127.0.0.1", port: 25, from: "a@b.example", to: ["c@d.example"] },
    { type: "webhook", url: "http://127.0.0.1:9/" },
    { type: "file", path: "/tmp/x.jsonl" },
  ].map((c) => createChannel(parseChannelConfig(c)).type);
  assert.deepEqual(types, ["syslog", "smtp", "webhook", "file"]);
});

Deno.test("sendTestAlert() delivers the alert, masked, and reports ok", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/alerts.jsonl`;
  const alert = makeAlert({ id: "test-1", kind: "test", severity: "info" });
  const result = await sendTestAlert(parseChannelConfig({ type: "file", path }), alert, {
    clock: () => 0,
  });
  assert.deepEqual(result, { ok: true, elapsed_ms: 0 });
  const line = JSON.parse(await Deno.readTextFile(path));
  assert.equal(line.id, "test-1");
  assert.equal(line.kind, "test");
  assert.equal(line.credential.secret, "[masked]");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sendTestAlert() reports a failure with its reason instead of throwing", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const result = await sendTestAlert(
    parseChannelConfig({ type: "webhook", url: `http://127.0.0.1:${port}/hook` }),
    makeAlert({ kind: "test" }),
    { clock: () => 0 },
  );
  assert.equal(result.ok, false);
  assert.equal(result.retryable, true);
  assert.match(result.reason!, new RegExp(`127\\.0\\.0\\.1:${port} unreachable`));
});
