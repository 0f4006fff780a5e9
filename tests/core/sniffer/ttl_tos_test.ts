import assert from "node:assert/strict";
import { hopDistance, initialTtl, tosFields } from "../../../core/sniffer/mod.ts";

Deno.test("tosFields() splits TOS 0x2A into tos 42, dscp 10, ecn 2", () => {
  assert.deepEqual(tosFields(0x2a), { tos: "42", dscp: 10, ecn: 2 });
  assert.deepEqual(tosFields(0), { tos: "0", dscp: 0, ecn: 0 });
  assert.deepEqual(tosFields(0xff), { tos: "255", dscp: 63, ecn: 3 });
  assert.deepEqual(tosFields(0xb8), { tos: "184", dscp: 46, ecn: 0 });
});

Deno.test("initialTtl() picks the next of 32/64/128/255 at the edges", () => {
  const cases: [number, number][] = [
    [0, 32],
    [1, 32],
    [32, 32],
    [33, 64],
    [64, 64],
    [65, 128],
    [128, 128],
    [129, 255],
    [255, 255],
  ];
  for (const [ttl, expected] of cases) assert.equal(initialTtl(ttl), expected, `ttl ${ttl}`);
});

Deno.test("hopDistance() is initial TTL minus TTL, clamped to 0-64", () => {
  const cases: [number, number][] = [
    [64, 0],
    [57, 7],
    [33, 31],
    [128, 0],
    [120, 8],
    [65, 63],
    [255, 0],
    [129, 64], // 126 hops is no real path: clamped
    [0, 32],
  ];
  for (const [ttl, expected] of cases) assert.equal(hopDistance(ttl), expected, `ttl ${ttl}`);
});
