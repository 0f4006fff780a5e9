import assert from "node:assert/strict";
import { parseSynFrame, parseTcpFingerprint, SynTracker } from "../../../core/sniffer/mod.ts";
import { makeTcpFingerprint } from "../db/tcp_fingerprints_contract.ts";
import { loadSynFixture } from "./syn_fixture.ts";

Deno.test("parseTcpFingerprint() accepts what SynTracker emits, through JSON", () => {
  const { linkType, frames } = loadSynFixture();
  const tracker = new SynTracker();
  let checked = 0;
  for (const [i, { data }] of frames.entries()) {
    const event = tracker.observe(parseSynFrame(data, linkType)!, new Date(1_800_000_000_000 + i));
    if (!event) continue;
    assert.deepEqual(parseTcpFingerprint(JSON.parse(JSON.stringify(event))), event);
    checked++;
  }
  assert.ok(checked > 10, `checked ${checked}`);
});

Deno.test("parseTcpFingerprint() drops unknown fields", () => {
  const event = makeTcpFingerprint();
  assert.deepEqual(parseTcpFingerprint({ ...event, extra: "x" }), event);
});

Deno.test("parseTcpFingerprint() names the bad field and value", async (t) => {
  const cases: [string, unknown, RegExp][] = [
    ["not an object", "x", /expected an object, got string/],
    ["array", [], /expected an object, got object/],
    ["src_ip", { ...makeTcpFingerprint(), src_ip: "<script>" }, /bad src_ip, got "<script>"/],
    ["dst_port", { ...makeTcpFingerprint(), dst_port: 70000 }, /bad dst_port, got 70000/],
    ["mss", { ...makeTcpFingerprint(), mss: "1460" }, /bad mss, got "1460"/],
    ["tos", { ...makeTcpFingerprint(), tos: "256" }, /bad tos, got "256"/],
    ["dscp", { ...makeTcpFingerprint(), dscp: 64 }, /bad dscp, got 64/],
    ["ipid_class", { ...makeTcpFingerprint(), ipid_class: "weird" }, /bad ipid_class, got "weird"/],
    ["has_sack", { ...makeTcpFingerprint(), has_sack: 1 }, /bad has_sack, got 1/],
    ["occurred_at", { ...makeTcpFingerprint(), occurred_at: "yesterday" }, /bad occurred_at/],
    [
      "missing repeats",
      { ...makeTcpFingerprint(), repeats: undefined },
      /bad repeats, got undefined/,
    ],
  ];
  for (const [name, value, message] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => parseTcpFingerprint(value),
        (e: unknown) => e instanceof TypeError && message.test(e.message),
      );
    });
  }
});
