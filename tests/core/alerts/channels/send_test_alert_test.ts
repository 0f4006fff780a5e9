import assert from "node:assert/strict";
import { parseChannelConfig } from "../../../../core/alerts/alert_channel.ts";
import { createChannel } from "../../../../core/alerts/channels/factory.ts";
import { sendTestAlert, testAlert } from "../../../../core/alerts/channels/send_test_alert.ts";

const NOW = new Date("2026-12-01T14:00:00.000Z");

Deno.test("createChannel() picks the channel by type", () => {
  const types = [
    { type: "syslog", transport: "udp", host: "127.0.0.1", port: 514 },
    { type: "smtp", host: "127.0.0.1", port: 25, from: "a@b.example", to: ["c@d.example"] },
    { type: "webhook", url: "http://127.0.0.1:9/" },
    { type: "file", path: "/tmp/x.jsonl" },
  ].map((c) => createChannel(parseChannelConfig(c)).type);
  assert.deepEqual(types, ["syslog", "smtp", "webhook", "file"]);
});

Deno.test("sendTestAlert() delivers a masked test alert and reports ok", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/alerts.jsonl`;
  const result = await sendTestAlert(parseChannelConfig({ type: "file", path }), {
    now: NOW,
    id: "test-1",
    dashboardUrl: "https://soc.example.org/",
    requestedBy: "admin",
    clock: () => 0,
  });
  assert.deepEqual(result, { ok: true, elapsed_ms: 0 });
  const line = JSON.parse(await Deno.readTextFile(path));
  assert.equal(line.kind, "test");
  assert.equal(line.id, "test-1");
  assert.equal(line.dashboard_url, "https://soc.example.org/");
  assert.match(line.summary, /sent by admin/);
  assert.equal(line.credential.secret, "[masked]");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sendTestAlert() reports a failure with its reason instead of throwing", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const result = await sendTestAlert(
    parseChannelConfig({ type: "webhook", url: `http://127.0.0.1:${port}/hook` }),
    { now: NOW, id: "t", clock: () => 0 },
  );
  assert.equal(result.ok, false);
  assert.equal(result.retryable, true);
  assert.match(result.reason!, new RegExp(`127\\.0\\.0\\.1:${port} unreachable`));
});

Deno.test("testAlert() uses reserved addresses and an example credential", () => {
  const alert = testAlert({ now: NOW, id: "t" });
  assert.equal(alert.kind, "test");
  assert.equal(alert.src_ip, "192.0.2.1");
  assert.equal(alert.occurred_at, NOW.toISOString());
});
