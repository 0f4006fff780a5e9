import assert from "node:assert/strict";
import type { SensorService } from "../../../core/sensor/sensor_service.ts";
import type { SensorServiceOptions } from "../../../core/sensor/sensor_options.ts";
import { serveSensor } from "../../../core/sensor/serve_sensor.ts";
import { seededRandom } from "../../canary/receiver/_dns_fixtures.ts";

/** Options for {@linkcode assertSurvivesBadInput}. */
export interface BadInputOptions {
  /** Well-formed client messages: each is also sent truncated and mutated. */
  seeds: Uint8Array[];
  /** Bytes every new client receives first (the greeting), to prove the sensor still serves. */
  greeting: (bytes: Uint8Array) => boolean;
  serviceOptions?: SensorServiceOptions;
  /** Random payloads sent. @default 300 */
  count?: number;
  /** What the checking client sends first, for a protocol where the client speaks first (HTTP). */
  hello?: Uint8Array;
}

/**
 * Throws the service random bytes, truncated and mutated seed messages and
 * oversize input on concurrent connections, keeps silent and trickling
 * clients open meanwhile, then checks that no handler failed with anything
 * but the peer going away and that a new client still gets the greeting.
 */
export async function assertSurvivesBadInput(
  service: SensorService,
  options: BadInputOptions,
): Promise<void> {
  const errors: unknown[] = [];
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{ service, options: { ...options.serviceOptions, port: 0 } }],
    sink: () => {},
    maxPerSource: 64,
    onError: (_s, e) => errors.push(e),
  });
  const port = sensor.ports.get(service.name)!;
  const random = seededRandom(15);
  const payloads: Uint8Array[] = [new Uint8Array(256 * 1024).fill(0x41)];
  for (const seed of options.seeds) {
    for (let cut = 0; cut < seed.length; cut += Math.max(1, seed.length >> 3)) {
      payloads.push(seed.slice(0, cut));
    }
  }
  for (let i = 0; i < (options.count ?? 300); i++) {
    if (i % 2 === 0 && options.seeds.length > 0) {
      const seed = options.seeds[i % options.seeds.length].slice();
      for (let k = 0; k < 1 + random() * 4; k++) {
        seed[Math.floor(random() * seed.length)] = Math.floor(random() * 256);
      }
      payloads.push(seed);
    } else {
      payloads.push(Uint8Array.from({ length: Math.floor(random() * 3000) }, () => random() * 256));
    }
  }
  // Slow clients hold connections open the whole time: silent ones, and one trickling a byte at a time.
  const silent = await Promise.all(
    Array.from({ length: 8 }, () => Deno.connect({ hostname: "127.0.0.1", port })),
  );
  const trickler = await Deno.connect({ hostname: "127.0.0.1", port });
  const source = options.seeds[0] ?? new Uint8Array([0x41]);
  for (const b of source.subarray(0, Math.min(8, source.length))) {
    await trickler.write(Uint8Array.of(b));
  }
  const queue = payloads.slice();
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) await sendAndDrop(port, p);
  }));
  assert.ok(
    options.greeting(await firstBytes(port, options.hello)),
    "a new client gets the greeting",
  );
  for (const conn of [...silent, trickler]) conn.close();
  assert.deepEqual(errors.map(String), []);
}

async function sendAndDrop(port: number, bytes: Uint8Array): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(bytes);
    // The end of input (not a wait for the idle timeout) tells the service the client is done.
    await conn.closeWrite();
    // Read a little of the answer, so answers are written and not only reset.
    await conn.read(new Uint8Array(4096));
  } catch (e) {
    if (!(e instanceof Deno.errors.ConnectionReset) && !(e instanceof Deno.errors.BrokenPipe)) {
      throw e;
    }
  } finally {
    conn.close();
  }
}

async function firstBytes(port: number, hello?: Uint8Array): Promise<Uint8Array> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    if (hello) await conn.write(hello);
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf);
    return buf.slice(0, n ?? 0);
  } finally {
    conn.close();
  }
}
