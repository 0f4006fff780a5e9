import assert from "node:assert/strict";
import { rdpService } from "../../../../core/sensor/rdp/rdp_service.ts";
import { encodeTsRequest } from "../../../../core/sensor/rdp/ts_request.ts";
import { serveSensor } from "../../../../core/sensor/serve_sensor.ts";
import { seededRandom } from "../../../canary/receiver/_dns_fixtures.ts";
import { assertSurvivesBadInput } from "../_bad_input.ts";
import { makeAuthenticate, makeNegotiate } from "../ntlmssp/_ntlm_fixtures.ts";
import { connectionRequest, rdpConnect } from "./_rdp_client.ts";

const REQUEST = connectionRequest({ cookie: "Cookie: mstshash=alice", protocols: 3 });

Deno.test("rdpService survives bad X.224 input: random, truncated, oversize TPKT, slow clients", async () => {
  const oversize = new Uint8Array(0xffff);
  oversize.set([3, 0, 0xff, 0xff, 0xfa, 0xe0]);
  await assertSurvivesBadInput(rdpService, {
    seeds: [REQUEST, connectionRequest({ protocols: 0x0b }), connectionRequest(), oversize],
    hello: REQUEST,
    greeting: (b) => b.length === 19 && b[5] === 0xd0 && b[11] === 2,
  });
});

Deno.test("rdpService survives bad CredSSP input inside TLS and serves the next client", async () => {
  const errors: unknown[] = [];
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{ service: rdpService, options: { port: 0 } }],
    sink: () => {},
    onError: (_s, e) => errors.push(e),
  });
  const port = sensor.ports.get("rdp")!;
  const random = seededRandom(3389);
  const seeds = [
    encodeTsRequest({ version: 6, negoToken: makeNegotiate() }),
    encodeTsRequest({ version: 6, negoToken: makeAuthenticate() }),
    encodeTsRequest({ version: 6 }),
    // A TSRequest claiming 16 MiB.
    Uint8Array.of(0x30, 0x83, 0xff, 0xff, 0xff, 0xa0, 3, 2, 1, 6),
  ];
  const payloads = [...seeds];
  for (let i = 0; i < 60; i++) {
    const bytes = seeds[i % seeds.length].slice(0, 1 + Math.floor(random() * 200));
    for (let k = 0; k < 3; k++) bytes[Math.floor(random() * bytes.length)] = random() * 256;
    payloads.push(bytes);
  }
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let p = payloads.shift(); p !== undefined; p = payloads.shift()) {
      const client = await rdpConnect(port, REQUEST);
      try {
        const credssp = await client.startTls();
        await credssp.finish(p);
        credssp.close();
      } finally {
        client.close();
      }
    }
  }));
  // A client that stops in the middle of the TLS handshake.
  const stalled = await Deno.connect({ hostname: "127.0.0.1", port });
  await stalled.write(REQUEST);
  await stalled.write(Uint8Array.of(0x16, 3, 1, 0, 200, 1, 0, 0));
  const client = await rdpConnect(port, REQUEST);
  try {
    const credssp = await client.startTls();
    const answer = await credssp.exchange(
      encodeTsRequest({ version: 6, negoToken: makeNegotiate() }),
    );
    assert.ok(answer && answer.length > 100, "the next client gets its CHALLENGE");
    credssp.close();
  } finally {
    client.close();
    stalled.close();
  }
  assert.deepEqual(errors.map(String), []);
});

Deno.test("rdpService survives a client that sends garbage instead of a TLS ClientHello", async () => {
  const errors: unknown[] = [];
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{ service: rdpService, options: { port: 0 } }],
    sink: () => {},
    onError: (_s, e) => errors.push(e),
  });
  const port = sensor.ports.get("rdp")!;
  const random = seededRandom(7);
  for (let i = 0; i < 20; i++) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(REQUEST);
      await conn.read(new Uint8Array(19));
      const garbage = Uint8Array.from(
        { length: 1 + Math.floor(random() * 600) },
        () => random() * 256,
      );
      if (i % 2) garbage.set([0x16, 3, 1]); // a TLS record header with a broken body
      await conn.write(garbage);
      await conn.closeWrite();
      while ((await conn.read(new Uint8Array(4096))) !== null) { /* drain until the server ends */ }
    } catch (e) {
      if (!(e instanceof Deno.errors.ConnectionReset)) throw e;
    } finally {
      conn.close();
    }
  }
  assert.deepEqual(errors.map(String), []);
});
