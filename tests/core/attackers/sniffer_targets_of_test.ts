import assert from "node:assert/strict";
import { snifferTargetsOf } from "../../../core/attackers/sniffer_targets_of.ts";

Deno.test("snifferTargetsOf() names each running decky's network interface from Docker's config", () => {
  const targets = snifferTargetsOf([
    { name: "mv-01", ip: "192.0.2.10", state: "running", network: "lan" },
    { name: "br-01", ip: "198.51.100.10", state: "degraded", network: "decoys" },
    // A network Docker does not list (removed, or Docker unreachable): found by address.
    { name: "old-01", ip: "198.51.100.11", state: "running", network: "gone" },
    { name: "shard-01", ip: "198.51.100.12", state: "running", network: null },
    { name: "down-01", ip: "192.0.2.11", state: "stopped", network: "lan" },
    { name: "noip-01", ip: null, state: "running", network: "lan" },
  ], [
    { name: "lan", id: "aaaaaaaaaaaaaaaa", driver: "macvlan", options: { parent: "eth1" } },
    { name: "decoys", id: "0123456789abcdef0", driver: "bridge", options: {} },
  ]);
  assert.deepEqual(targets, [
    { name: "mv-01", ip: "192.0.2.10", interface: "eth1" },
    { name: "br-01", ip: "198.51.100.10", interface: "br-0123456789ab" },
    { name: "old-01", ip: "198.51.100.11" },
    { name: "shard-01", ip: "198.51.100.12" },
  ]);
});
