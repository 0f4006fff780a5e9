import assert from "node:assert/strict";
import {
  buildChallenge,
  hashcatLine,
  NtlmParseError,
  parseNtlmMessage,
} from "../../../../core/sensor/ntlmssp/mod.ts";
import { makeAuthenticate, makeNegotiate } from "./_ntlm_fixtures.ts";

/** Mulberry32: a small seeded PRNG, so a failure replays. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(seed: Uint8Array, random: () => number): Uint8Array {
  let bytes = seed.slice();
  const int = (n: number) => Math.floor(random() * n);
  for (let edits = 1 + int(4); edits > 0; edits--) {
    switch (int(5)) {
      case 0: // flip a byte
        if (bytes.length) bytes[int(bytes.length)] = int(256);
        break;
      case 1: // truncate
        bytes = bytes.slice(0, int(bytes.length + 1));
        break;
      case 2: { // aim a length or offset of a security buffer somewhere
        const at = 12 + 8 * int(6) + (int(2) ? 0 : 4);
        if (at + 4 <= bytes.length) {
          new DataView(bytes.buffer).setUint32(at, int(2) ? int(0x10000) : int(2 ** 32), true);
        }
        break;
      }
      case 3: { // append junk
        const extra = Uint8Array.from({ length: int(64) }, () => int(256));
        const grown = new Uint8Array(bytes.length + extra.length);
        grown.set(bytes);
        grown.set(extra, bytes.length);
        bytes = grown;
        break;
      }
      default: // random message type or flags
        if (bytes.length >= 16) new DataView(bytes.buffer).setUint32(int(2) ? 8 : 12, int(4), true);
    }
  }
  return bytes;
}

Deno.test("parseNtlmMessage() throws only NtlmParseError on 100,000 mutated messages", () => {
  const random = prng(15);
  const seeds = [
    makeNegotiate(),
    makeAuthenticate(),
    makeAuthenticate({ nt: new Uint8Array(120).fill(7) }),
    makeAuthenticate({ flags: 0x00088206 }),
  ];
  const counts = { parsed: 0, rejected: 0 };
  for (let i = 0; i < 100_000; i++) {
    const bytes = mutate(seeds[i % seeds.length], random);
    try {
      const message = parseNtlmMessage(bytes);
      counts.parsed++;
      // What parses must also be usable by the rest of the module.
      if (message.type === 1) {
        buildChallenge(message, {
          serverChallenge: new Uint8Array(8),
          now: new Date(0),
          netbiosComputer: "FS",
          netbiosDomain: "WG",
          dnsComputer: "fs",
          dnsDomain: "",
        });
      } else hashcatLine(message, new Uint8Array(8));
    } catch (e) {
      if (!(e instanceof NtlmParseError)) throw new Error(`Case ${i} threw ${e}`, { cause: e });
      counts.rejected++;
    }
  }
  // Both paths were exercised, so the mutations neither broke nor spared everything.
  assert.ok(counts.parsed > 1000 && counts.rejected > 1000, JSON.stringify(counts));
});
