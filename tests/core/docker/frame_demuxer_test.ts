import assert from "node:assert/strict";
import { FrameDemuxer, type OutputStream } from "../../../core/docker/mod.ts";

function frame(stream: number, payload: string): Uint8Array {
  const body = new TextEncoder().encode(payload);
  const out = new Uint8Array(8 + body.length);
  out[0] = stream;
  new DataView(out.buffer).setUint32(4, body.length);
  out.set(body, 8);
  return out;
}

function collect(): { demuxer: FrameDemuxer; got: Record<OutputStream, string> } {
  const got = { stdout: "", stderr: "" };
  const decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const demuxer = new FrameDemuxer((stream, bytes) => {
    got[stream] += decoder[stream].decode(bytes, { stream: true });
  });
  return { demuxer, got };
}

Deno.test("FrameDemuxer splits stdout and stderr frames", async (t) => {
  const wire = new Uint8Array([
    ...frame(1, "out1 "),
    ...frame(2, "err1 "),
    ...frame(1, ""),
    ...frame(1, "out2 ünï"),
    ...frame(0, "stdin-as-stdout"),
    ...frame(2, "err2"),
  ]);
  await t.step("when the stream arrives in one chunk", () => {
    const { demuxer, got } = collect();
    demuxer.push(wire);
    demuxer.finish();
    assert.deepEqual(got, { stdout: "out1 out2 ünïstdin-as-stdout", stderr: "err1 err2" });
  });
  await t.step("when every chunk boundary falls inside headers and payloads", () => {
    for (const size of [1, 2, 3, 7, 9, 13]) {
      const { demuxer, got } = collect();
      for (let i = 0; i < wire.length; i += size) demuxer.push(wire.subarray(i, i + size));
      demuxer.finish();
      assert.deepEqual(got, { stdout: "out1 out2 ünïstdin-as-stdout", stderr: "err1 err2" });
    }
  });
});

Deno.test("FrameDemuxer.finish() throws when the stream ends inside a frame", () => {
  const { demuxer } = collect();
  demuxer.push(frame(1, "truncated").subarray(0, 12));
  assert.throws(() => demuxer.finish(), SyntaxError);
});
