import { SLUG } from "./_memory_trigger_sink.ts";

const encoder = new TextEncoder();

/** Well-formed request heads (and bodies) that fuzzers start from. */
export const HTTP_SEEDS: readonly Uint8Array[] = [
  `GET /c/${SLUG} HTTP/1.1\r\nHost: bait.example\r\nUser-Agent: x\r\n\r\n`,
  `POST /c/${SLUG}/x?y=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nUser-Agent: MSIE 6.0\r\n\r\nabc`,
  `GET http://h.example:80/%41/./b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n`,
  `POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n`,
  `HEAD /c/${SLUG} HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n`,
  `GET /nope HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n`,
  `GET /\r\n`,
  `\r\nGET /a//b HTTP/1.1\nHost: x\nFoo\nX_Y: 1\n\n`,
].map((s) => encoder.encode(s));

/** Bytes that matter to an HTTP parser, picked more often than others. */
const SPECIAL = [
  0x0d,
  0x0a,
  0x20,
  0x3a,
  0x25,
  0x2e,
  0x2f,
  0x00,
  0x09,
  0x3f,
  0x23,
  0x41,
  0x61,
  0x2d,
  0x5f,
  0x30,
  0x80,
  0xff,
  0x7f,
  0x3b,
  0x2c,
  0x5b,
  0x5d,
];

/** One to three random edits (replace, insert, delete) of `seed`, from `random`. */
export function mutateHttpRequest(seed: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  let bytes = seed.slice();
  for (let e = 0, edits = 1 + pick(3); e < edits; e++) {
    if (bytes.length === 0) bytes = Uint8Array.of(SPECIAL[pick(SPECIAL.length)]);
    const at = pick(bytes.length);
    const op = pick(4);
    if (op === 0) bytes[at] = SPECIAL[pick(SPECIAL.length)];
    else if (op === 1) bytes[at] = pick(256);
    else if (op === 2) {
      const extra = Uint8Array.from({ length: 1 + pick(4) }, () => SPECIAL[pick(SPECIAL.length)]);
      const next = new Uint8Array(bytes.length + extra.length);
      next.set(bytes.subarray(0, at));
      next.set(extra, at);
      next.set(bytes.subarray(at), at + extra.length);
      bytes = next;
    } else {
      bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
    }
  }
  return bytes;
}
