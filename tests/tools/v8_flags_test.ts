// Every way decnet is launched runs it with the same V8 flags (tools/build_bundle.ts V8_FLAGS) and
// FFI grant for malloc_trim (MALLOC_TRIM_FLAG): the bundle's and compiled binary's RUNTIME_FLAGS,
// the release's bin/decnet, the checkout's ./decnet, `deno task start` and the README's line for
// the bundle; all but the compiled binary also load dynamic imports lazily (LAZY_IMPORTS_FLAG).
import assert from "node:assert/strict";
import {
  LAZY_IMPORTS_FLAG,
  MALLOC_TRIM_FLAG,
  RUNTIME_FLAGS,
  V8_FLAGS,
} from "../../tools/build_bundle.ts";
import { LIBC_PATHS } from "../../core/workers/open_malloc_trim.ts";
import { renderLauncher } from "../../tools/build_release.ts";

const ROOT = new URL("../../", import.meta.url);

/** The words of a launch line starting with `prefix`. */
function flagsIn(line: string, prefix: string): string[] {
  return line.split(/\s+/).filter((w) => w.startsWith(prefix));
}

/** Every launch line: the release's launcher, ./decnet, `deno task start`, the README's. */
async function launchLines(): Promise<Record<string, string>> {
  const { tasks } = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const runLine = /deno run [^`]*? dist\/decnet\.js up/.exec(readme);
  assert.ok(runLine, "README shows how to run the bundle");
  return {
    "bin/decnet": renderLauncher("0.0.0"),
    "./decnet": await Deno.readTextFile(new URL("decnet", ROOT)),
    "deno task start": tasks.start,
    "README": runLine[0],
  };
}

Deno.test("every launcher runs decnet with V8_FLAGS", async () => {
  assert.match(V8_FLAGS, /^--v8-flags=--max-semi-space-size=\d+,--expose-gc$/);
  assert.deepEqual(flagsIn(RUNTIME_FLAGS.join(" "), "--v8-flags"), [V8_FLAGS]);
  for (const [launcher, line] of Object.entries(await launchLines())) {
    assert.deepEqual(flagsIn(line, "--v8-flags"), [V8_FLAGS], launcher);
  }
});

Deno.test("every launcher grants FFI to libc's paths alone (MALLOC_TRIM_FLAG)", async () => {
  assert.equal(MALLOC_TRIM_FLAG, `--allow-ffi=${LIBC_PATHS.join(",")}`);
  assert.deepEqual(flagsIn(RUNTIME_FLAGS.join(" "), "--allow-ffi"), [MALLOC_TRIM_FLAG]);
  for (const [launcher, line] of Object.entries(await launchLines())) {
    assert.deepEqual(flagsIn(line, "--allow-ffi"), [MALLOC_TRIM_FLAG], launcher);
  }
});

Deno.test("every launcher but the compiled binary loads dynamic imports lazily (LAZY_IMPORTS_FLAG)", async () => {
  assert.equal(LAZY_IMPORTS_FLAG, "--unstable-lazy-dynamic-imports");
  assert.ok(RUNTIME_FLAGS.includes(LAZY_IMPORTS_FLAG));
  for (const [launcher, line] of Object.entries(await launchLines())) {
    assert.deepEqual(flagsIn(line, LAZY_IMPORTS_FLAG), [LAZY_IMPORTS_FLAG], launcher);
  }
  const compile = await Deno.readTextFile(new URL("tools/compile_binary.ts", ROOT));
  assert.match(compile, /RUNTIME_FLAGS\.filter\(\(flag\) => flag !== LAZY_IMPORTS_FLAG\)/);
});
