import assert from "node:assert/strict";
import { MallocTrimmer } from "../../../core/workers/malloc_trimmer.ts";
import { LIBC_PATHS, openMallocTrim } from "../../../core/workers/open_malloc_trim.ts";

const MiB = 1024 * 1024;

/** A process whose RSS and CPU the test sets; counts the trims. */
function fakeProcess() {
  const state = { rss: 200 * MiB, cpuMs: 0, trims: 0, releases: 20 * MiB };
  const probe = {
    rssBytes: () => state.rss,
    cpuMs: () => state.cpuMs,
    trim: () => {
      state.trims++;
      state.rss -= state.releases;
      return true;
    },
  };
  return { state, probe };
}

Deno.test("MallocTrimmer.check() trims when the RSS grew and the process went quiet", () => {
  const { state, probe } = fakeProcess();
  using trimmer = new MallocTrimmer({ probe, intervalMs: 60_000 });
  state.rss += 50 * MiB;
  state.cpuMs += 4000; // a load: 80% of a CPU over 5 s
  assert.equal(trimmer.check(5000), null);
  assert.equal(state.trims, 0);
  state.cpuMs += 100; // quiet
  assert.equal(trimmer.check(5000), 20 * MiB);
  assert.equal(state.trims, 1);
  // Nothing grew since: looking again costs a read of the RSS, no trim.
  state.cpuMs += 100;
  assert.equal(trimmer.check(5000), null);
  assert.equal(state.trims, 1);
});

Deno.test("MallocTrimmer.check() does not trim for growth under minGrowthBytes", async (t) => {
  const { state, probe } = fakeProcess();
  using trimmer = new MallocTrimmer({ probe, intervalMs: 60_000, minGrowthBytes: 8 * MiB });
  await t.step("a small growth", () => {
    state.rss += 7 * MiB;
    assert.equal(trimmer.check(5000), null);
  });
  await t.step("growth is counted from the lowest RSS seen (the V8 heaps shrank)", () => {
    state.rss -= 30 * MiB;
    assert.equal(trimmer.check(5000), null);
    state.rss += 9 * MiB;
    assert.equal(trimmer.check(5000), 20 * MiB);
  });
});

Deno.test("MallocTrimmer gives an allocation burst's freed memory back (child process, glibc)", async () => {
  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      `--allow-ffi=${LIBC_PATHS.join(",")}`,
      new URL("./_malloc_burst.ts", import.meta.url).pathname,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(child.success, new TextDecoder().decode(child.stderr));
  const { held, released } = JSON.parse(new TextDecoder().decode(child.stdout));
  // free() alone kept the burst (64 MiB); the trim gave most of it back.
  assert.ok(held > 48 * MiB, `held ${held}`);
  assert.ok(released > 32 * MiB, `released ${released} of ${held}`);
});

Deno.test("openMallocTrim() is null where FFI to libc is not granted or there is none", async () => {
  assert.equal(openMallocTrim(["/nonexistent/libc.so.6"]), null);
  // `deno run -` (not `eval`, which grants everything) with no permission but reading the module.
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", "-"],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(
    `import { openMallocTrim } from "${
      new URL("../../../core/workers/open_malloc_trim.ts", import.meta.url).href
    }"; console.log(openMallocTrim() === null)`,
  ));
  await writer.close();
  const { stdout } = await child.output();
  assert.equal(new TextDecoder().decode(stdout).trim(), "true");
});
