import assert from "node:assert/strict";
import {
  DNS_CLASS_IN,
  DNS_TYPE,
  type DnsMessage,
  DnsParseError,
  EDNS_CLIENT_SUBNET,
  encodeDnsMessage,
  parseDnsMessage,
} from "../../../canary/receiver/mod.ts";
import { makeQuery, seededRandom } from "./_dns_fixtures.ts";

/** The issue asks for at least a million packets. */
const PACKETS = 1_000_000;

function seeds(): Uint8Array[] {
  const answered = (q: DnsMessage): DnsMessage => ({
    ...q,
    header: { ...q.header, qr: true, aa: true },
    answers: [{
      name: q.questions[0].name,
      type: DNS_TYPE.A,
      class: DNS_CLASS_IN,
      ttl: 60,
      rdata: { kind: "raw", bytes: new Uint8Array([192, 0, 2, 1]) },
    }, {
      name: q.questions[0].name,
      type: DNS_TYPE.CNAME,
      class: DNS_CLASS_IN,
      ttl: 60,
      rdata: { kind: "name", name: ["x", ...q.questions[0].name.slice(1)] },
    }],
    authorities: [{
      name: q.questions[0].name.slice(1),
      type: DNS_TYPE.SOA,
      class: DNS_CLASS_IN,
      ttl: 60,
      rdata: {
        kind: "soa",
        mname: ["ns1", ...q.questions[0].name.slice(1)],
        rname: ["hostmaster", ...q.questions[0].name.slice(1)],
        serial: 1,
        refresh: 2,
        retry: 3,
        expire: 4,
        minimum: 5,
      },
    }],
  });
  const ecs = { code: EDNS_CLIENT_SUBNET, data: new Uint8Array([0, 1, 24, 0, 198, 51, 100]) };
  return [
    makeQuery("Ab3dEf6hIj9kLm2nOp5qRs.t.example.net"),
    makeQuery("a.b.Ab3dEf6hIj9kLm2nOp5qRs.T.Example.NET", { edns: 1232, ednsOptions: [ecs] }),
    makeQuery("t.example.net", { type: DNS_TYPE.SOA, edns: 4096 }),
    answered(makeQuery("www.example.org", { edns: 1232 })),
    answered(makeQuery("a.b.c.d.e.f.example.com")),
  ].map((m) => encodeDnsMessage(m));
}

function mutate(seed: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  let bytes = seed.slice();
  const edits = 1 + pick(4);
  for (let e = 0; e < edits; e++) {
    const op = pick(7);
    if (bytes.length === 0) bytes = new Uint8Array([pick(256)]);
    const at = pick(bytes.length);
    if (op === 0) bytes[at] = pick(256);
    else if (op === 1) bytes[at] ^= 1 << pick(8);
    else if (op === 2) bytes = bytes.slice(0, at);
    else if (op === 3) {
      // A compression pointer somewhere, often at a label start.
      bytes[at] = 0xc0 | pick(4);
      if (at + 1 < bytes.length) bytes[at + 1] = pick(bytes.length + 8);
    } else if (op === 4) bytes[at] = [0, 63, 64, 0x80, 0xff][pick(5)];
    else if (op === 5) {
      const extra = Uint8Array.from({ length: 1 + pick(16) }, () => pick(256));
      const next = new Uint8Array(bytes.length + extra.length);
      next.set(bytes.subarray(0, at));
      next.set(extra, at);
      next.set(bytes.subarray(at), at + extra.length);
      bytes = next;
    } else if (at + 1 < 12) bytes[4 + pick(8)] = pick(256); // section counts
  }
  return bytes;
}

Deno.test("parseDnsMessage() throws nothing but DnsParseError on 1,000,000 fuzzed packets", () => {
  const random = seededRandom(0x5eed);
  const corpus = seeds();
  let parsed = 0;
  for (let i = 0; i < PACKETS; i++) {
    const bytes = i % 4 === 0
      ? Uint8Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256))
      : mutate(corpus[i % corpus.length], random);
    let message: DnsMessage;
    try {
      message = parseDnsMessage(bytes);
    } catch (e) {
      if (!(e instanceof DnsParseError)) {
        throw new Error(`packet ${i} escaped with ${e}: ${[...bytes]}`, { cause: e });
      }
      continue;
    }
    parsed++;
    // Whatever parses must encode and parse back to the same message.
    const again = parseDnsMessage(encodeDnsMessage(message));
    if (i % 64 === 0) assert.deepEqual(again, message);
  }
  assert.ok(parsed > 1000, `only ${parsed} packets parsed: the mutations are too destructive`);
});
