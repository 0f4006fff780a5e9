// Every way decnet is launched runs it with the same V8 flags (tools/build_bundle.ts V8_FLAGS):
// the bundle's and compiled binary's RUNTIME_FLAGS, the release's bin/decnet, the checkout's
// ./decnet, `deno task start` and the README's line for the bundle.
import assert from "node:assert/strict";
import { RUNTIME_FLAGS, V8_FLAGS } from "../../tools/build_bundle.ts";
import { renderLauncher } from "../../tools/build_release.ts";

const ROOT = new URL("../../", import.meta.url);

/** The `--v8-flags=...` words of a launch line. */
function v8FlagsIn(line: string): string[] {
  return line.split(/\s+/).filter((w) => w.startsWith("--v8-flags"));
}

Deno.test("every launcher runs decnet with V8_FLAGS", async () => {
  assert.match(V8_FLAGS, /^--v8-flags=--max-semi-space-size=\d+$/);
  assert.deepEqual(RUNTIME_FLAGS.filter((f) => f.startsWith("--v8-flags")), [V8_FLAGS]);
  assert.deepEqual(v8FlagsIn(renderLauncher("0.0.0")), [V8_FLAGS]);
  assert.deepEqual(v8FlagsIn(await Deno.readTextFile(new URL("decnet", ROOT))), [V8_FLAGS]);
  const { tasks } = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  assert.deepEqual(v8FlagsIn(tasks.start), [V8_FLAGS]);
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const runLine = /deno run [^`]*? dist\/decnet\.js up/.exec(readme);
  assert.ok(runLine, "README shows how to run the bundle");
  assert.deepEqual(v8FlagsIn(runLine[0]), [V8_FLAGS]);
});
