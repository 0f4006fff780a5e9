import assert from "node:assert/strict";
import { natsUnavailable, startNats } from "../infra/nats.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

const PASSWORD = "nats-bus-operator-pw-7f3k";

interface WorkerRow {
  name: string;
  healthy: boolean;
  state: string;
}

Deno.test({
  name:
    "decnet up over a NATS bus: every worker connects, control crosses workers, and all recover after nats-server is killed and restarted",
  ignore: natsUnavailable() !== undefined,
  async fn() {
    await using nats = await startNats();
    const cwd = await Deno.makeTempDir({ prefix: "up-nats-" });
    try {
      await using proc = spawnDecnet(["up"], {
        cwd,
        env: {
          DECNET_BUS_URL: nats.url,
          DECNET_API_PORT: "0",
          DECNET_CANARY_HTTP_PORT: "0",
          DECNET_CANARY_DNS_PORT: "0",
          DECNET_ADMIN_PASSWORD: PASSWORD,
        },
      });
      const [, url] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
      assert.ok(!url.endsWith(`:${nats.port}`), "the bus has a port of its own");
      const healthStatus = async () => {
        const res = await fetch(`${url}/api/v1/health`);
        await res.body?.cancel();
        return res.status;
      };
      // Each worker's heartbeat reaches the API only through nats-server.
      await waitUntil(async () => await healthStatus() === 200, {
        what: "every worker healthy over NATS",
      });
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: PASSWORD }),
      });
      assert.equal(login.status, 200);
      const auth = { authorization: `Bearer ${(await login.json()).access_token}` };
      const workers = async () =>
        (await (await fetch(`${url}/api/v1/workers`, { headers: auth })).json())
          .items as WorkerRow[];
      assert.deepEqual((await workers()).map((w) => [w.name, w.healthy]), [
        ["alerts", true],
        ["api", true],
        ["canary", true],
        ["clusterer", true],
        ["collector", true],
        ["orchestrator", true],
        ["reconciler", true],
      ]);

      // api -> (control) -> orchestrator stops -> supervisor -> (health) -> api; then start it again.
      // The bus is best effort: a request sent while a worker is still reconnecting is lost, so
      // each request is repeated until its effect shows (both are idempotent).
      const stateOf = async () => (await workers()).find((w) => w.name === "orchestrator")?.state;
      const ask = async (action: "stop" | "start", until: string) => {
        await waitUntil(async () => {
          const res = await fetch(`${url}/api/v1/workers/orchestrator/${action}`, {
            method: "POST",
            headers: auth,
          });
          assert.equal(res.status, 202);
          await res.body?.cancel();
          return await waitUntil(async () => await stateOf() === until, { timeoutMs: 3000 })
            .then(() => true, () => false);
        }, { what: `orchestrator ${until}`, timeoutMs: 30_000 });
      };
      const roundTrip = async () => {
        await ask("stop", "stopped");
        await ask("start", "running");
      };
      await roundTrip();

      await nats.kill();
      await nats.restart();
      // The workers reconnect on their own (every 2 s); control crosses again once they have.
      await roundTrip();
      await waitUntil(async () => await healthStatus() === 200, { what: "healthy after restart" });
      const status = await proc.close();
      assert.equal(status.code, 0);
    } finally {
      await Deno.remove(cwd, { recursive: true });
    }
  },
});
