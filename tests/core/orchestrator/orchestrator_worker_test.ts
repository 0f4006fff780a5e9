import assert from "node:assert/strict";
import { loadConfig } from "../../../core/config/mod.ts";
import {
  orchestratorNeeds,
  orchestratorWorker,
} from "../../../core/orchestrator/orchestrator_worker.ts";

const noFile = (): string => {
  throw new Deno.errors.NotFound("none");
};

Deno.test("orchestratorNeeds() reaches nats-server and reads the master user's credentials (not the trust chain) only on a master", () => {
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
  assert.ok(master.read.includes("/srv/decnet/swarm/master.creds"));
  assert.ok(!master.read.some((p) => p.endsWith("authority.json")));
  assert.ok(master.read.includes("/etc/decnet/nats-ca.pem"));
  assert.deepEqual(master.write, []);
});

Deno.test("the orchestrator worker's resolveNeeds() grants a named nats-server's name and addresses, keeping the LLM server", async () => {
  const config = loadConfig({
    DECNET_HOME: "/srv/decnet",
    DECNET_SWARM_NATS_URL: "tls://localhost:4222",
    DECNET_SWARM_NATS_CA: "/etc/decnet/nats-ca.pem",
    DECNET_REALISM_LLM: "ollama",
    DECNET_REALISM_LLM_URL: "http://192.0.2.9:11434",
  }, { readTextFile: noFile });
  const needs = orchestratorWorker.needs(config);
  assert.deepEqual(needs.connect, ["192.0.2.9:11434", "localhost:4222"]);
  const resolved = await orchestratorWorker.resolveNeeds!(config, needs);
  // A Worker granted only localhost:4222 cannot resolve localhost (getaddrinfo EPERM).
  assert.deepEqual(resolved.connect.slice(0, 2), ["192.0.2.9:11434", "localhost"]);
  assert.ok(resolved.connect.includes("127.0.0.1:4222"), resolved.connect.join(","));
  assert.deepEqual(resolved.read, needs.read);
});
