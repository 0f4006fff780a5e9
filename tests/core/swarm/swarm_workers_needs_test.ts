import assert from "node:assert/strict";
import { loadConfig } from "../../../core/config/mod.ts";
import { agentCollectorWorker } from "../../../core/swarm/agent_collector_worker.ts";
import { swarmMasterWorker } from "../../../core/swarm/swarm_master_worker.ts";
import { workerPermissions } from "../../../core/workers/mod.ts";

const noFile = (): string => {
  throw new Deno.errors.NotFound("none");
};
const modulePath = "/opt/decnet/main.js";

Deno.test("agentCollectorWorker.needs() reaches Docker and its spools, never a database", () => {
  const config = loadConfig({ DECNET_HOME: "/srv/decnet", DECNET_MODE: "agent" }, {
    readTextFile: noFile,
  });
  const needs = agentCollectorWorker.needs(config);
  assert.equal(needs.database, false);
  assert.equal(needs.docker, true);
  assert.deepEqual(needs.listen, []);
  assert.ok(!(agentCollectorWorker.configKeys as readonly string[]).includes("dbUrl"));
  const p = workerPermissions(config, needs, { modulePath });
  assert.deepEqual((p.write || []).sort(), [
    "/srv/decnet/spool/canary",
    "/srv/decnet/spool/sniffer",
    "/srv/decnet/swarm/cursors",
    "/var/run/docker.sock",
  ]);
  assert.ok(p.read.includes("/srv/decnet/swarm"));
  assert.ok(!p.read.some((path) => path.includes("decnet.sqlite") || path.endsWith("jwt_secret")));
});

Deno.test("agentCollectorWorker.resolveNeeds() adds the nats-server the agent joined, and nothing before it joined", async () => {
  const home = await Deno.makeTempDir();
  const config = loadConfig({ DECNET_HOME: home, DECNET_MODE: "agent" }, { readTextFile: noFile });
  const needs = agentCollectorWorker.needs(config);
  assert.deepEqual((await agentCollectorWorker.resolveNeeds!(config, needs)).connect, []);
  await Deno.mkdir(`${home}/swarm`);
  await Deno.writeTextFile(
    `${home}/swarm/agent.json`,
    JSON.stringify({ name: "alpha", nats_url: "tls://192.0.2.1:4222" }),
  );
  await Deno.writeTextFile(`${home}/swarm/agent.creds`, "creds");
  assert.deepEqual((await agentCollectorWorker.resolveNeeds!(config, needs)).connect, [
    "192.0.2.1:4222",
  ]);
  await Deno.remove(home, { recursive: true });
});

Deno.test("swarmMasterWorker.needs() reaches the database and the swarm's nats-server, reads the master user's credentials and CA", () => {
  const config = loadConfig({
    DECNET_HOME: "/srv/decnet",
    DECNET_MODE: "master",
    DECNET_SWARM_NATS_URL: "tls://nats.example.net:4222",
    DECNET_SWARM_NATS_CA: "/etc/decnet/nats-ca.pem",
  }, { readTextFile: noFile });
  const needs = swarmMasterWorker.needs(config);
  assert.equal(needs.database, true);
  assert.equal(needs.docker, false);
  assert.deepEqual(needs.connect, ["nats.example.net:4222"]);
  assert.deepEqual(needs.read, ["/srv/decnet/swarm/master.creds", "/etc/decnet/nats-ca.pem"]);
  assert.deepEqual(needs.write, []);
});
