import assert from "node:assert/strict";
import { findBinary } from "../infra/find_binary.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { signInAdmin } from "../infra/sign_in_admin.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { startWebhookReceiver } from "../core/alerts/_webhook_receiver.ts";
import { addWebhookRule } from "./_alerts_up.ts";
import {
  canaryUpEnv,
  insertToken,
  openUpDatabase,
  waitForCanaryUp,
  waitForSlug,
} from "./_canary_up.ts";

const SLUG = "Al3rt_kP9vLm2TzR8wNc5d";
const ZONE = "t.example.net";
const SECRET = "a shared secret for tests";

Deno.test({
  name:
    "decnet up: a webhook channel and rule made through the API get a signed alert when a canary token is tripped",
  ignore: !findBinary("dig"),
  async fn() {
    const cwd = await Deno.makeTempDir({ prefix: "alerts-up-" });
    await using receiver = startWebhookReceiver({ secret: SECRET });
    try {
      await using proc = spawnDecnet(["up", "--only", "api,canary,collector,alerts"], {
        cwd,
        env: { ...canaryUpEnv(ZONE), DECNET_DASHBOARD_URL: "https://decnet.corp.example" },
      });
      const [, password] = await proc.waitForLine(/password "([^"]+)"/);
      const { httpPort, dnsPort, api } = await waitForCanaryUp(proc);
      await using db = await openUpDatabase(cwd);
      const uuid = await insertToken(db, SLUG);
      await waitForSlug("127.0.0.1", dnsPort, `ready.${SLUG}.${ZONE}`);

      const admin = await signInAdmin(api, password);
      assert.equal(
        proc.lines.filter((l) => /worker started.*worker=alerts/.test(l)).length,
        1,
      );
      await addWebhookRule(proc, admin, {
        url: receiver.url,
        secret: SECRET,
        rule: {
          name: "canaries",
          events: ["canary_triggered"],
          throttle_seconds: 0,
          severity: "critical",
        },
      });
      const res = await fetch(
        `http://127.0.0.1:${httpPort}/c/${SLUG}/info/refs?service=git-upload-pack`,
        {
          headers: { "user-agent": "git/2.39.5" },
        },
      );
      assert.equal(res.status, 200);
      await res.body?.cancel();
      await waitUntil(
        () => [...receiver.processed.values()].some((a) => a.request_path !== undefined),
        { what: "the HTTP trip's alert" },
      );
      const alert = [...receiver.processed.values()].find((a) => a.request_path !== undefined)!;
      assert.equal(receiver.badSignatures, 0);
      assert.equal(alert.kind, "canary_triggered");
      assert.equal(alert.severity, "critical");
      assert.equal(alert.rule, "canaries");
      assert.equal(alert.src_ip, "127.0.0.1");
      assert.equal(alert.user_agent, "git/2.39.5");
      assert.equal(alert.request_method, "GET");
      assert.equal(alert.request_path, `/c/${SLUG}/info/refs?service=git-upload-pack`);
      assert.deepEqual(alert.token, { uuid, kind: "http", decky: "ws-01" });
      assert.equal(alert.dashboard_url, `https://decnet.corp.example/canary/${uuid}`);
      const deliveries = await admin.get<{ items: { alert_id: string }[] }>(
        "/api/v1/alerts/deliveries?state=delivered",
      );
      assert.ok(deliveries.items.some((d) => d.alert_id === alert.id));
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
