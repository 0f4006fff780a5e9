import assert from "node:assert/strict";
import { ConnReader, LineTooLongError } from "../../../core/sensor/conn_reader.ts";
import type { SensorEvent } from "../../../core/sensor/sensor_event.ts";
import type { SensorService } from "../../../core/sensor/sensor_service.ts";
import { serveSensor } from "../../../core/sensor/serve_sensor.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const echoLine: SensorService = {
  name: "telnet",
  defaultPort: 0,
  idleTimeoutMs: 200,
  async serve(session) {
    await session.write("login: ");
    const line = await session.reader.readLine(64);
    if (line === "boom") throw new Error("handler bug");
    if (line !== null) session.emit("command", { command: line });
    await session.write(`echo ${line}\r\n`);
  },
};

async function talk(port: number, send: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(send));
  const reader = new ConnReader(conn);
  let out = "";
  for (let chunk = await reader.readSome(); chunk; chunk = await reader.readSome()) {
    out += new TextDecoder().decode(chunk);
  }
  conn.close();
  return out;
}

Deno.test("serveSensor() stamps the envelope on every event of a session", async () => {
  const events: SensorEvent[] = [];
  let n = 0;
  await using sensor = serveSensor({
    decky: "web01",
    hostname: "127.0.0.1",
    services: [{ service: echoLine }],
    sink: (e) => events.push(e),
    newId: () => `s${++n}`,
  });
  const port = sensor.ports.get("telnet")!;
  assert.equal(await talk(port, "id\r\n"), "login: echo id\r\n");
  await waitUntil(() => events.some((e) => e.kind === "disconnect"), { what: "disconnect" });
  assert.deepEqual(events.map((e) => e.kind), ["connect", "command", "disconnect"]);
  for (const e of events) {
    assert.equal(e.v, 1);
    assert.equal(e.decky, "web01");
    assert.equal(e.service, "telnet");
    assert.equal(e.session, "s1");
    assert.equal(e.src_ip, "127.0.0.1");
    assert.equal(e.dst_port, port);
  }
  assert.equal(events[1].command, "id");
});

Deno.test("serveSensor() keeps serving when one connection's handler throws", async () => {
  const events: SensorEvent[] = [];
  const errors: unknown[] = [];
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{ service: echoLine }],
    sink: (e) => events.push(e),
    onError: (_s, e) => errors.push(e),
  });
  const port = sensor.ports.get("telnet")!;
  assert.equal(await talk(port, "boom\n"), "login: ");
  assert.equal(await talk(port, "ok\n"), "login: echo ok\r\n");
  assert.equal(errors.length, 1);
});

Deno.test("serveSensor() drops a silent client after the service's idle timeout", async () => {
  const events: SensorEvent[] = [];
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{ service: echoLine }],
    sink: (e) => events.push(e),
  });
  assert.equal(await talk(sensor.ports.get("telnet")!, ""), "login: ");
  await waitUntil(() => events.some((e) => e.kind === "disconnect"), { what: "disconnect" });
  assert.equal(events.at(-1)!.reason, "timeout");
});

Deno.test("serveSensor() refuses connections over the per-source limit", async () => {
  await using sensor = serveSensor({
    decky: "d",
    hostname: "127.0.0.1",
    services: [{ service: { ...echoLine, idleTimeoutMs: 5_000 } }],
    sink: () => {},
    maxPerSource: 1,
  });
  const port = sensor.ports.get("telnet")!;
  const first = await Deno.connect({ hostname: "127.0.0.1", port });
  const firstReader = new ConnReader(first);
  assert.ok(await firstReader.readSome()); // the banner: first is being served
  assert.equal(await talk(port, "x\n"), "");
  first.close();
});

Deno.test("ConnReader.readLine() refuses a line longer than its limit", async () => {
  const bytes = new TextEncoder().encode("a".repeat(100) + "\n");
  let given = false;
  const reader = new ConnReader({
    read(buffer) {
      if (given) return Promise.resolve(null);
      given = true;
      buffer.set(bytes);
      return Promise.resolve(bytes.length);
    },
  });
  await assert.rejects(reader.readLine(64), LineTooLongError);
});

Deno.test("serveSensor() ends a session an operator kills, and says so in its disconnect", async () => {
  const events: SensorEvent[] = [];
  await using sensor = serveSensor({
    decky: "web01",
    hostname: "127.0.0.1",
    services: [{ service: echoLine, options: { port: 0 } }],
    sink: (e) => events.push(e),
    newId: () => "s-1",
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: sensor.ports.get("telnet")! });
  try {
    const reader = new ConnReader(conn);
    await reader.readSome(); // "login: ": the session is live
    assert.equal(sensor.killSession("no-such-session"), false);
    assert.equal(sensor.killSession("s-1"), true);
    assert.equal(await reader.readSome(), null, "the client's connection ends");
    await waitUntil(() => events.some((e) => e.kind === "disconnect"));
    assert.equal(events.find((e) => e.kind === "disconnect")!.reason, "killed");
    assert.equal(sensor.killSession("s-1"), false, "an ended session is no longer live");
  } finally {
    conn.close();
  }
});
