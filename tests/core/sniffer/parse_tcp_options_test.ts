import assert from "node:assert/strict";
import { parseTcpOptions } from "../../../core/sniffer/mod.ts";

function parse(bytes: number[]) {
  const area = Uint8Array.from(bytes);
  return parseTcpOptions(area, 0, area.length);
}

Deno.test("parseTcpOptions() reads a Linux SYN's options", () => {
  // mss 1460, sok, ts 0x01020304/0, nop, ws 7
  const options = parse([2, 4, 5, 180, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 7]);
  assert.deepEqual(options, {
    mss: 1460,
    wscale: 7,
    sackPermitted: true,
    timestamps: true,
    tsVal: 0x01020304,
    signature: "mss,sok,ts,nop,ws",
    malformed: false,
  });
});

Deno.test("parseTcpOptions() counts the padding after end-of-list like p0f", () => {
  // macOS: mss, nop, ws, nop, nop, ts, sok, eol + 1 byte
  const options = parse([
    2,
    4,
    5,
    180,
    1,
    3,
    3,
    6,
    1,
    1,
    8,
    10,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    4,
    2,
    0,
    0,
  ]);
  assert.equal(options.signature, "mss,nop,ws,nop,nop,ts,sok,eol+1");
  assert.equal(options.wscale, 6);
  assert.equal(parse([0]).signature, "eol+0");
});

Deno.test("parseTcpOptions() gives an empty signature for no options", () => {
  const options = parse([]);
  assert.equal(options.signature, "");
  assert.equal(options.mss, null);
  assert.equal(options.wscale, null);
});

Deno.test("parseTcpOptions() names unknown kinds ?K and stops at a bad length", async (t) => {
  await t.step("unknown kind", () => {
    assert.equal(parse([30, 4, 0, 0, 2, 4, 5, 180]).signature, "?30,mss");
  });
  await t.step("length 0", () => {
    const options = parse([2, 4, 5, 180, 3, 0, 1, 1]);
    assert.equal(options.signature, "mss,ws");
    assert.equal(options.malformed, true);
    assert.equal(options.wscale, null);
  });
  await t.step("length past the area", () => {
    const options = parse([1, 8, 10, 0, 0]);
    assert.equal(options.signature, "nop,ts");
    assert.equal(options.malformed, true);
    assert.equal(options.timestamps, false);
  });
  await t.step("kind byte alone at the end", () => {
    assert.equal(parse([1, 2]).malformed, true);
  });
});
