import assert from "node:assert/strict";
import { encodeTsRequest, parseTsRequest } from "../../../../core/sensor/rdp/ts_request.ts";

Deno.test("encodeTsRequest() writes errorCode as Windows' 4-byte NTSTATUS INTEGER", () => {
  assert.deepEqual(
    [...encodeTsRequest({ version: 6, errorCode: 0xc000006d })],
    [0x30, 0x0d, 0xa0, 3, 2, 1, 6, 0xa4, 6, 2, 4, 0xc0, 0, 0, 0x6d],
  );
});

Deno.test("parseTsRequest() reads back every field encodeTsRequest() writes", () => {
  const request = {
    version: 6,
    negoToken: new Uint8Array(300).fill(7),
    pubKeyAuth: new Uint8Array(16).fill(1),
    errorCode: 0xc000006d,
    clientNonce: new Uint8Array(32).fill(2),
  };
  assert.deepEqual(parseTsRequest(encodeTsRequest(request)), request);
});

Deno.test("parseTsRequest() takes FreeRDP's non-minimal lengths and a leading-zero version", () => {
  // 30 82 00 07: a two-byte length where one would do.
  assert.equal(parseTsRequest(Uint8Array.of(0x30, 0x82, 0, 6, 0xa0, 4, 2, 2, 0, 6))?.version, 6);
});

Deno.test("parseTsRequest() refuses what is not a TSRequest", async (t) => {
  const cases: [string, Uint8Array][] = [
    ["empty", new Uint8Array(0)],
    ["not a SEQUENCE", Uint8Array.of(0x31, 0)],
    ["no version", Uint8Array.of(0x30, 0)],
    ["version too long", Uint8Array.of(0x30, 10, 0xa0, 8, 2, 6, 1, 2, 3, 4, 5, 6)],
    ["truncated", encodeTsRequest({ version: 6, negoToken: new Uint8Array(40) }).slice(0, 20)],
  ];
  for (const [name, bytes] of cases) {
    await t.step(name, () => assert.equal(parseTsRequest(bytes), undefined));
  }
});
