import assert from "node:assert/strict";
import { shellScript } from "../../../core/docker/mod.ts";

Deno.test("shellScript() puts untrusted strings after the script as positional parameters", () => {
  const hostile = `/tmp/$(touch /pwned) 'a' "b"\nc`;
  assert.deepEqual(shellScript('cat > "$1"', [hostile]), [
    "sh",
    "-c",
    'cat > "$1"',
    "sh",
    hostile,
  ]);
  assert.deepEqual(shellScript("true"), ["sh", "-c", "true", "sh"]);
});

Deno.test("shellScript() rejects a NUL byte, which argv cannot carry", () => {
  assert.throws(() => shellScript('cat "$1"', ["a\0b"]), TypeError);
});
