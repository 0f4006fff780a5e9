import assert from "node:assert/strict";
import {
  type Http1ParseResult,
  normalizeHttpPath,
  parseHttp1Request,
  skipChunkedBody,
} from "../../../core/http1/mod.ts";
import { seededRandom } from "../../canary/receiver/_dns_fixtures.ts";
import { HTTP_SEEDS, mutateHttpRequest } from "../../canary/receiver/_http_fixtures.ts";

const encoder = new TextEncoder();
const parse = (text: string) => parseHttp1Request(encoder.encode(text));

function statusOf(r: Http1ParseResult): string | number {
  return r.kind === "refused" ? r.refusal.status : r.kind;
}

Deno.test("parseHttp1Request() reads a request head", () => {
  const head =
    "GET /c/x/../y?z=1 HTTP/1.1\r\nHost: bait\r\nUser-Agent: curl/8\r\nX_Y: dropped\r\n\r\n";
  const r = parse(`${head}rest`);
  assert.equal(r.kind, "request");
  if (r.kind !== "request") return;
  assert.equal(r.request.method, "GET");
  assert.equal(r.request.target, "/c/x/../y?z=1");
  assert.equal(r.request.path, "/c/y");
  assert.equal(r.request.version, 1001);
  assert.equal(r.request.keepAlive, true);
  assert.deepEqual(r.request.headers, [["Host", "bait"], ["User-Agent", "curl/8"]]);
  assert.equal(r.headLength, head.length);
});

Deno.test("parseHttp1Request() waits for more bytes until it can decide", async (t) => {
  await t.step("incomplete head", () => {
    assert.equal(statusOf(parse("GET / HTTP/1.1\r\nHost: a\r\n")), "incomplete");
  });
  await t.step("an invalid first byte is refused at once", () => {
    assert.equal(statusOf(parseHttp1Request(Uint8Array.of(0x16, 0x03))), 400);
  });
  await t.step("a higher major version is refused before the line ends", () => {
    assert.equal(statusOf(parse("GET / HTTP/2")), 505);
  });
  await t.step("a bad path is refused before the headers", () => {
    assert.equal(statusOf(parse("GET /../x HTTP/1.1\r\n")), 400);
  });
  await t.step("a request line filling a large buffer is 414 without its end", () => {
    assert.equal(statusOf(parse(`GET /${"a".repeat(8200)}`)), 414);
  });
  await t.step("a header line filling a large buffer is 494 without its end", () => {
    assert.equal(statusOf(parse(`GET / HTTP/1.1\r\nX: ${"a".repeat(8200)}`)), 494);
  });
});

Deno.test("parseHttp1Request() refuses as nginx does", () => {
  const cases: [string, number][] = [
    ["get / HTTP/1.1\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\n\r\n", 400],
    ["GET / HTTP/0.9\r\nHost: a\r\n\r\n", 400],
    ["GET / HTTP/1.100\r\nHost: a\r\n\r\n", 400],
    ["POST /\r\n", 400],
    ["TRACE / HTTP/1.1\r\nHost: a\r\n\r\n", 405],
    ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n", 413],
    ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: br\r\n\r\n", 501],
    ["GET /%00 HTTP/1.1\r\nHost: a\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nHost: a\x00\r\n\r\n", 400],
  ];
  for (const [text, status] of cases) assert.equal(statusOf(parse(text)), status, text);
});

Deno.test("normalizeHttpPath() resolves as nginx's complex URI pass", () => {
  assert.equal(normalizeHttpPath("/a//b/./c/../d?x/../.."), "/a/b/d");
  assert.equal(normalizeHttpPath("/c/%41b/."), "/c/Ab/");
  assert.equal(normalizeHttpPath("/a/.."), "/");
  assert.equal(normalizeHttpPath("/.."), null);
  assert.equal(normalizeHttpPath("/%2e%2e/"), null);
  assert.equal(normalizeHttpPath("/%zz"), null);
});

Deno.test("skipChunkedBody() finds the end of a chunked body", () => {
  const body = encoder.encode(
    "3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: x\r\n\r\nNEXT",
  );
  assert.deepEqual(skipChunkedBody(body, 0), { kind: "done", end: body.length - 4 });
  assert.equal(skipChunkedBody(body.subarray(0, 20), 0).kind, "incomplete");
  assert.equal(skipChunkedBody(encoder.encode("zz\r\n"), 0).kind, "invalid");
  assert.equal(skipChunkedBody(encoder.encode("3\r\nabcX\r\n"), 0).kind, "invalid");
});

Deno.test("parseHttp1Request() holds its invariants on 200,000 fuzzed heads", () => {
  const random = seededRandom(0x48_54_54_50);
  const kinds = { incomplete: 0, refused: 0, request: 0 };
  for (let i = 0; i < 200_000; i++) {
    const bytes = i % 8 === 0
      ? Uint8Array.from({ length: Math.floor(random() * 120) }, () => Math.floor(random() * 256))
      : mutateHttpRequest(HTTP_SEEDS[i % HTTP_SEEDS.length], random);
    const r = parseHttp1Request(bytes);
    kinds[r.kind]++;
    if (r.kind === "request") {
      assert.ok(r.headLength <= bytes.length);
      assert.ok(r.request.path.startsWith("/"));
      // The path is already normal: nginx would match locations against exactly this.
      assert.equal(normalizeHttpPath(r.request.path.replaceAll("%", "%25")), r.request.path);
      assert.ok(!r.request.path.includes("\0"));
    }
    if (r.kind === "refused") {
      assert.ok([400, 405, 413, 414, 494, 501, 505].includes(r.refusal.status));
    }
    // Deciding on a prefix never contradicts the decision on the whole.
    if (r.kind !== "incomplete" && i % 16 === 0) {
      const cut = Math.floor(random() * bytes.length);
      const early = parseHttp1Request(bytes.subarray(0, cut));
      if (early.kind === "refused") assert.deepEqual(early, r);
    }
    if (i % 4 === 0) skipChunkedBody(bytes, Math.floor(random() * (bytes.length + 1)));
  }
  for (const [kind, n] of Object.entries(kinds)) assert.ok(n > 1000, `only ${n} ${kind}`);
});

Deno.test("parseHttp1Request() says when nginx would gzip a text answer", () => {
  const gzip = (version: string, extra: string) => {
    const r = parse(`GET /x HTTP/${version}\r\nHost: a\r\n${extra}\r\n`);
    return r.kind === "request" && r.request.gzip;
  };
  assert.equal(gzip("1.1", "Accept-Encoding: gzip, deflate, br\r\n"), true);
  assert.equal(gzip("1.1", "Accept-Encoding: deflate, gzip;q=0.5\r\n"), true);
  assert.equal(gzip("1.1", "Accept-Encoding: gzip;q=0\r\n"), false);
  assert.equal(gzip("1.1", "Accept-Encoding: x-gzip\r\n"), false);
  assert.equal(gzip("1.1", "Accept-Encoding: gzip\r\nVia: 1.1 cache\r\n"), false);
  assert.equal(gzip("1.0", "Accept-Encoding: gzip\r\n"), false);
  assert.equal(gzip("1.1", ""), false);
});
