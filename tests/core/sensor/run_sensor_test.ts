import assert from "node:assert/strict";
import { runSensor } from "../../../core/sensor/mod.ts";
import { lineService } from "./_line_service.ts";

const ENTRY = new URL("./_sensor_entry.ts", import.meta.url).href;

Deno.test("runSensor() serves in a Worker that may read only its own files", async () => {
  const stop = new AbortController();
  const ports = Promise.withResolvers<Record<string, number>>();
  const spool = await Deno.makeTempDir();
  await Deno.writeTextFile(`${spool}/ana`, "From x\n");
  const running = runSensor({
    decky: "ws-01",
    services: [{ name: "telnet", options: { port: 0, mailSpool: spool } }],
  }, {
    entryUrl: ENTRY,
    registry: { telnet: lineService },
    onStarted: ports.resolve,
    signal: stop.signal,
  });
  try {
    const { telnet } = await Promise.race([ports.promise, running.then(() => ({ telnet: 0 }))]);
    assert.ok(telnet > 0);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: telnet });
    const text = await lines(conn, [`read ${spool}/ana`, "read /etc/hostname"], 3);
    conn.close();
    assert.deepEqual(text, ["220 ready", "ok", "denied"]);
  } finally {
    stop.abort();
    await running;
    await Deno.remove(spool, { recursive: true });
  }
});

Deno.test("runSensor() rejects when a service cannot listen", async () => {
  using taken = Deno.listen({ hostname: "0.0.0.0", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  await assert.rejects(
    runSensor({ decky: "a", services: [{ name: "telnet", options: { port } }] }, {
      entryUrl: ENTRY,
      registry: { telnet: lineService },
      signal: new AbortController().signal,
    }),
    /Cannot start sensor: .*(in use|AddrInUse)/i,
  );
});

async function lines(conn: Deno.Conn, send: string[], count: number): Promise<string[]> {
  const buffer = new Uint8Array(4096);
  let text = "";
  await conn.write(new TextEncoder().encode(send.map((l) => l + "\r\n").join("")));
  while (text.split("\r\n").length - 1 < count) {
    const n = await conn.read(buffer);
    if (n === null) break;
    text += new TextDecoder().decode(buffer.subarray(0, n));
  }
  return text.split("\r\n").filter(Boolean);
}
