import assert from "node:assert/strict";
import { loadConfig } from "../../../core/config/mod.ts";
import { orchestratorNeeds } from "../../../core/orchestrator/orchestrator_worker.ts";

const noFile = (): string => {
  throw new Deno.errors.NotFound("none");
};

Deno.test("orchestratorNeeds() reaches nats-server and the master's trust chain only on a master", () => {
  const single = orchestratorNeeds(
    loadConfig({ DECNET_HOME: "/srv/decnet" }, { readTextFile: noFile }),
  );
  assert.deepEqual(single.connect, []);
  assert.ok(!single.read.some((p) => p.includes("swarm") || p.endsWith(".pem")));
  const master = orchestratorNeeds(loadConfig({
    DECNET_HOME: "/srv/decnet",
    DECNET_SWARM_NATS_URL: "tls://nats.lan:4222",
    DECNET_SWARM_NATS_CA: "/etc/decnet/nats-ca.pem",
  }, { readTextFile: noFile }));
  assert.deepEqual(master.connect, ["nats.lan:4222"]);
  assert.ok(master.read.includes("/srv/decnet/swarm/authority.json"));
  assert.ok(master.read.includes("/etc/decnet/nats-ca.pem"));
  assert.deepEqual(master.write, []);
});
