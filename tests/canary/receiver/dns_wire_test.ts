import assert from "node:assert/strict";
import {
  DNS_CLASS_IN,
  DNS_RCODE,
  DNS_TYPE,
  type DnsMessage,
  DnsParseError,
  EDNS_CLIENT_SUBNET,
  encodeDnsMessage,
  formatDnsName,
  lowerDnsLabel,
  parseClientSubnet,
  parseDnsMessage,
} from "../../../canary/receiver/mod.ts";
import { makeQuery } from "./_dns_fixtures.ts";

function response(query: DnsMessage): DnsMessage {
  return {
    ...query,
    header: { ...query.header, qr: true, aa: true },
    answers: [{
      name: query.questions[0].name,
      type: DNS_TYPE.A,
      class: DNS_CLASS_IN,
      ttl: 60,
      rdata: { kind: "raw", bytes: new Uint8Array([192, 0, 2, 1]) },
    }],
    authorities: [{
      name: ["t", "example", "net"],
      type: DNS_TYPE.SOA,
      class: DNS_CLASS_IN,
      ttl: 60,
      rdata: {
        kind: "soa",
        mname: ["ns1", "t", "example", "net"],
        rname: ["hostmaster", "t", "example", "net"],
        serial: 7,
        refresh: 1,
        retry: 2,
        expire: 3,
        minimum: 4,
      },
    }],
  };
}

Deno.test("encodeDnsMessage() round-trips through parseDnsMessage()", async (t) => {
  await t.step("query without EDNS", () => {
    const q = makeQuery("Foo.T.Example.NET");
    assert.deepEqual(parseDnsMessage(encodeDnsMessage(q)), q);
  });
  await t.step("response with SOA and EDNS options", () => {
    const r = response(
      makeQuery("a.B.t.example.net", {
        edns: 1232,
        ednsOptions: [{ code: 10, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) }],
      }),
    );
    assert.deepEqual(parseDnsMessage(encodeDnsMessage(r)), r);
  });
});

Deno.test("encodeDnsMessage() compresses only byte-identical suffixes", () => {
  const q = makeQuery("X.T.Example.Net");
  const bytes = encodeDnsMessage(response(q));
  const parsed = parseDnsMessage(bytes);
  assert.deepEqual(parsed.answers[0].name, ["X", "T", "Example", "Net"]);
  assert.deepEqual(parsed.authorities[0].name, ["t", "example", "net"]);
  // Question name: 12..29, type and class to 33; the answer owner points at 12.
  assert.deepEqual([...bytes.subarray(33, 35)], [0xc0, 12]);
  // The authority owner differs in case, so it is spelled out, not pointed at 14.
  assert.deepEqual([...bytes.subarray(49, 51)], [1, 0x74]);
});

Deno.test("encodeDnsMessage() sets TC and drops records past maxSize", () => {
  const r = response(makeQuery("a.t.example.net", { edns: 1232 }));
  const bytes = encodeDnsMessage(r, { maxSize: 40 });
  const parsed = parseDnsMessage(bytes);
  assert.equal(parsed.header.tc, true);
  assert.equal(parsed.answers.length, 0);
  assert.equal(parsed.authorities.length, 0);
  assert.deepEqual(parsed.questions, r.questions);
  assert.equal(parsed.edns?.udpPayloadSize, 1232);
});

Deno.test("encodeDnsMessage() refuses labels longer than 63 bytes", () => {
  assert.throws(() => encodeDnsMessage(makeQuery(`${"a".repeat(64)}.net`)), RangeError);
});

function packet(...parts: number[][]): Uint8Array {
  return new Uint8Array(parts.flat());
}
const HEADER_1Q = [0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];

