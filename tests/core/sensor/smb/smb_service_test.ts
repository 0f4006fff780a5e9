import assert from "node:assert/strict";
import type { SensorEvent } from "../../../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../../../core/sensor/serve_sensor.ts";
import { smbService } from "../../../../core/sensor/smb/smb_service.ts";
import { hex, utf16 } from "../ntlmssp/_ntlm_fixtures.ts";
import { clientMessages, closesAfter, exchange } from "./_smb_exchange.ts";

function startSensor() {
  const events: SensorEvent[] = [];
  const errors: unknown[] = [];
  const sensor = serveSensor({
    decky: "files01",
    hostname: "127.0.0.1",
    services: [{ service: smbService, options: { port: 0, hostname: "files01.corp.example" } }],
    sink: (e) => events.push(e),
    onError: (_, e) => errors.push(e),
  });
  return { sensor, events, errors, port: sensor.ports.get("smb")! };
}

function frame(bytes: Uint8Array, length = bytes.length): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  out.set([0, length >> 16, (length >> 8) & 0xff, length & 0xff]);
  out.set(bytes, 4);
  return out;
}

/** Mulberry32, so a failing mutation replays. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("smbService sends a CHALLENGE naming the host and domain from its options", async () => {
  const { sensor, port } = startSensor();
  await using _ = sensor;
  const answers = await exchange(port, clientMessages("smbclient_requests.hex"));
  assert.equal(answers.length, 2);
  const hexAnswer = hex(answers[1]);
  for (const name of ["FILES01", "files01.corp.example", "corp.example"]) {
    assert.ok(hexAnswer.includes(hex(utf16(name))), name);
  }
});

Deno.test("smbService refuses an AUTHENTICATE on a session it never challenged", async () => {
  const { sensor, port, events } = startSensor();
  await using _ = sensor;
  const [negotiate] = clientMessages("smbclient_requests.hex");
  const answers = await exchange(port, [
    negotiate,
    ...clientMessages("smbclient_authenticate.hex"),
  ]);
  assert.equal(new DataView(answers[1].buffer).getUint32(8, true), 0xc0000203); // USER_SESSION_DELETED
  assert.ok(!events.some((e) => e.kind === "auth_attempt" || e.kind === "credential"));
});

Deno.test("smbService drops clients that skip negotiate, send junk or oversize frames", async (t) => {
  const { sensor, port, errors } = startSensor();
  await using _ = sensor;
  const [, setup] = clientMessages("smbclient_requests.hex");
  // hangUp: the client half-closes, for inputs smbd too waits on (a random
  // first byte reads as a NetBIOS packet of up to 128 KiB).
  const cases: [string, Uint8Array[], boolean][] = [
    ["session setup before negotiate", [setup], false],
    ["a 16 MiB frame header", [Uint8Array.of(0, 0xff, 0xff, 0xff)], false],
    ["random bytes", [crypto.getRandomValues(new Uint8Array(300))], true],
    ["an HTTP request", [new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n")], true],
  ];
  for (const [name, messages, hangUp] of cases) {
    await t.step(name, async () => {
      assert.equal(await closesAfter(port, messages, hangUp), true);
    });
  }
  await t.step("a NetBIOS session request is told the name is not present", async () => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(Uint8Array.of(0x81, 0, 0, 4, 1, 2, 3, 4));
    const reply = new Uint8Array(16);
    assert.equal(await conn.read(reply), 5);
    assert.deepEqual(reply.subarray(0, 5), Uint8Array.of(0x83, 0, 0, 1, 0x82));
    assert.equal(await conn.read(reply), null);
    conn.close();
  });
  await t.step("a truncated frame, then the client hangs up", async () => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(frame(new Uint8Array(10), 100));
    await conn.closeWrite();
    assert.equal(await conn.read(new Uint8Array(16)), null);
    conn.close();
  });
  assert.deepEqual(errors, []);
});

Deno.test("smbService survives 2,000 mutated negotiate and session setup messages", async () => {
  const { sensor, port, errors, events } = startSensor();
  await using _ = sensor;
  const random = prng(445);
  const seeds = [
    ...clientMessages("smbclient_requests.hex"),
    ...clientMessages("impacket_requests.hex"),
  ];
  for (let i = 0; i < 2000; i++) {
    const seed = seeds[i % seeds.length].slice();
    for (let n = 1 + Math.floor(random() * 8); n > 0; n--) {
      seed[4 + Math.floor(random() * (seed.length - 4))] = Math.floor(random() * 256);
    }
    const negotiate = seeds[0];
    // Mutated message alone and after a good negotiate, so session setup parsing is reached too.
    await closesAfter(port, i % 2 ? [seed] : [negotiate, seed], true).catch((e) => {
      if (!(e instanceof Deno.errors.ConnectionReset)) throw e;
    });
  }
  assert.deepEqual(errors, []);
  // And a well-behaved client is still answered.
  const answers = await exchange(port, clientMessages("smbclient_requests.hex"));
  assert.equal(answers.length, 2);
  assert.ok(events.filter((e) => e.kind === "connect").length > 2000);
});

Deno.test("smbService serves other clients while one sends half a frame and stalls", async () => {
  const { sensor, port } = startSensor();
  await using _ = sensor;
  const slow = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await slow.write(frame(new Uint8Array(20), 200).subarray(0, 14));
    const answers = await exchange(port, clientMessages("smbclient_requests.hex"));
    assert.equal(answers.length, 2);
  } finally {
    slow.close();
  }
});
