import assert from "node:assert/strict";
import { mariaDbUnavailable, startMariaDb } from "../infra/mariadb.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { startWebhookReceiver } from "../core/alerts/_webhook_receiver.ts";

const SECRET = "a shared secret for tests";

Deno.test({
  name: "decnet up on MariaDB: killing the database sends the database_down alert from memory",
  ignore: mariaDbUnavailable() !== undefined,
  async fn() {
    await using maria = await startMariaDb();
    const dbUrl = await maria.createDatabase("alarm");
    const cwd = await Deno.makeTempDir({ prefix: "alerts-db-down-" });
    await using receiver = startWebhookReceiver({ secret: SECRET });
    try {
      await using proc = spawnDecnet(["up", "--only", "api,alerts"], {
        cwd,
        env: { DECNET_DB_URL: dbUrl, DECNET_API_PORT: "0" },
      });
      const [, password] = await proc.waitForLine(/password "([^"]+)"/);
      const [, api] = await proc.waitForLine(/API and dashboard listening on (http:\/\/\S+)/);
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
      const channel = await post("/api/v1/alerts/channels", {
        name: "soc",
        config: { type: "webhook", url: receiver.url, secret: SECRET },
      });
      await waitUntil(() => started() === 2, { what: "the alerts worker re-spawned" });
      await post("/api/v1/alerts/rules", {
        name: "db",
        events: ["database_down"],
        channel_ids: [channel.id],
        severity: "critical",
      });
      await waitUntil(() => proc.lines.some((l) => /alert rules reloaded.*rules=1/.test(l)), {
        what: "the rule loaded",
      });

      await maria.kill();
      await waitUntil(() => receiver.processed.size === 1, {
        what: "the database alarm",
        timeoutMs: 30_000,
      });
      const [alert] = receiver.processed.values();
      assert.equal(alert.kind, "database_down");
      assert.equal(alert.severity, "critical");
      assert.equal(alert.rule, "db");
      assert.match(String(alert.summary), /^The alerts worker cannot reach the database: /);
      assert.equal(receiver.badSignatures, 0);
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
