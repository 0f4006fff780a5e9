import assert from "node:assert/strict";
import { parseTcpProbe } from "../../../core/sniffer/mod.ts";
import { makeTcpProbe } from "../db/tcp_fingerprints_contract.ts";

Deno.test("parseTcpProbe() returns a probe with only its known fields", () => {
  const probe = makeTcpProbe();
  assert.deepEqual(parseTcpProbe(JSON.parse(JSON.stringify({ ...probe, extra: 1 }))), probe);
});

Deno.test("parseTcpProbe() names the first bad field", () => {
  const probe = makeTcpProbe();
  const cases: [unknown, RegExp][] = [
    [null, /expected an object for probe/],
    [{ ...probe, kind: "tcp_fingerprint" }, /bad kind/],
    [{ ...probe, src_ip: "2001:db8::1" }, /bad src_ip, got "2001:db8::1"/],
    [{ ...probe, ports: Array(17).fill(probe.ports[0]) }, /bad ports/],
    [{ ...probe, ports: [{ ...probe.ports[0], state: "half-open" }] }, /bad state/],
    [{ ...probe, ports: [{ ...probe.ports[0], ttl: 256 }] }, /bad ttl, got 256/],
    [{ ...probe, ports: [{ ...probe.ports[0], options: "<b>" }] }, /bad options/],
  ];
  for (const [value, message] of cases) assert.throws(() => parseTcpProbe(value), message);
});
