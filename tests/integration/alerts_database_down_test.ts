import assert from "node:assert/strict";
import { mariaDbUnavailable, startMariaDb } from "../infra/mariadb.ts";
import { signInAdmin } from "../infra/sign_in_admin.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { startWebhookReceiver } from "../core/alerts/_webhook_receiver.ts";
import { addWebhookRule } from "./_alerts_up.ts";

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
      await addWebhookRule(proc, await signInAdmin(api, password), {
        url: receiver.url,
        secret: SECRET,
        rule: { name: "db", events: ["database_down"], severity: "critical" },
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
