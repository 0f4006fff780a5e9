import assert from "node:assert/strict";
import { serveCanaryHttp } from "../../canary/receiver/mod.ts";
import { nginxErrorPage } from "../../core/http1/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { nginxUnavailable, startNginx } from "../infra/nginx.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { MemoryTriggerSink, SLUG } from "../canary/receiver/_memory_trigger_sink.ts";
import { seededRandom } from "../canary/receiver/_dns_fixtures.ts";
import { HTTP_SEEDS, mutateHttpRequest } from "../canary/receiver/_http_fixtures.ts";

const H = "Host: bait.example\r\n";
const CLOSE = "Connection: close\r\n";
const TLS_CLIENT_HELLO = Uint8Array.from([
  0x16,
  0x03,
  0x01,
  0x00,
  0x2f,
  0x01,
  0x00,
  0x00,
  0x2b,
  0x03,
  0x03,
  ...new Array(32).fill(0x11),
  0x00,
  0x00,
  0x02,
  0x13,
  0x01,
  0x01,
  0x00,
]);

/**
 * Every probe of issue 13 and then some: each is sent as one write to a real
 * nginx serving empty_gif for SLUG and to the canary listener; the bytes that
 * come back until the server closes must be equal (Date values aside).
 */
const PROBES: [string, string | Uint8Array][] = [
  ["GIF for an active slug", `GET /c/${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  [
    "GIF below an active slug",
    `GET /c/${SLUG}/project.git/info/refs?service=x HTTP/1.1\r\n${H}${CLOSE}\r\n`,
  ],
  ["HEAD of the GIF", `HEAD /c/${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  [
    "POST to an active slug is 405",
    `POST /c/${SLUG} HTTP/1.1\r\n${H}Content-Length: 3\r\n${CLOSE}\r\nx=1`,
  ],
  ["unknown slug", `GET /c/abc HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["unknown .gif", `GET /c/x.gif HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["slug with another case", `GET /c/${SLUG.toLowerCase()} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["root", `GET / HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["HEAD of a 404", `HEAD /docs HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["POST to a 404", `POST /x HTTP/1.1\r\n${H}Content-Length: 3\r\n${CLOSE}\r\nx=1`],
  ["OPTIONS on a path", `OPTIONS /x HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["OPTIONS on an active slug", `OPTIONS /c/${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["OPTIONS *", `OPTIONS * HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["TRACE", `TRACE / HTTP/1.1\r\n${H}\r\n`],
  ["DELETE on an active slug", `DELETE /c/${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["unknown method", `FOO /c/${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["CONNECT", `CONNECT bait.example:443 HTTP/1.1\r\n${H}\r\n`],
  ["lower-case method", `get / HTTP/1.1\r\n${H}\r\n`],
  ["garbage line", "HELLO\r\n\r\n"],
  ["TLS ClientHello", TLS_CLIENT_HELLO],
  ["HTTP/2.0", `GET / HTTP/2.0\r\n${H}\r\n`],
  ["HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"],
  ["HTTP/3.0", `GET / HTTP/3.0\r\n${H}\r\n`],
  ["HTTP/1.2", `GET / HTTP/1.2\r\n${H}${CLOSE}\r\n`],
  ["HTTP/1.0 without Host (GIF)", `GET /c/${SLUG} HTTP/1.0\r\n\r\n`],
  ["HTTP/1.0 without Host (404)", `GET /nope HTTP/1.0\r\n\r\n`],
  ["HTTP/1.1 without Host", `GET / HTTP/1.1\r\n\r\n`],
  ["HTTP/0.9 GIF", `GET /c/${SLUG}\r\n`],
  ["HTTP/0.9 404", `GET /\r\n`],
  ["HTTP/0.9 POST", `POST /\r\n`],
  ["too long URI", `GET /${"a".repeat(9000)} HTTP/1.1\r\n${H}\r\n`],
  ["request line of 8192 bytes", `GET /${"a".repeat(8176)} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["request line of 8193 bytes", `GET /${"a".repeat(8177)} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["too long header", `GET / HTTP/1.1\r\n${H}X-A: ${"a".repeat(9000)}\r\n\r\n`],
  [
    "four 7000-byte headers",
    `GET /x HTTP/1.1\r\n${H}${`X-A: ${"a".repeat(7000)}\r\n`.repeat(4)}${CLOSE}\r\n`,
  ],
  [
    "five 7000-byte headers",
    `GET /x HTTP/1.1\r\n${H}${`X-A: ${"a".repeat(7000)}\r\n`.repeat(5)}${CLOSE}\r\n`,
  ],
  ["too long method", `${"A".repeat(9000)} / HTTP/1.1\r\n${H}\r\n`],
  ["1000 header fields", `GET /x HTTP/1.1\r\n${H}${"X-Y: z\r\n".repeat(998)}${CLOSE}\r\n`],
  ["1001 header fields", `GET /x HTTP/1.1\r\n${H}${"X-Y: z\r\n".repeat(999)}${CLOSE}\r\n`],
  [
    "1000 fields and ignored ones",
    `GET /x HTTP/1.1\r\n${H}${"X-Y: z\r\n".repeat(998)}${"X_Y: z\r\n".repeat(9)}${CLOSE}\r\n`,
  ],
  [
    "many 36-byte headers",
    `GET /x HTTP/1.1\r\n${H}${`X-Yyyyyyyyyy: ${"z".repeat(20)}\r\n`.repeat(933)}${CLOSE}\r\n`,
  ],
  [
    "too many 36-byte headers",
    `GET /x HTTP/1.1\r\n${H}${`X-Yyyyyyyyyy: ${"z".repeat(20)}\r\n`.repeat(936)}\r\n`,
  ],
  [
    "107 305-byte headers",
    `GET /x HTTP/1.1\r\n${H}${`X: ${"a".repeat(300)}\r\n`.repeat(107)}${CLOSE}\r\n`,
  ],
  [
    "108 305-byte headers",
    `GET /x HTTP/1.1\r\n${H}${`X: ${"a".repeat(300)}\r\n`.repeat(108)}${CLOSE}\r\n`,
  ],
  [
    "header line of exactly 8192 bytes",
    `GET /x HTTP/1.1\r\n${H}X: ${"a".repeat(8187)}\r\n${CLOSE}\r\n`,
  ],
  ["header line of 8193 bytes", `GET /x HTTP/1.1\r\n${H}X: ${"a".repeat(8188)}\r\n${CLOSE}\r\n`],
  ["/../..", `GET /../.. HTTP/1.1\r\n${H}\r\n`],
  ["/%00", `GET /%00 HTTP/1.1\r\n${H}\r\n`],
  ["/%zz", `GET /%zz HTTP/1.1\r\n${H}\r\n`],
  ["dot segments to an active slug", `GET /x/../c/./${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["escaped active slug", `GET /c/%41b3dEf6hIj9kLm2nOp5qRs HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["double slash", `GET /c//${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["absolute target", `GET http://other.example/c/${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["control byte in target", `GET /a\x01b HTTP/1.1\r\n${H}\r\n`],
  ["high byte in target", `GET /a\xffb HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["two spaces", `GET  /c/${SLUG}  HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["LF line ends", `GET /c/abc HTTP/1.1\nHost: x\nConnection: close\n\n`],
  ["header without colon", `GET / HTTP/1.1\r\n${H}Foo\r\n${CLOSE}\r\n`],
  ["space before colon", `GET / HTTP/1.1\r\nHost : x\r\n${CLOSE}\r\n`],
  ["folded header", `GET / HTTP/1.1\r\n${H}X: a\r\n b\r\n${CLOSE}\r\n`],
  ["underscore header", `GET / HTTP/1.1\r\n${H}X_Y: 1\r\n${CLOSE}\r\n`],
  ["duplicate Host", `GET / HTTP/1.1\r\n${H}${H}\r\n`],
  ["Host with a slash", `GET / HTTP/1.1\r\nHost: a/b\r\n\r\n`],
  ["empty Host", `GET / HTTP/1.1\r\nHost:\r\n\r\n`],
  ["bad Content-Length", `POST /x HTTP/1.1\r\n${H}Content-Length: abc\r\n\r\n`],
  [
    "Content-Length and chunked",
    `POST /x HTTP/1.1\r\n${H}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  ],
  ["Transfer-Encoding gzip", `POST /x HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\n`],
  ["chunked in HTTP/1.0", `POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n`],
  ["body over client_max_body_size", `POST /x HTTP/1.1\r\n${H}Content-Length: 2000000\r\n\r\n`],
  [
    "MSIE padding",
    `GET /x HTTP/1.1\r\n${H}User-Agent: Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)\r\n${CLOSE}\r\n`,
  ],
  ["query on the slug", `GET /c/${SLUG}?utm=1&x=%00 HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["escaped slash after the slug", `GET /c/${SLUG}%2Fx HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["dot-dot back out of the slug", `GET /c/${SLUG}/.. HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["fragment", `GET /c/${SLUG}#frag HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["escaped hash", `GET /c/${SLUG}%23x HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["leading double slash", `GET //c/${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["upper-case scheme", `GET HTTP://x/c/${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["https absolute target", `GET https://x:443/c/abc HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["IPv6 host in target", `GET http://[::1]:80/c/abc HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  ["Host with port and case", `GET /c/abc HTTP/1.1\r\nHost: Bait.Example:8080\r\n${CLOSE}\r\n`],
  ["Host IPv6", `GET /c/abc HTTP/1.1\r\nHost: [::1]:80\r\n${CLOSE}\r\n`],
  ["Host with trailing dot", `GET /c/abc HTTP/1.1\r\nHost: bait.example.\r\n${CLOSE}\r\n`],
  ["Host of a dot", `GET /c/abc HTTP/1.1\r\nHost: .\r\n${CLOSE}\r\n`],
  ["Host with a space", `GET /c/abc HTTP/1.1\r\nHost: a b\r\n${CLOSE}\r\n`],
  ["Host with a backslash", `GET /c/abc HTTP/1.1\r\nHost: a\\b\r\n${CLOSE}\r\n`],
  ["high bytes in a header value", `GET /c/abc HTTP/1.1\r\n${H}X-A: \xe9\xff\r\n${CLOSE}\r\n`],
  ["tab in a header value", `GET /c/abc HTTP/1.1\r\n${H}X-A: a\tb\r\n${CLOSE}\r\n`],
  [
    "Chunked in capitals",
    `POST /x HTTP/1.1\r\n${H}Transfer-Encoding: Chunked\r\n${CLOSE}\r\n0\r\n\r\n`,
  ],
  ["Content-Length +3", `POST /x HTTP/1.1\r\n${H}Content-Length: +3\r\n${CLOSE}\r\nabc`],
  ["Content-Length 007", `POST /x HTTP/1.1\r\n${H}Content-Length: 007\r\n${CLOSE}\r\n1234567`],
  [
    "Content-Length twice, same value",
    `POST /x HTTP/1.1\r\n${H}Content-Length: 3\r\nContent-Length: 3\r\n${CLOSE}\r\nabc`,
  ],
  [
    "Connection: Keep-Alive, Upgrade",
    `GET /c/abc HTTP/1.0\r\nConnection: Keep-Alive, Upgrade\r\nUpgrade: h2c\r\n\r\nGET /x HTTP/1.0\r\n\r\n`,
  ],
  [
    "Connection header twice",
    `GET /c/abc HTTP/1.1\r\n${H}Connection: close\r\nConnection: keep-alive\r\n\r\nGET /x HTTP/1.1\r\n${H}${CLOSE}\r\n`,
  ],
  [
    "GET with a body",
    `GET /c/${SLUG} HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhelloGET /x HTTP/1.1\r\n${H}${CLOSE}\r\n`,
  ],
  ["space after the version", `GET / HTTP/1.1 \r\n${H}${CLOSE}\r\n`],
  ["HTTP/01.1", `GET / HTTP/01.1\r\n${H}${CLOSE}\r\n`],
  ["HTTP/1.01", `GET / HTTP/1.01\r\n${H}${CLOSE}\r\n`],
  ["bare CR in the request line", `GET / HTTP/1.1\rX\n${H}\r\n`],
  [
    "keep-alive then close",
    `GET /c/${SLUG} HTTP/1.1\r\n${H}\r\nGET /c/abc HTTP/1.1\r\n${H}${CLOSE}\r\n`,
  ],
  ["pipelined HEAD", `GET /c/${SLUG} HTTP/1.1\r\n${H}\r\nHEAD /c/abc HTTP/1.1\r\n${H}${CLOSE}\r\n`],
  [
    "keep-alive after 405 with body",
    `POST /c/${SLUG} HTTP/1.1\r\n${H}Content-Length: 3\r\n\r\nx=1GET /c/abc HTTP/1.1\r\n${H}${CLOSE}\r\n`,
  ],
  [
    "keep-alive after chunked body",
    `POST /x HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /c/${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`,
  ],
  [
    "HTTP/1.0 keep-alive",
    `GET /c/${SLUG} HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /x HTTP/1.0\r\n\r\n`,
  ],
  [
    "Connection: close in HTTP/1.1 ends after one",
    `GET /c/abc HTTP/1.1\r\n${H}${CLOSE}\r\nGET /c/${SLUG} HTTP/1.1\r\n${H}\r\n`,
  ],
  ["keepalive_requests: the 1000th answer closes", `GET /c/abc HTTP/1.1\r\n${H}\r\n`.repeat(1001)],
  ["leading blank lines", `\r\n\r\nGET /c/${SLUG} HTTP/1.1\r\n${H}${CLOSE}\r\n`],
];

const encoder = new TextEncoder();

/** Sends `probe` in one write and reads the bytes until the server closes. */
async function exchangeBytes(port: number, probe: string | Uint8Array): Promise<Uint8Array> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(typeof probe === "string" ? encoder.encode(probe) : probe);
    const parts: Uint8Array<ArrayBuffer>[] = [];
    const buf = new Uint8Array(65536);
    for (;;) {
      const n = await conn.read(buf).catch((e) => {
        if (e instanceof Deno.errors.ConnectionReset) return null;
        throw e;
      });
      if (n === null) break;
      parts.push(buf.slice(0, n));
    }
    return new Uint8Array(await new Blob(parts).arrayBuffer());
  } finally {
    conn.close();
  }
}

/** The same as text; windows-1252 keeps one character per byte on both sides alike. */
async function exchange(port: number, probe: string | Uint8Array): Promise<string> {
  return new TextDecoder("latin1").decode(await exchangeBytes(port, probe));
}

const noNginx = nginxUnavailable();

Deno.test({
  name: "serveCanaryHttp() answers every probe byte for byte as Debian's nginx 1.22 with empty_gif",
  ignore: noNginx !== undefined,
  async fn(t) {
    await using nginx = await startNginx({ gifSlugs: [SLUG] });
    const sink = new MemoryTriggerSink();
    sink.add({ uuid: "tok-1", callbackToken: SLUG });
    await using canary = serveCanaryHttp(
      { hostname: "127.0.0.1", port: 0, serverHeader: "nginx/1.22.1" },
      { sink, log: new Logger({ level: "error", sink: () => {} }), lingerMs: 2000 },
    );
    const undated = (s: string) => s.replace(/^Date: [^\r\n]*\r\n/gm, "Date: *\r\n");
    for (const [name, probe] of PROBES) {
      await t.step(name, async () => {
        const real = await exchange(nginx.port, probe);
        const ours = await exchange(canary.port, probe);
        assert.ok(real.length > 0 || name.startsWith("HTTP/0.9"), `nginx sent nothing for ${name}`);
        assert.equal(undated(ours), undated(real));
      });
    }
    await t.step("the GIF answers recorded triggers, the 404s none", async () => {
      await waitUntil(() => sink.triggers.length > 0, { what: "triggers" });
      assert.ok(sink.triggers.every((tr) => tr.tokenUuid === "tok-1"));
      assert.ok(sink.triggers.some((tr) => tr.method === "POST"));
    });
  },
});

Deno.test({
  name: "serveCanaryHttp() answers as nginx with server_tokens off when the Server value is nginx",
  ignore: noNginx !== undefined,
  async fn(t) {
    await using nginx = await startNginx({ gifSlugs: [SLUG], serverTokensOff: true });
    const sink = new MemoryTriggerSink();
    sink.add({ uuid: "tok-1", callbackToken: SLUG });
    await using canary = serveCanaryHttp(
      { hostname: "127.0.0.1", port: 0, serverHeader: "nginx" },
      { sink, log: new Logger({ level: "error", sink: () => {} }), lingerMs: 2000 },
    );
    const undated = (s: string) => s.replace(/^Date: [^\r\n]*\r\n/gm, "Date: *\r\n");
    const names = [
      "GIF for an active slug",
      "unknown slug",
      "404 gzipped",
      "garbage line",
      "too long URI",
    ];
    for (const [name, probe] of PROBES.filter(([n]) => names.includes(n))) {
      await t.step(name, async () => {
        const real = await exchange(nginx.port, probe);
        assert.match(real, /Server: nginx\r\n/);
        assert.equal(undated(await exchange(canary.port, probe)), undated(real));
      });
    }
  },
});

Deno.test("serveCanaryHttp() gzips the 404 page for another Server value so that it reads the same", async () => {
  await using canary = serveCanaryHttp(
    { hostname: "127.0.0.1", port: 0, serverHeader: "nginx/1.24.0" },
    { sink: new MemoryTriggerSink(), log: new Logger({ level: "error", sink: () => {} }) },
  );
  const out = await exchangeBytes(
    canary.port,
    `GET /x HTTP/1.1\r\n${H}Accept-Encoding: gzip\r\n${CLOSE}\r\n`,
  );
  const raw = String.fromCharCode(...out);
  const bodyAt = raw.indexOf("\r\n\r\n") + 4;
  assert.match(
    raw.slice(0, bodyAt),
    /Transfer-Encoding: chunked\r\nConnection: close\r\nContent-Encoding: gzip\r\n\r\n$/,
  );
  const sizeEnd = raw.indexOf("\r\n", bodyAt);
  const size = parseInt(raw.slice(bodyAt, sizeEnd), 16);
  const gz = out.slice(sizeEnd + 2, sizeEnd + 2 + size);
  assert.equal(raw.slice(sizeEnd + 2 + size), "\r\n0\r\n\r\n");
  const text = await new Response(
    new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  assert.equal(text, nginxErrorPage(404, "nginx/1.24.0"));
});

Deno.test({
  name: "serveCanaryHttp() answers 1,500 fuzzed requests byte for byte as nginx",
  ignore: noNginx !== undefined,
  async fn() {
    await using nginx = await startNginx({ gifSlugs: [SLUG] });
    const sink = new MemoryTriggerSink();
    sink.add({ uuid: "tok-1", callbackToken: SLUG });
    await using canary = serveCanaryHttp(
      { hostname: "127.0.0.1", port: 0, serverHeader: "nginx/1.22.1" },
      { sink, log: new Logger({ level: "error", sink: () => {} }), lingerMs: 2000 },
    );
    // The client half-closes after its bytes, so an incomplete head ends (unanswered) at once.
    const halfClose = async (port: number, bytes: Uint8Array) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      try {
        await conn.write(bytes).catch(() => 0);
        await conn.closeWrite().catch(() => {});
        const parts: Uint8Array<ArrayBuffer>[] = [];
        const buf = new Uint8Array(65536);
        for (;;) {
          const n = await conn.read(buf).catch(() => null);
          if (n === null) break;
          parts.push(buf.slice(0, n));
        }
        const text = new TextDecoder("latin1").decode(await new Blob(parts).arrayBuffer());
        return text.replace(/^Date: [^\r\n]*\r\n/gm, "Date: *\r\n");
      } finally {
        conn.close();
      }
    };
    const random = seededRandom(0x6e67);
    const mismatches: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const bytes = mutateHttpRequest(HTTP_SEEDS[i % HTTP_SEEDS.length], random);
      const [real, ours] = await Promise.all([
        halfClose(nginx.port, bytes),
        halfClose(canary.port, bytes),
      ]);
      if (real !== ours) {
        mismatches.push(
          `${JSON.stringify(String.fromCharCode(...bytes))}\n nginx ${
            JSON.stringify(real)
          }\n ours  ${JSON.stringify(ours)}`,
        );
      }
    }
    assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} mismatches`);
  },
});
