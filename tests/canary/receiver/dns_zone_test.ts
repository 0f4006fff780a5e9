import assert from "node:assert/strict";
import {
  answerDnsQuery,
  DNS_RCODE,
  DNS_TYPE,
  type DnsMessage,
  type DnsZoneConfig,
} from "../../../canary/receiver/mod.ts";
import { makeQuery } from "./_dns_fixtures.ts";
import { MemoryTriggerSink, SLUG } from "./_memory_trigger_sink.ts";

const ZONE: DnsZoneConfig = {
  zone: "t.example.net",
  sinkhole: "192.0.2.1",
  nsAddress: "192.0.2.53",
  ttl: 60,
  serial: 2026111402,
};

const ZONE_A = {
  type: DNS_TYPE.A,
  class: 1,
  ttl: 60,
  rdata: { kind: "raw" as const, bytes: new Uint8Array([192, 0, 2, 1]) },
};

function setup() {
  const sink = new MemoryTriggerSink();
  const token = sink.add({ uuid: "tok-1", callbackToken: SLUG });
  const ask = (query: DnsMessage, transport: "udp" | "tcp" = "udp") =>
    answerDnsQuery(query, ZONE, { lookup: (s) => sink.findActiveBySlugLc(s), transport });
  return { sink, token, ask };
}

Deno.test("answerDnsQuery() answers A with the sinkhole for a known slug", async (t) => {
  const { ask, token } = setup();
  for (
    const name of [
      `${SLUG}.t.example.net`,
      `${SLUG.toUpperCase()}.T.EXAMPLE.NET`,
      `a.B.${SLUG.toLowerCase()}.t.Example.net`,
    ]
  ) {
    await t.step(name, async () => {
      const query = makeQuery(name, { id: 77 });
      const { response, hit } = await ask(query);
      assert.ok(response);
      assert.equal(response.header.id, 77);
      assert.equal(response.header.aa, true);
      assert.equal(response.header.qr, true);
      assert.equal(response.header.rcode, DNS_RCODE.NOERROR);
      assert.deepEqual(response.questions, query.questions);
      assert.equal(response.answers.length, 1);
      assert.deepEqual(response.answers[0].name, query.questions[0].name);
      assert.deepEqual(response.answers[0].rdata, {
        kind: "raw",
        bytes: new Uint8Array([192, 0, 2, 1]),
      });
      assert.equal(response.answers[0].ttl, 60);
      assert.equal(hit?.token, token);
    });
  }
  await t.step("data labels left of the slug", async () => {
    const { hit } = await ask(makeQuery(`x.Y.${SLUG}.t.example.net`));
    assert.deepEqual(hit?.data, ["x", "Y"]);
  });
});

Deno.test("answerDnsQuery() answers NODATA with the SOA for AAAA of a known slug", async () => {
  const { ask } = setup();
  const { response, hit } = await ask(makeQuery(`${SLUG}.t.example.net`, { type: DNS_TYPE.AAAA }));
  assert.equal(response?.header.rcode, DNS_RCODE.NOERROR);
  assert.equal(response?.answers.length, 0);
  assert.equal(response?.authorities[0].type, DNS_TYPE.SOA);
  assert.ok(hit, "AAAA lookups of bait names are triggers too");
});

Deno.test("answerDnsQuery() answers NXDOMAIN with the SOA for unknown names", async (t) => {
  const { ask, sink } = setup();
  await t.step("unknown slug", async () => {
    const { response, hit } = await ask(makeQuery("nosuchslug.t.example.net"));
    assert.equal(response?.header.rcode, DNS_RCODE.NXDOMAIN);
    assert.equal(response?.header.aa, true);
    assert.equal(response?.authorities[0].type, DNS_TYPE.SOA);
    assert.equal(hit, null);
  });
  await t.step("label that cannot be a slug skips the lookup", async () => {
    const before = sink.lookups;
    const { response } = await ask(makeQuery("a*b.t.example.net"));
    assert.equal(response?.header.rcode, DNS_RCODE.NXDOMAIN);
    assert.equal(sink.lookups, before);
  });
});

Deno.test("answerDnsQuery() serves SOA and NS at the apex", async (t) => {
  const { ask } = setup();
  await t.step("SOA with the configured serial, NS in authority, ns1 glue", async () => {
    const { response } = await ask(makeQuery("T.example.net", { type: DNS_TYPE.SOA }));
    assert.equal(response?.answers[0].type, DNS_TYPE.SOA);
    assert.deepEqual(response?.answers[0].name, ["T", "example", "net"]);
    const rdata = response?.answers[0].rdata;
    assert.equal(rdata?.kind === "soa" && rdata.serial, 2026111402);
    assert.deepEqual(response?.authorities.map((r) => r.type), [DNS_TYPE.NS]);
    // Zone names take the question's letter case (as NSD's compression writes them).
    assert.deepEqual(response?.additionals.map((r) => r.name), [["ns1", "T", "example", "net"]]);
  });
  await t.step("NS", async () => {
    const { response } = await ask(makeQuery("t.example.net", { type: DNS_TYPE.NS }));
    assert.equal(response?.answers[0].type, DNS_TYPE.NS);
    assert.deepEqual(response?.additionals[0].rdata, {
      kind: "raw",
      bytes: new Uint8Array([192, 0, 2, 53]),
    });
  });
  await t.step("ns1 has an A record with the name server address", async () => {
    const { response } = await ask(makeQuery("NS1.t.example.net"));
    assert.equal(response?.header.rcode, DNS_RCODE.NOERROR);
    assert.deepEqual(response?.answers[0].rdata, {
      kind: "raw",
      bytes: new Uint8Array([192, 0, 2, 53]),
    });
  });
  await t.step("ANY is one synthesised HINFO (RFC 8482)", async () => {
    const { response } = await ask(makeQuery("t.example.net", { type: DNS_TYPE.ANY }));
    assert.deepEqual(response?.answers.map((r) => r.type), [DNS_TYPE.HINFO]);
    assert.deepEqual(response?.answers[0].rdata, {
      kind: "raw",
      bytes: new Uint8Array([7, ...new TextEncoder().encode("RFC8482"), 0]),
    });
  });
  await t.step("A at the apex is NODATA", async () => {
    const { response } = await ask(makeQuery("t.example.net"));
    assert.equal(response?.header.rcode, DNS_RCODE.NOERROR);
    assert.equal(response?.answers.length, 0);
    assert.equal(response?.authorities[0].type, DNS_TYPE.SOA);
  });
});

