import assert from "node:assert/strict";
import { TelnetDecoder } from "../../../../core/sensor/telnet/telnet_decoder.ts";
import { createTelnetService } from "../../../../core/sensor/telnet/telnet_service.ts";
import { assertSurvivesBadInput } from "../_bad_input.ts";

Deno.test("TelnetDecoder splits data, options and subnegotiations across reads", () => {
  const decoder = new TelnetDecoder();
  assert.deepEqual(decoder.push(Uint8Array.of(0x61, 0xff, 0xff, 0xff)), [
    { kind: "data", bytes: Uint8Array.of(0x61, 0xff) },
  ]);
  assert.deepEqual(decoder.push(Uint8Array.of(0xfb, 0x18, 0xff, 0xfa, 0x18, 0x00, 0x41, 0xff)), [
    { kind: "option", verb: 0xfb, option: 0x18 },
  ]);
  assert.deepEqual(decoder.push(Uint8Array.of(0xf0, 0xff, 0xf4, 0x62)), [
    { kind: "sub", option: 0x18, data: Uint8Array.of(0x00, 0x41) },
    { kind: "command", code: 0xf4 },
    { kind: "data", bytes: Uint8Array.of(0x62) },
  ]);
});

Deno.test("TelnetDecoder cuts a subnegotiation that never ends at 1024 bytes", () => {
  const decoder = new TelnetDecoder();
  decoder.push(Uint8Array.of(0xff, 0xfa, 0x18));
  for (let i = 0; i < 100; i++) decoder.push(new Uint8Array(10_000).fill(0x41));
  const [sub] = decoder.push(Uint8Array.of(0xff, 0xf0));
  assert.equal(sub.kind === "sub" && sub.data.length, 1023);
});

const IAC = 0xff;
const ROUND_ONE = [
  IAC,
  0xfb,
  37,
  IAC,
  0xfb,
  38,
  IAC,
  0xfd,
  24,
  IAC,
  0xfd,
  32,
  IAC,
  0xfd,
  35,
  IAC,
  0xfd,
  39,
  IAC,
  0xfd,
  36,
];

Deno.test("telnetService survives random, truncated and oversize input and slow clients", async () => {
  const answers = Uint8Array.from([
    ...[0xfe, 37, 0xfe, 38, 0xfb, 24, 0xfb, 32, 0xfc, 35, 0xfb, 39, 0xfc, 36].flatMap((b, i) =>
      i % 2 === 0 ? [IAC, b] : [b]
    ),
    ...[
      IAC,
      0xfa,
      24,
      0,
      0x41,
      IAC,
      0xf0,
      IAC,
      0xfa,
      32,
      0,
      0x39,
      IAC,
      0xf0,
      IAC,
      0xfa,
      39,
      0,
      IAC,
      0xf0,
    ],
    ...[IAC, 0xfd, 3, IAC, 0xfb, 1, IAC, 0xfc, 34, IAC, 0xfc, 31, IAC, 0xfe, 5, IAC, 0xfc, 33],
    ...new TextEncoder().encode("root\r\nsecret\r\n"),
  ]);
  await assertSurvivesBadInput(createTelnetService({ loginFailDelayMs: { min: 0, max: 0 } }), {
    seeds: [answers],
    greeting: (b) => b.length === 21 && b.every((x, i) => x === ROUND_ONE[i]),
  });
});
