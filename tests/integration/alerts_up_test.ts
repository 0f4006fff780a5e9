import assert from "node:assert/strict";
import { findBinary } from "../infra/find_binary.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { startWebhookReceiver } from "../core/alerts/_webhook_receiver.ts";
import { insertToken, openUpDatabase, waitForSlug } from "./_canary_up.ts";

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
        env: {
          DECNET_API_PORT: "0",
          DECNET_CANARY_HTTP_BIND: "127.0.0.1",
          DECNET_CANARY_HTTP_PORT: "0",
          DECNET_CANARY_DNS_BIND: "127.0.0.1",
          DECNET_CANARY_DNS_PORT: "0",
          DECNET_CANARY_DNS_ZONE: ZONE,
          DECNET_CANARY_DNS_SINKHOLE: "10.20.0.80",
          DECNET_DASHBOARD_URL: "https://decnet.corp.example",
        },
      });
      const [, password] = await proc.waitForLine(/password "([^"]+)"/);
      const [, httpPort] = await proc.waitForLine(/Canary HTTP listening on [\d.]+:(\d+)/);
      const [, dnsPort] = await proc.waitForLine(/Canary DNS listening on [\d.]+:(\d+)/);
      const [, api] = await proc.waitForLine(/API and dashboard listening on (http:\/\/\S+)/);
      await using db = await openUpDatabase(cwd);
      const uuid = await insertToken(db, SLUG);
      await waitForSlug("127.0.0.1", dnsPort, `ready.${SLUG}.${ZONE}`);

      const login = await fetch(`${api}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password }),
      });
      const headers = {
        authorization: `Bearer ${(await login.json()).access_token}`,
        "content-type": "application/json",
      };
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${api}${path}`, {
          method: "POST",
          headers,
          body: JSON.stringify(body),
        });
        assert.equal(res.status, 201, await res.clone().text());
        return await res.json();
      };
      const started = () =>
        proc.lines.filter((l) => /worker started.*worker=alerts/.test(l)).length;
      assert.equal(started(), 1);
      const channel = await post("/api/v1/alerts/channels", {
        name: "soc",
        config: { type: "webhook", url: receiver.url, secret: SECRET },
      });
      // The worker could reach no destination before: it is re-spawned with this one.
      await waitUntil(() => started() === 2, { what: "the alerts worker re-spawned" });
      await post("/api/v1/alerts/rules", {
        name: "canaries",
        events: ["canary_triggered"],
        channel_ids: [channel.id],
        throttle_seconds: 0,
        severity: "critical",
      });
      await waitUntil(async () => {
        const body = await (await fetch(`${api}/api/v1/alerts/rules`, { headers })).json();
        return body.total === 1;
      });

      // The rule is read within the worker's next look at the bus message that announced it.
      await waitUntil(() => proc.lines.some((l) => /alert rules reloaded.*rules=1/.test(l)), {
        what: "the rule loaded",
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
      const deliveries =
        await (await fetch(`${api}/api/v1/alerts/deliveries?state=delivered`, { headers }))
          .json();
      assert.ok(deliveries.items.some((d: { alert_id: string }) => d.alert_id === alert.id));
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
