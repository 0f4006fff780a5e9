// Read-only API keys and the audit log through the real product: `decnet up`
// spawned as a process over a real nats-server, keys used with curl, and a
// `decnet user add` run as its own CLI process against the same database.
import assert from "node:assert/strict";
import { userInfo } from "node:os";
import { type AuditPayload, type BusMessage, openBus } from "../../core/bus/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { natsUnavailable, startNats } from "../infra/nats.ts";
import { runDecnet } from "../infra/run_decnet.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

const PASSWORD = "audit-operator-pw-9q2z";

/** curl with the key as a bearer token; returns the status and body. */
async function curl(
  url: string,
  key: string,
  method = "GET",
): Promise<{ status: number; body: string }> {
  const args = ["-s", "-X", method, "-H", `authorization: Bearer ${key}`, "-w", "\n%{http_code}"];
  if (method !== "GET") args.push("-H", "content-type: application/json", "-d", "{}");
  const out = await new Deno.Command("curl", { args: [...args, url], stdout: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  const nl = text.lastIndexOf("\n");
  return { status: Number(text.slice(nl + 1)), body: text.slice(0, nl) };
}

Deno.test({
  name:
    "decnet up: an API key created through the API reads with curl, cannot write, is refused once revoked; every action is audited and published",
  ignore: natsUnavailable() !== undefined,
  async fn() {
    await using nats = await startNats();
    const home = await Deno.makeTempDir({ prefix: "up-audit-" });
    try {
      await using bus = openBus({
        busUrl: nats.url,
        name: "test",
        logger: new Logger({ level: "error", sink: () => {} }),
      });
      const published: BusMessage[] = [];
      using _sub = bus.subscribe("audit.>", (m) => {
        published.push(m);
      });
      await waitUntil(() => bus.stats().connected, { what: "the test's bus connection" });

      const env = {
        DECNET_HOME: home,
        DECNET_BUS_URL: nats.url,
        DECNET_API_PORT: "0",
        DECNET_API_BIND: "127.0.0.1",
        DECNET_CANARY_HTTP_PORT: "0",
        DECNET_CANARY_DNS_PORT: "0",
        DECNET_ADMIN_PASSWORD: PASSWORD,
        // No daemon there: the reconciler and collector never touch a real Docker.
        DOCKER_HOST: `unix://${home}/no-docker.sock`,
      };
      await using proc = spawnDecnet(["up"], { cwd: home, env });
      const [, url] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: PASSWORD }),
      });
      assert.equal(login.status, 200);
      const admin = { authorization: `Bearer ${(await login.json()).access_token}` };

      const created = await fetch(`${url}/api/v1/api-keys`, {
        method: "POST",
        headers: { ...admin, "content-type": "application/json" },
        body: JSON.stringify({ name: "siem", role: "viewer" }),
      });
      assert.equal(created.status, 201);
      const { key, uuid } = await created.json();

      const read = await curl(`${url}/api/v1/attackers`, key);
      assert.equal(read.status, 200, read.body);
      assert.deepEqual(JSON.parse(read.body), { items: [], total: 0 });
      const write = await curl(`${url}/api/v1/api-keys`, key, "POST");
      assert.equal(write.status, 403, write.body);
      assert.equal(JSON.parse(write.body).error.code, "read_only_key");

      const revoke = await fetch(`${url}/api/v1/api-keys/${uuid}`, {
        method: "DELETE",
        headers: admin,
      });
      assert.equal(revoke.status, 200);
      await revoke.body?.cancel();
      const refused = await curl(`${url}/api/v1/attackers`, key);
      assert.equal(refused.status, 401, refused.body);

      const add = await runDecnet(["user", "add", "ops", "--role", "viewer"], {
        home,
        env: { DECNET_BUS_URL: nats.url },
        stdin: "a-long-unusual-passphrase\n",
      });
      assert.equal(add.code, 0, add.stderr);

      const audit = await fetch(`${url}/api/v1/audit`, { headers: admin });
      assert.equal(audit.status, 200);
      const { items } = await audit.json() as { items: AuditPayload[] };
      assert.deepEqual(
        items.map((e) => [e.action, e.actor, e.actor_kind, e.os_user, e.client_ip, e.outcome]),
        [
          ["user.added", "cli", "cli", userInfo().username, null, "success"],
          ["api_key.revoked", "admin", "user", null, "127.0.0.1", "success"],
          ["api_key.created", "admin", "user", null, "127.0.0.1", "success"],
        ],
      );
      assert.equal(items[0].target, "ops");
      assert.ok(!JSON.stringify(items).includes(key), "the key is never in the audit log");

      // The API worker and the CLI run both published each entry on the bus, after storing it.
      await waitUntil(() => published.length >= 3, { what: "three audit messages on NATS" });
      assert.deepEqual(
        published.map((m) => m.topic).sort(),
        ["audit.api_key.created", "audit.api_key.revoked", "audit.user.added"],
      );
      for (const m of published) {
        assert.deepEqual(m.payload, items.find((e) => e.id === (m.payload as AuditPayload).id));
      }
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
