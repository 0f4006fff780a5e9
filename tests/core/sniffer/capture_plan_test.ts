import assert from "node:assert/strict";
import { capturePlan, type HostAddress } from "../../../core/sniffer/capture_plan.ts";

const HOST: HostAddress[] = [
  { name: "lo", family: "IPv4", cidr: "127.0.0.1/8" },
  { name: "eth0", family: "IPv4", cidr: "198.51.100.5/16" },
  { name: "br-lan", family: "IPv4", cidr: "198.51.7.1/24" },
  { name: "eth0", family: "IPv6", cidr: "2001:db8::5/64" },
];

Deno.test("capturePlan() puts each decky on the interface holding its network", () => {
  const plan = capturePlan([
    { name: "ws-02", ip: "198.51.7.11" },
    { name: "ws-01", ip: "198.51.7.10" },
    { name: "lan-01", ip: "198.51.100.50" },
  ], HOST);
  assert.deepEqual([...plan.interfaces], [
    ["br-lan", ["198.51.7.10", "198.51.7.11"]],
    ["eth0", ["198.51.100.50"]],
  ]);
  assert.deepEqual(plan.unplaced, []);
});

Deno.test("capturePlan() prefers the longest prefix and never loopback", () => {
  // 198.51.7.10 is in eth0's /16 too: the bridge's /24 wins.
  const plan = capturePlan(
    [{ name: "a", ip: "198.51.7.10" }, { name: "b", ip: "127.0.0.2" }],
    HOST,
  );
  assert.deepEqual([...plan.interfaces.keys()], ["br-lan"]);
  assert.deepEqual(plan.unplaced, [{ name: "b", ip: "127.0.0.2" }]);
});

Deno.test("capturePlan() lists deckies no interface holds", () => {
  const plan = capturePlan([{ name: "far", ip: "203.0.113.9" }], HOST);
  assert.equal(plan.interfaces.size, 0);
  assert.deepEqual(plan.unplaced, [{ name: "far", ip: "203.0.113.9" }]);
});

Deno.test("capturePlan() captures on the interface a target names, address or not", () => {
  // A macvlan parent dedicated to the deckies' LAN holds no address: only the fleet's config
  // names it. A named interface also wins over an address match.
  const plan = capturePlan([
    { name: "mv-01", ip: "203.0.113.9", interface: "eth1" },
    { name: "mv-02", ip: "198.51.7.12", interface: "eth1" },
    { name: "ws-01", ip: "198.51.7.10" },
  ], HOST);
  assert.deepEqual([...plan.interfaces], [
    ["eth1", ["198.51.7.12", "203.0.113.9"]],
    ["br-lan", ["198.51.7.10"]],
  ]);
  assert.deepEqual(plan.unplaced, []);
});
