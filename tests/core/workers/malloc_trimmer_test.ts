import assert from "node:assert/strict";
import { MallocTrimmer } from "../../../core/workers/malloc_trimmer.ts";
import { LIBC_PATHS, openMallocTrim } from "../../../core/workers/open_malloc_trim.ts";

const MiB = 1024 * 1024;

/** A process whose RSS, CPU and clock the test sets; counts the trims. */
function fakeProcess() {
  const state = { rss: 200 * MiB, cpuMs: 0, now: 0, trims: 0, releases: 20 * MiB };
  const options = {
    intervalMs: 5000,
    now: () => state.now,
    probe: {
      rssBytes: () => state.rss,
      cpuMs: () => state.cpuMs,
      trim: () => {
        state.trims++;
        state.rss -= state.releases;
        return true;
      },
    },
  };
  /** Five seconds pass, with `cpuMs` of work done. */
  const tick = (cpuMs: number) => {
    state.now += 5000;
    state.cpuMs += cpuMs;
  };
  return { state, options, tick };
}

Deno.test("MallocTrimmer.check() trims when a load ends, never during it", () => {
  const { state, options, tick } = fakeProcess();
  using trimmer = new MallocTrimmer(options);
  state.releases = 0;
  tick(4000); // a load: 80% of a CPU
  assert.equal(trimmer.check(), null);
  tick(3000);
  assert.equal(trimmer.check(), null);
  assert.equal(state.trims, 0);
  state.releases = 20 * MiB;
  tick(100); // quiet: the load ended
  assert.equal(trimmer.check(), 20 * MiB);
  assert.equal(state.trims, 1);
});

Deno.test("MallocTrimmer.check() trims a quiet process at once when its RSS grew", async (t) => {
  const { state, options, tick } = fakeProcess();
  // Looked at every 5 s, but no trim due by time alone within this test.
  using trimmer = new MallocTrimmer({ ...options, intervalMs: 60_000, minGrowthBytes: 8 * MiB });
  await t.step("not for less than minGrowthBytes", () => {
    state.rss += 7 * MiB;
    tick(100);
    assert.equal(trimmer.check(), null);
    assert.equal(state.trims, 0);
  });
  await t.step("growth counts from the lowest RSS seen (the V8 heaps shrank)", () => {
    state.rss -= 30 * MiB;
    tick(100);
    trimmer.check();
    state.rss += 9 * MiB;
    tick(100);
    assert.equal(trimmer.check(), 20 * MiB);
    assert.equal(state.trims, 1);
  });
});

Deno.test("MallocTrimmer.check() trims a quiet process again later, less often while nothing is released", () => {
  const { state, options, tick } = fakeProcess();
  using trimmer = new MallocTrimmer({ ...options, maxIntervalMs: 40_000 });
  const trimmedAt: number[] = [];
  state.releases = 0;
  for (let i = 0; i < 30; i++) {
    tick(10);
    if (trimmer.check() !== null) trimmedAt.push(state.now / 1000);
  }
  // Every 5 s, then 10, 20, 40 and no longer (maxIntervalMs).
  assert.deepEqual(trimmedAt, [5, 15, 35, 75, 115]);
  // Memory freed while nothing seemed to happen (an idle GC): the next trim follows soon.
  state.releases = 10 * MiB;
  tick(10);
  while (trimmer.check() === null) tick(10);
  tick(10);
  assert.equal(trimmer.check(), 10 * MiB);
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

Deno.test("MallocTrimmer.check() reduces the heaps first at each trim, never under load", () => {
  const { state, options, tick } = fakeProcess();
  const calls: string[] = [];
  using trimmer = new MallocTrimmer({
    ...options,
    reduceHeaps: () => calls.push(`reduce before trim ${state.trims + 1}`),
  });
  tick(4000); // a load
  trimmer.check();
  assert.deepEqual(calls, []);
  tick(100); // quiet: the load ended
  trimmer.check();
  assert.deepEqual(calls, ["reduce before trim 1"]);
  assert.equal(state.trims, 1);
});
