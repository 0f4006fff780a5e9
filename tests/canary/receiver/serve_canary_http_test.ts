import assert from "node:assert/strict";
import { serveCanaryHttp, type ServeCanaryHttpOptions } from "../../../canary/receiver/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { MemoryTriggerSink, SLUG } from "./_memory_trigger_sink.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function start(options: Partial<ServeCanaryHttpOptions> = {}) {
  const sink = new MemoryTriggerSink();
  sink.add({ uuid: "tok-1", callbackToken: SLUG });
  return serveCanaryHttp(
    { hostname: "127.0.0.1", port: 0 },
    { sink, log: new Logger({ level: "error", sink: () => {} }), ...options },
  );
}

/** Reads until the server closes; the text received. */
async function readToEnd(conn: Deno.Conn): Promise<string> {
  let text = "";
  const buf = new Uint8Array(65536);
  for (;;) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) return text;
    text += decoder.decode(buf.subarray(0, n));
  }
}

Deno.test("serveCanaryHttp() closes a head that does not complete in time, answering nothing", async () => {
  await using http = start({ headerTimeoutMs: 100 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: http.port });
  await conn.write(encoder.encode(`GET /c/${SLUG} HTTP/1.1\r\nHost: a\r\n`));
  assert.equal(await readToEnd(conn), "");
  conn.close();
});

Deno.test("serveCanaryHttp() closes an idle keep-alive connection after its timeout", async () => {
  await using http = start({ keepAliveTimeoutMs: 100 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: http.port });
  await conn.write(encoder.encode(`GET /c/${SLUG} HTTP/1.1\r\nHost: a\r\n\r\n`));
  const text = await readToEnd(conn);
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n[^]*Connection: keep-alive\r\n\r\nGIF89a/);
  conn.close();
});

Deno.test("serveCanaryHttp() closes connections over its cap at once", async () => {
  await using http = start({ maxConnections: 2, headerTimeoutMs: 10_000 });
  const held = [
    await Deno.connect({ hostname: "127.0.0.1", port: http.port }),
    await Deno.connect({ hostname: "127.0.0.1", port: http.port }),
  ];
  // A request on each proves the server took both before the third arrives.
  for (const conn of held) {
    await conn.write(encoder.encode("GET /x HTTP/1.1\r\nHost: a\r\n\r\n"));
    const buf = new Uint8Array(4096);
    assert.ok((await conn.read(buf))! > 0);
  }
  const extra = await Deno.connect({ hostname: "127.0.0.1", port: http.port });
  await extra.write(encoder.encode("GET /x HTTP/1.1\r\nHost: a\r\n\r\n")).catch(() => 0);
  assert.equal(await readToEnd(extra), "");
  extra.close();
  for (const conn of held) conn.close();
});

Deno.test("serveCanaryHttp() skips a large body arriving in pieces and serves the next request", async () => {
  await using http = start();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: http.port });
  const body = new Uint8Array(300_000).fill(0x61);
  await conn.write(
    encoder.encode(`POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n\r\n`),
  );
  for (let i = 0; i < body.length; i += 50_000) await conn.write(body.subarray(i, i + 50_000));
  await conn.write(
    encoder.encode(`GET /c/${SLUG} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`),
  );
  const text = await readToEnd(conn);
  assert.match(text, /^HTTP\/1\.1 404 Not Found\r\n/);
  assert.match(text, /HTTP\/1\.1 200 OK\r\n[^]*Connection: close\r\n\r\nGIF89a/);
  conn.close();
});

Deno.test("serveCanaryHttp() ends the connection after a chunked body too large to skip in memory", async () => {
  await using http = start({ lingerMs: 100 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: http.port });
  await conn.write(
    encoder.encode(`POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n20000\r\n`),
  );
  await conn.write(new Uint8Array(0x20000).fill(0x62)).catch(() => 0);
  const text = await readToEnd(conn);
  assert.equal(text.match(/HTTP\/1\.1 /g)?.length, 1);
  assert.match(text, /^HTTP\/1\.1 404 Not Found\r\n/);
  conn.close();
});

Deno.test("serveCanaryHttp() gives a pipelined head the header timeout, not the keep-alive one", async () => {
  await using http = start({ headerTimeoutMs: 100, keepAliveTimeoutMs: 60_000 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: http.port });
  await conn.write(encoder.encode(`GET /x HTTP/1.1\r\nHost: a\r\n\r\nGET /y HTTP/1.1\r\n`));
  const text = await readToEnd(conn);
  assert.equal(text.match(/HTTP\/1\.1 404/g)?.length, 1);
  conn.close();
});

Deno.test("serveCanaryHttp() closes a connection open longer than an hour after its answer", async () => {
  let clock = Date.parse("2026-12-01T09:00:00Z");
  await using http = start({ now: () => new Date(clock) });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: http.port });
  const ask = async () => {
    await conn.write(encoder.encode(`GET /c/${SLUG} HTTP/1.1\r\nHost: a\r\n\r\n`));
    const buf = new Uint8Array(4096);
    return decoder.decode(buf.subarray(0, (await conn.read(buf)) ?? 0));
  };
  assert.match(await ask(), /Connection: keep-alive\r\n/);
  clock += 3600_000 + 1;
  assert.match(await ask(), /Connection: close\r\n/);
  conn.close();
});

Deno.test("serveCanaryHttp() arms no timer per keep-alive request (one per connection, moved only earlier)", async () => {
  await using http = start();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: http.port });
  const original = globalThis.setTimeout;
  let armed = 0;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    armed++;
    return original(...args);
  }) as typeof setTimeout;
  try {
    const buf = new Uint8Array(4096);
    for (let i = 0; i < 20; i++) {
      await conn.write(encoder.encode(`GET /c/${SLUG} HTTP/1.1\r\nHost: a\r\n\r\n`));
      let text = "";
      // The head, then the 43-byte GIF.
      while (text.indexOf("\r\n\r\n") < 0 || text.length < text.indexOf("\r\n\r\n") + 4 + 43) {
        const n = await conn.read(buf);
        assert.ok(n !== null, "the server closed the connection");
        text += decoder.decode(buf.subarray(0, n), { stream: true });
      }
      assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    }
  } finally {
    globalThis.setTimeout = original;
  }
  conn.close();
  assert.ok(armed <= 2, `${armed} timers armed for 20 requests on one connection`);
});

Deno.test("serveCanaryHttp() keeps a pipelined head's first part while reading the rest", async () => {
  await using http = start();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: http.port });
  await conn.write(encoder.encode(`GET /x HTTP/1.1\r\nHost: a\r\n\r\nGET /c/${SLUG} HTTP/1.1\r\n`));
  const buf = new Uint8Array(4096);
  let text = "";
  while (!/HTTP\/1\.1 404[^]*\r\n\r\n[^]*<\/html>\r\n/.test(text)) {
    const n = await conn.read(buf);
    assert.ok(n !== null, "the server closed the connection");
    text += decoder.decode(buf.subarray(0, n));
  }
  // The rest arrives in a read of its own, over the buffer the first part came in.
  await conn.write(encoder.encode(`Host: b\r\nConnection: close\r\n\r\n`));
  text += await readToEnd(conn);
  assert.equal(text.match(/HTTP\/1\.1 404 Not Found\r\n/g)?.length, 1);
  assert.match(text, /HTTP\/1\.1 200 OK\r\n[^]*Connection: close\r\n/);
  conn.close();
});
