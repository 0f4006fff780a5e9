import assert from "node:assert/strict";

const MiB = 1024 * 1024;

async function burst(v8Flags: string[]): Promise<{ ran: boolean; before: number; after: number }> {
  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      ...v8Flags,
      new URL("./_heap_burst.ts", import.meta.url).pathname,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(child.success, new TextDecoder().decode(child.stderr));
  return JSON.parse(new TextDecoder().decode(child.stdout));
}

Deno.test("reduceHeap() gives a grown heap back under --expose-gc (child process)", async () => {
  const { ran, before, after } = await burst(["--v8-flags=--expose-gc"]);
  assert.equal(ran, true);
  // The garbage of the burst (tens of MiB) held the heap grown; the collection returned most of it.
  assert.ok(before - after > 10 * MiB, `heap ${before} -> ${after}`);
});

Deno.test("reduceHeap() does nothing without --expose-gc", async () => {
  const { ran } = await burst([]);
  assert.equal(ran, false);
});
