import assert from "node:assert/strict";
import { LINK_TYPES, parseSynFrame } from "../../../core/sniffer/mod.ts";
import { parseProbeReply } from "../../../core/sniffer/parse_probe_reply.ts";
import { PROBE_FRAME_BYTES, probeFrame } from "../../../core/sniffer/probe_frame.ts";

const FIELDS = {
  dstMac: Uint8Array.of(2, 0, 0, 0, 0, 0xaa),
  srcMac: Uint8Array.of(2, 0, 0, 0, 0, 0xbb),
  srcIp: "192.0.2.10",
  dstIp: "198.51.100.7",
  srcPort: 40_001,
  dstPort: 22,
  isn: 0xfedcba98,
  ipId: 0x1234,
  tsVal: 77,
};

/** One's-complement sum of 16-bit words: 0xffff over a header holding a correct checksum. */
function onesSum(bytes: Uint8Array, start = 0): number {
  let sum = start;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

Deno.test("probeFrame() builds a Linux-like SYN with valid IP and TCP checksums", () => {
  const frame = probeFrame(FIELDS);
  assert.equal(frame.length, PROBE_FRAME_BYTES);
  assert.deepEqual([...frame.subarray(0, 12)], [...FIELDS.dstMac, ...FIELDS.srcMac]);
  assert.equal(onesSum(frame.subarray(14, 34)), 0xffff);
  // Pseudo-header: source and destination addresses, protocol 6, TCP length 40.
  const pseudo = Uint8Array.of(192, 0, 2, 10, 198, 51, 100, 7, 0, 6, 0, 40);
  assert.equal(onesSum(frame.subarray(34), onesSum(pseudo)), 0xffff);
  const syn = parseSynFrame(frame, LINK_TYPES.ETHERNET);
  assert.ok(syn);
  assert.deepEqual(
    [syn.srcIp, syn.dstIp, syn.srcPort, syn.dstPort, syn.isn, syn.ipId, syn.ttl, syn.df],
    ["192.0.2.10", "198.51.100.7", 40_001, 22, 0xfedcba98, 0x1234, 64, true],
  );
  assert.deepEqual([syn.window, syn.options.signature, syn.options.mss, syn.options.wscale], [
    64240,
    "mss,sok,ts,nop,ws",
    1460,
    7,
  ]);
  assert.equal(syn.options.tsVal, 77);
  assert.throws(() => probeFrame({ ...FIELDS, dstIp: "2001:db8::1" }), TypeError);
});

/** The answer a stack gives to `syn`: SYN-ACK (flags 0x12) or RST-ACK (0x14). */
function answer(syn: Uint8Array, flags: number, fields: { seq?: number; ttl?: number } = {}) {
  const frame = new Uint8Array(syn);
  const view = new DataView(frame.buffer);
  frame.set(syn.subarray(6, 12), 0);
  frame.set(syn.subarray(0, 6), 6);
  frame.set(syn.subarray(30, 34), 26);
  frame.set(syn.subarray(26, 30), 30);
  view.setUint16(34, view.getUint16(36));
  view.setUint16(36, new DataView(syn.buffer).getUint16(34));
  view.setUint32(38, fields.seq ?? 1);
  view.setUint32(42, (new DataView(syn.buffer).getUint32(38) + 1) >>> 0);
  frame[22] = fields.ttl ?? 64;
  frame[47] = flags;
  return frame;
}

Deno.test("parseProbeReply() reads SYN-ACKs and RSTs and nothing else", () => {
  const syn = probeFrame(FIELDS);
  const synAck = parseProbeReply(answer(syn, 0x12, { seq: 123, ttl: 61 }));
  assert.deepEqual(
    [synAck?.srcIp, synAck?.srcPort, synAck?.dstPort, synAck?.synAck, synAck?.seq, synAck?.ttl],
    ["198.51.100.7", 22, 40_001, true, 123, 61],
  );
  assert.equal(synAck?.ack, 0xfedcba99);
  assert.equal(synAck?.options.signature, "mss,sok,ts,nop,ws");
  assert.equal(parseProbeReply(answer(syn, 0x14))?.synAck, false);
  for (const flags of [0x02, 0x10, 0x04, 0x16]) {
    assert.equal(parseProbeReply(answer(syn, flags)), null);
  }
  // Truncated, or not IPv4 TCP: null, never a throw.
  for (let n = 0; n < syn.length; n++) parseProbeReply(answer(syn, 0x12).subarray(0, n));
  assert.equal(parseProbeReply(answer(syn, 0x12).subarray(0, 40)), null);
});