Deno.test("parseDnsMessage() rejects bad names with DnsParseError", async (t) => {
  await t.step("pointer to itself (loop)", () => {
    assert.throws(() => parseDnsMessage(packet(HEADER_1Q, [0xc0, 12, 0, 1, 0, 1])), DnsParseError);
  });
  await t.step("forward pointer", () => {
    assert.throws(
      () => parseDnsMessage(packet(HEADER_1Q, [0xc0, 14, 0, 0, 1, 0, 1])),
      DnsParseError,
    );
  });
  await t.step("two pointers pointing at each other", () => {
    // name at 12: label "a" then pointer to 16; at 16: pointer back to 12.
    assert.throws(
      () => parseDnsMessage(packet(HEADER_1Q, [1, 0x61, 0xc0, 16, 0xc0, 12, 0, 1, 0, 1])),
      DnsParseError,
    );
  });
  await t.step("more than 64 pointer hops", () => {
    // A chain: each pointer points at the previous one, the first at a root name.
    const body = [0];
    for (let i = 0; i < 70; i++) body.push(0xc0, 12 + (i === 0 ? 0 : 1 + (i - 1) * 2));
    const header = [0, 1, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    const bytes = packet(header, body, [0, 1, 0, 1]);
    // Point the question at the last pointer by making it the question itself:
    // simplest is a question made of the final pointer.
    const q = packet(header, body.slice(0, -2), [0xc0, 12 + 1 + 68 * 2, 0, 1, 0, 1]);
    assert.throws(() => parseDnsMessage(bytes), DnsParseError);
    assert.throws(() => parseDnsMessage(q), DnsParseError);
  });
  await t.step("name longer than 255 bytes", () => {
    const labels = Array.from({ length: 5 }, () => [63, ...new Array(63).fill(0x61)]).flat();
    assert.throws(
      () => parseDnsMessage(packet(HEADER_1Q, labels, [0, 0, 1, 0, 1])),
      /longer than 255/,
    );
  });
  await t.step("reserved label type", () => {
    assert.throws(() => parseDnsMessage(packet(HEADER_1Q, [0x40, 0, 0, 1, 0, 1])), DnsParseError);
  });
  await t.step("truncated question", () => {
    const e = assert.throws(
      () => parseDnsMessage(packet(HEADER_1Q, [1, 0x61, 0, 0, 1])),
      DnsParseError,
    );
    void e;
  });
});

Deno.test("parseDnsMessage() keeps the header on errors past it", () => {
  try {
    parseDnsMessage(packet(HEADER_1Q, [1, 0x61]));
    assert.fail("expected an error");
  } catch (e) {
    assert.ok(e instanceof DnsParseError);
    assert.equal(e.header?.id, 0xabcd);
  }
  try {
    parseDnsMessage(new Uint8Array(5));
    assert.fail("expected an error");
  } catch (e) {
    assert.ok(e instanceof DnsParseError);
    assert.equal(e.header, null);
  }
});

Deno.test("parseDnsMessage() rejects trailing bytes and a second OPT", () => {
  const q = encodeDnsMessage(makeQuery("a.net", { edns: 4096 }));
  assert.throws(() => parseDnsMessage(new Uint8Array([...q, 0])), /trailing/);
  const twice = new Uint8Array([...q, 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0]);
  twice[11] = 2;
  assert.throws(() => parseDnsMessage(twice), /more than one OPT/);
});

Deno.test("parseDnsMessage() follows a valid backward pointer", () => {
  // question "a.net", answer owner = pointer to 12.
  const bytes = packet(
    [0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0],
    [1, 0x61, 3, 0x6e, 0x65, 0x74, 0, 0, 1, 0, 1],
    [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1],
  );
  const m = parseDnsMessage(bytes);
  assert.equal(formatDnsName(m.answers[0].name), "a.net");
  assert.equal(m.header.rcode, DNS_RCODE.NOERROR);
});

Deno.test("parseClientSubnet() reads IPv4 and IPv6 subnets", async (t) => {
  await t.step("IPv4 /24", () => {
    const data = new Uint8Array([0, 1, 24, 0, 198, 51, 100]);
    assert.equal(parseClientSubnet({ code: EDNS_CLIENT_SUBNET, data }), "198.51.100.0/24");
  });
  await t.step("IPv6 /56", () => {
    const data = new Uint8Array([0, 2, 56, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0x12]);
    assert.equal(parseClientSubnet({ code: EDNS_CLIENT_SUBNET, data }), "2001:db8:0:1200::/56");
  });
  await t.step("malformed", () => {
    const data = new Uint8Array([0, 1, 24, 0, 198]);
    assert.equal(parseClientSubnet({ code: EDNS_CLIENT_SUBNET, data }), null);
  });
});

Deno.test("formatDnsName() escapes dots and binary bytes inside labels", () => {
  assert.equal(formatDnsName(["a.b", "c\x00"]), "a\\.b.c\\000");
  assert.equal(formatDnsName(["Ab3", "x\\y", "\x7f", " "]), "Ab3.x\\\\y.\\127.\\032");
  assert.equal(formatDnsName([]), ".");
});

Deno.test("lowerDnsLabel() folds ASCII letters only, as DNS compares names", () => {
  assert.equal(lowerDnsLabel("Ab3dEf6hIj9kLm2nOp5qRs"), "ab3def6hij9klm2nop5qrs");
  const plain = "already-lower_0";
  assert.equal(lowerDnsLabel(plain), plain);
  // Bytes 0xC0 (À) and 0xDE (Þ) are letters to toLowerCase(), not to DNS.
  assert.equal(lowerDnsLabel("AB\xc0\xde"), "ab\xc0\xde");
});
