import assert from "node:assert/strict";
import { canaryWorker } from "../../canary/canary_worker.ts";
import { collectorWorker } from "../../core/attackers/collector_worker.ts";
import { loadConfig } from "../../core/config/mod.ts";
import { workerPermissions } from "../../core/workers/mod.ts";

const noFile = (): string => {
  throw new Deno.errors.NotFound("none");
};
const config = loadConfig({
  DECNET_HOME: "/srv/decnet",
  DECNET_CANARY_DNS_ZONE: "t.example.net",
  DECNET_CANARY_DNS_SINKHOLE: "10.20.0.80",
}, {
  readTextFile: noFile,
});
const modulePath = "/opt/decnet/main.js";

Deno.test("canaryWorker.needs() reads and writes only its spool: no database, secret or other file", () => {
  const p = workerPermissions(config, canaryWorker.needs(config), { modulePath });
  assert.deepEqual(p.read.sort(), [modulePath, "/srv/decnet/spool/canary"]);
  assert.deepEqual(p.write, ["/srv/decnet/spool/canary"]);
  assert.equal(canaryWorker.needs(config).database, false);
});

Deno.test("canaryWorker.needs() lets the DNS listener answer any peer, and only when DNS is on", () => {
  assert.equal(workerPermissions(config, canaryWorker.needs(config), { modulePath }).net, true);
  const noDns = { ...config, canaryDnsZone: "" };
  assert.deepEqual(
    workerPermissions(noDns, canaryWorker.needs(noDns), { modulePath }).net,
    ["0.0.0.0"],
  );
});

Deno.test("collectorWorker.needs() reaches the database, Docker and the canary spool, and listens on nothing", () => {
  const needs = collectorWorker.needs(config);
  assert.equal(needs.database, true);
  assert.equal(needs.docker, true);
  assert.deepEqual(needs.listen, []);
  const p = workerPermissions(config, needs, { modulePath });
  assert.ok((p.write || []).includes("/srv/decnet/spool/canary"));
  // Docker's socket is its only network.
  assert.deepEqual(p.net, [`unix:${config.dockerHost.slice("unix://".length)}`]);
});
