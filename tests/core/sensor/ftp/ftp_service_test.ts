import assert from "node:assert/strict";
import { createFtpService } from "../../../../core/sensor/ftp/ftp_service.ts";
import type { SensorEvent } from "../../../../core/sensor/sensor_event.ts";
import { serveSensor } from "../../../../core/sensor/serve_sensor.ts";
import { waitUntil } from "../../../infra/wait_until.ts";
import { assertSurvivesBadInput } from "../_bad_input.ts";

const FAST = createFtpService({ loginFailDelayMs: { min: 0, max: 0 } });
const encoder = new TextEncoder();

async function session(port: number, input: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(encoder.encode(input));
  let out = "";
  const buf = new Uint8Array(4096);
  for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
    out += new TextDecoder().decode(buf.subarray(0, n));
  }
  conn.close();
  return out;
}

Deno.test("ftpService records each USER/PASS pair as a refused login with its password", async () => {
  const events: SensorEvent[] = [];
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{ service: FAST, options: { port: 0 } }],
    sink: (e) => events.push(e),
  });
  const out = await session(
    sensor.ports.get("ftp")!,
    "USER admin\r\nPASS hunter2\r\nUSER café\r\nPASS p w\r\nQUIT\r\n",
  );
  assert.match(out, /530 Login incorrect\.\r\n331 .*530 Login incorrect\.\r\n221 Goodbye\.\r\n$/s);
  await waitUntil(() => events.some((e) => e.kind === "disconnect"), { what: "disconnect" });
  const credentials = events.filter((e) => e.kind === "credential");
  assert.deepEqual(credentials.map((e) => [e.username, e.secret_kind, e.secret]), [
    ["admin", "password", "hunter2"],
    ["café", "password", "p w"],
  ]);
  assert.ok(!events.some((e) => e.kind === "command" && String(e.command).includes("hunter2")));
});

Deno.test("ftpService announces the fleet file's banner", async () => {
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{ service: FAST, options: { port: 0, banner: "FTP ready" } }],
    sink: () => {},
  });
  assert.equal(
    await session(sensor.ports.get("ftp")!, "QUIT\r\n"),
    "220 FTP ready\r\n221 Goodbye.\r\n",
  );
});

Deno.test("ftpService survives random, truncated and oversize input and slow clients", async () => {
  await assertSurvivesBadInput(FAST, {
    seeds: [encoder.encode("USER root\r\nPASS toor\r\nFEAT\r\nOPTS UTF8 ON\r\nQUIT\r\n")],
    greeting: (b) => new TextDecoder().decode(b) === "220 (vsFTPd 3.0.3)\r\n",
  });
});
