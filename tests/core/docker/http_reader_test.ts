import assert from "node:assert/strict";
import { type ByteSource, HttpReader } from "../../../core/docker/_http_reader.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Hands out `parts` one read at a time, as the network might split them; then end of stream. */
function source(parts: Uint8Array[]): ByteSource {
  const queue = [...parts];
  return {
    read(buffer) {
      const part = queue.shift();
      if (part === undefined) return Promise.resolve(null);
      const n = Math.min(buffer.length, part.length);
      buffer.set(part.subarray(0, n));
      if (n < part.length) queue.unshift(part.subarray(n));
      return Promise.resolve(n);
    },
  };
}

async function readResponse(parts: Uint8Array[]) {
  const reader = new HttpReader(source(parts));
  const head = await reader.readHead();
  const chunks: Uint8Array[] = [];
  for await (const chunk of reader.body(head)) chunks.push(chunk);
  return { head, body: decoder.decode(new Uint8Array(chunks.flatMap((c) => [...c]))) };
}

/** Every way of cutting `bytes` in two, plus one byte per read. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const ways = [[bytes]];
  for (let i = 1; i < bytes.length; i++) ways.push([bytes.subarray(0, i), bytes.subarray(i)]);
  ways.push([...bytes].map((b) => new Uint8Array([b])));
  return ways;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const CHUNKED = encoder.encode(
  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n" +
    "Api-Version: 1.41\r\n\r\n" +
    `5\r\nhello\r\n1A;name=value\r\n${LETTERS}\r\n1\r\n!\r\n0\r\nX-Trailer: t\r\n\r\n`,
);

Deno.test("HttpReader reads a chunked body split at every boundary", async () => {
  for (const parts of splits(CHUNKED)) {
    const { head, body } = await readResponse(parts);
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("api-version"), "1.41");
    assert.equal(body, `hello${LETTERS}!`, `cut at ${parts[0].length}`);
  }
});

Deno.test("HttpReader reads a Content-Length body split at every boundary, and no further", async () => {
  const reply = encoder.encode(
    'HTTP/1.1 201 Created\r\ncontent-length: 11\r\n\r\n{"Id":"e1"}HTTP/1.1 500 next reply',
  );
  for (const parts of splits(reply)) {
    const { head, body } = await readResponse(parts);
    assert.equal(head.status, 201);
    assert.equal(body, '{"Id":"e1"}');
  }
});

Deno.test("HttpReader reads a body without length to the end of the connection", async () => {
  const reply = encoder.encode("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nraw stream");
  for (const parts of splits(reply)) assert.equal((await readResponse(parts)).body, "raw stream");
});

Deno.test("HttpReader gives no body for 204 and 304 whatever the headers say", async () => {
  for (const status of [204, 304]) {
    const reply = encoder.encode(`HTTP/1.1 ${status} X\r\nContent-Length: 5\r\n\r\n`);
    assert.equal((await readResponse([reply])).body, "");
  }
});

Deno.test("HttpReader rejects as a reset connection when it ends anywhere inside the reply", async () => {
  const length = encoder.encode("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n123456789");
  for (const reply of [CHUNKED, length]) {
    for (let cut = 0; cut < reply.length; cut++) {
      await assert.rejects(
        readResponse([reply.subarray(0, cut)]),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, "ECONNRESET", `cut at ${cut}: ${e.message}`);
          assert.match(e.message, /^Cannot read Docker reply: connection closed /);
          return true;
        },
      );
    }
  }
});

Deno.test("HttpReader throws SyntaxError for a reply that is not HTTP/1.x", async (t) => {
  const cases = {
    "status line": "SSH-2.0-OpenSSH_9.2\r\n\r\n",
    "header": "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
    "chunk size": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "chunk end": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n",
    "Content-Length": "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
    "oversized head": `HTTP/1.1 200 OK\r\nX: ${"a".repeat(70_000)}\r\n\r\n`,
  };
  for (const [name, reply] of Object.entries(cases)) {
    await t.step(name, async () => {
      await assert.rejects(
        readResponse([encoder.encode(reply)]),
        (e) => e instanceof SyntaxError && e.message.startsWith("Cannot read Docker reply: "),
      );
    });
  }
});

Deno.test("HttpReader.rest() yields what followed the head in the same read, then the stream", async () => {
  const reader = new HttpReader(source([
    encoder.encode("HTTP/1.1 101 UPGRADED\r\nUpgrade: tcp\r\n\r\nfirst"),
    encoder.encode(" second"),
  ]));
  assert.equal((await reader.readHead()).status, 101);
  let text = "";
  for await (const chunk of reader.rest()) text += decoder.decode(chunk);
  assert.equal(text, "first second");
});
