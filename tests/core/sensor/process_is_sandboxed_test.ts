import assert from "node:assert/strict";
import { processIsSandboxed } from "../../../core/sensor/process_is_sandboxed.ts";

Deno.test("processIsSandboxed() holds when no permission is granted wholly", () => {
  assert.equal(processIsSandboxed(() => "prompt"), true);
  assert.equal(processIsSandboxed(() => "denied"), true);
});

Deno.test("processIsSandboxed() fails when any one kind is granted wholly", async (t) => {
  for (const kind of ["env", "write", "run", "ffi", "sys", "net", "read"]) {
    await t.step(kind, () => {
      assert.equal(processIsSandboxed((d) => d.name === kind ? "granted" : "prompt"), false);
    });
  }
});