Deno.test("answerDnsQuery() refuses names outside the zone", async (t) => {
  const { ask } = setup();
  for (const name of ["example.net", "t.example.org", `${SLUG}.xt.example.net`]) {
    await t.step(name, async () => {
      const { response } = await ask(makeQuery(name));
      assert.equal(response?.header.rcode, DNS_RCODE.REFUSED);
      assert.equal(response?.header.aa, false);
    });
  }
});

Deno.test("answerDnsQuery() refuses zone transfers", async (t) => {
  const { ask } = setup();
  await t.step("AXFR over TCP is REFUSED with EDE 18 (prohibited)", async () => {
    const { response } = await ask(
      makeQuery("t.example.net", { type: DNS_TYPE.AXFR, edns: 1232 }),
      "tcp",
    );
    assert.equal(response?.header.rcode, DNS_RCODE.REFUSED);
    assert.equal(response?.answers.length, 0);
    assert.deepEqual(response?.edns?.options, [{ code: 15, data: new Uint8Array([0, 18]) }]);
  });
  await t.step("AXFR over UDP is NOTIMP", async () => {
    const { response } = await ask(makeQuery("t.example.net", { type: DNS_TYPE.AXFR }));
    assert.equal(response?.header.rcode, DNS_RCODE.NOTIMP);
  });
  await t.step("IXFR is REFUSED", async () => {
    const { response } = await ask(makeQuery("t.example.net", { type: DNS_TYPE.IXFR }));
    assert.equal(response?.header.rcode, DNS_RCODE.REFUSED);
  });
});

Deno.test("answerDnsQuery() handles odd queries", async (t) => {
  const { ask } = setup();
  await t.step("responses get no answer", async () => {
    const q = makeQuery(`${SLUG}.t.example.net`);
    q.header.qr = true;
    assert.deepEqual(await ask(q), { response: null, hit: null });
  });
  await t.step("other opcodes get NOTIMP", async () => {
    const q = makeQuery(`${SLUG}.t.example.net`);
    q.header.opcode = 2;
    assert.equal((await ask(q)).response?.header.rcode, DNS_RCODE.NOTIMP);
  });
  await t.step("two questions get FORMERR", async () => {
    const q = makeQuery(`${SLUG}.t.example.net`);
    q.questions.push(q.questions[0]);
    assert.equal((await ask(q)).response?.header.rcode, DNS_RCODE.FORMERR);
  });
  await t.step("EDNS is answered with 1232", async () => {
    const { response } = await ask(makeQuery(`${SLUG}.t.example.net`, { edns: 4096 }));
    assert.equal(response?.edns?.udpPayloadSize, 1232);
  });
  await t.step("EDNS version 1 gets BADVERS", async () => {
    const q = makeQuery(`${SLUG}.t.example.net`, { edns: 4096 });
    q.edns!.version = 1;
    const { response, hit } = await ask(q);
    assert.equal(response?.edns?.extendedRcode, 1);
    assert.equal(hit, null);
  });
  await t.step("a response code or extra records in a query get FORMERR, header only", async () => {
    const q = makeQuery(`${SLUG}.t.example.net`, { edns: 1232 });
    q.header.rcode = 4;
    const { response, hit } = await ask(q);
    assert.equal(response?.header.rcode, DNS_RCODE.FORMERR);
    assert.deepEqual([response?.questions, response?.edns, hit], [[], null, null]);
    const r = makeQuery(`${SLUG}.t.example.net`);
    r.answers.push({ ...ZONE_A, name: r.questions[0].name });
    assert.equal((await ask(r)).response?.header.rcode, DNS_RCODE.FORMERR);
  });
  await t.step("the DO bit is echoed", async () => {
    const q = makeQuery(`${SLUG}.t.example.net`, { edns: 1232 });
    q.edns!.dnssecOk = true;
    assert.equal((await ask(q)).response?.edns?.dnssecOk, true);
  });
  await t.step("other opcodes get NOTIMP without the question", async () => {
    const q = makeQuery(`${SLUG}.t.example.net`);
    q.header.opcode = 4;
    const { response } = await ask(q);
    assert.equal(response?.header.rcode, DNS_RCODE.NOTIMP);
    assert.deepEqual(response?.questions, []);
  });
  await t.step("class CH is refused", async () => {
    const q = makeQuery("version.bind");
    q.questions[0] = { ...q.questions[0], class: 3, type: DNS_TYPE.TXT };
    assert.equal((await ask(q)).response?.header.rcode, DNS_RCODE.REFUSED);
  });
});
