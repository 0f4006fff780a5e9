import assert from "node:assert/strict";
import { guessOs, OS_SIGNATURES, parseSynFrame } from "../../../core/sniffer/mod.ts";
import type { SynPacket } from "../../../core/sniffer/mod.ts";
import { compileSignatures, matchSignature } from "../../../core/sniffer/guess_os.ts";
import { loadSynFixture } from "./syn_fixture.ts";

function fixtureSyns(): SynPacket[] {
  const { linkType, frames } = loadSynFixture();
  return frames.map(({ data }) => {
    const syn = parseSynFrame(data, linkType);
    assert.ok(syn);
    return syn;
  });
}

/** Source address -> what sent it, as tests/infra/send_crafted_syns.py lays them out. */
const CRAFTED: Record<string, string> = {
  "10.77.0.10": "Windows 10/11",
  "10.77.0.11": "Windows 7/8",
  "10.77.0.12": "macOS/iOS",
  "10.77.0.13": "FreeBSD",
  "10.77.0.14": "OpenBSD",
  "10.77.0.15": "masscan",
  "10.77.0.16": "zmap",
  "10.77.0.17": "scapy",
};

Deno.test("guessOs() names the captured Linux, nmap and hping3 SYNs", () => {
  const fromLinuxHost = fixtureSyns().filter((syn) => syn.srcIp === "10.77.0.2");
  const names = fromLinuxHost.map((syn) =>
    syn.window === 1024
      ? ["nmap", guessOs(syn)]
      : syn.window === 512
      ? ["hping3", guessOs(syn)]
      : ["curl", guessOs(syn)]
  );
  assert.deepEqual(names, [
    ["curl", "Linux 3.11+"],
    ["curl", "Linux 3.11+"],
    ["nmap", "nmap SYN scan"],
    ["nmap", "nmap SYN scan"],
    ["nmap", "nmap SYN scan"],
    ["hping3", "hping3"],
    ["hping3", "hping3"],
    ["hping3", "hping3"],
  ]);
});

Deno.test("guessOs() names the crafted stacks and scanners", () => {
  for (const syn of fixtureSyns()) {
    const expected = CRAFTED[syn.srcIp];
    if (expected) assert.equal(guessOs(syn), expected, `SYN from ${syn.srcIp}`);
  }
});

Deno.test("guessOs() prefers a specific signature, falls back to a generic one, else unknown", () => {
  const [linux] = fixtureSyns();
  assert.equal(guessOs(linux), "Linux 3.11+");
  // An unusual window keeps the Linux option layout: only the generic entry matches.
  assert.equal(guessOs({ ...linux, window: 12345 }), "Linux");
  // A TTL from the 128 range breaks every Linux entry.
  assert.equal(guessOs({ ...linux, ttl: 120, window: 12345 }), "unknown");
  // nmap's random TTL may fall below 32 and still be nmap ("64-" is "at most 64").
  const nmap = fixtureSyns().find((syn) => syn.window === 1024 && syn.ttl < 64)!;
  assert.equal(guessOs({ ...nmap, ttl: 20 }), "nmap SYN scan");
  assert.equal(guessOs({ ...nmap, ttl: 70 }), "unknown");
});

Deno.test("compileSignatures() compiles the shipped table", () => {
  const compiled = compileSignatures(OS_SIGNATURES);
  assert.equal(compiled.length, OS_SIGNATURES.reduce((n, entry) => n + entry.sigs.length, 0));
});

Deno.test("compileSignatures() rejects a bad sig string naming it", async (t) => {
  const bad: [string, RegExp][] = [
    ["64:*:*,*:mss", /expected 5 fields, got 4/],
    ["63:*:*,*:mss:df", /expected ittl/],
    ["64:*:1024:mss:df", /expected "window,wscale"/],
    ["64:x:1024,0:mss:df", /expected a number, got "x"/],
    ["64:*:1024,0:mss:bogus", /unknown quirk "bogus"/],
  ];
  for (const [sig, message] of bad) {
    await t.step(sig, () => {
      assert.throws(
        () => compileSignatures([{ label: "Test", family: "Test", sigs: [sig] }]),
        (e: unknown) =>
          e instanceof SyntaxError && message.test(e.message) && e.message.includes(sig),
      );
    });
  }
});

Deno.test("matchSignature() matches mss*N, mtu*N and %N windows", () => {
  const [linux] = fixtureSyns();
  const table = compileSignatures([
    { label: "mtu", family: "t", sigs: ["64:*:mtu*4,*:*:"] },
    { label: "mod", family: "t", sigs: ["64:*:%1000,*:*:"] },
    { label: "mss", family: "t", sigs: ["64:*:mss*2,*:*:"] },
  ]);
  assert.equal(matchSignature(table, { ...linux, window: 1500 * 4 }), "mtu");
  assert.equal(matchSignature(table, { ...linux, window: 3000 }), "mod");
  assert.equal(matchSignature(table, { ...linux, window: 2920 }), "mss");
  assert.equal(matchSignature(table, { ...linux, window: 2921 }), "unknown");
});
