import assert from "node:assert/strict";
import { synFilter } from "../../../core/sniffer/syn_filter.ts";

Deno.test("synFilter() matches SYN without ACK to the listed addresses", () => {
  assert.equal(
    synFilter(["192.0.2.10", "192.0.2.11"]),
    "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and dst host (192.0.2.10 or 192.0.2.11)",
  );
});

Deno.test("synFilter() matches nothing when no address is listed", () => {
  assert.equal(synFilter([]), "less 0");
});

Deno.test("synFilter() refuses text that is not an IPv4 address", async (t) => {
  for (const bad of ["192.0.2.1 or tcp", "2001:db8::1", "192.0.2.256", ""]) {
    await t.step(JSON.stringify(bad), () => {
      assert.throws(() => synFilter([bad]), TypeError);
    });
  }
});
