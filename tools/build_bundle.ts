/**
 * `deno task build`: dist/decnet.js and the folder of its parts, dist/decnet/
 * (see {@linkcode buildSplitBundle}), that run from an empty directory with no
 * node_modules:
 * `deno run` with {@linkcode RUNTIME_FLAGS} `dist/decnet.js up`;
 * and beside it dist/decnet-sensor.js, the sensor program alone, which
 * `decnet sensor image` puts in the sensor image (a decky's sensor then parses
 * and holds 0.5 MB of code instead of the whole of decnet's 4 MB).
 *
 * @module
 */
import { SENSOR_BUNDLE_FILE } from "../core/sensor/sensor_image.ts";
import { LIBC_PATHS } from "../core/workers/open_malloc_trim.ts";

/**
 * V8 flags decnet runs with, wherever it is launched: the bundle's line
 * below, the release's bin/decnet, the compiled binary, the checkout's
 * ./decnet and `deno task start` (tests/tools/v8_flags_test.ts keeps them
 * alike). Under load each of `decnet up`'s isolates grows its young
 * generation (two semi-spaces, up to 16 MiB each by default): with eight
 * isolates, 70-150 MB of the peak. 4 MiB keeps the peak that much lower at no
 * CPU cost seen; 1-2 MiB would save ~30 MiB more idle but cost 30-40% more CPU
 * per DNS query in scavenges (tests/bench/RESULTS.md, "Memory", #20).
 * `--expose-gc` lets each isolate run V8's memory-reducing collection when
 * the process is quiet (core/workers/reduce_heap.ts): V8 shrinks a grown
 * heap only under memory pressure, which nothing reports in a Deno process.
 */
export const V8_FLAGS = "--v8-flags=--max-semi-space-size=4,--expose-gc";

/**
 * FFI to libc, for malloc_trim alone: `decnet up` gives the memory its
 * Workers' threads freed back to the kernel when it goes quiet
 * (core/workers/malloc_trimmer.ts; 10-60 MiB, tests/bench/RESULTS.md "Native
 * memory"). Least privilege: FFI to libc is native code, so anything the
 * user may do; but decnet's main process already may (under `up` and the
 * worker commands it may start the Deno runtime with any flags; install runs
 * as root; every command may write where the user can), and Workers,
 * which run the jobs, get `ffi: false` (core/workers/worker_permissions.ts).
 * Where it is not granted or libc is not glibc, nothing is trimmed.
 */
export const MALLOC_TRIM_FLAG = `--allow-ffi=${LIBC_PATHS.join(",")}`;

/**
 * Modules imported with `import()` load when the call runs. Without it, a
 * Deno isolate loads and analyses every module its entry could ever import
 * before it starts: `up`'s main isolate all of decnet, each Worker every
 * optional part of its job (~12 MiB RSS idle over the four workers from the
 * bundle, tests/bench/RESULTS.md "Lazy imports", #20). The price is that a
 * Worker needs read access to the code it imports lazily: decnet's own
 * code, never its data (cli/worker_code_paths.ts). Every launcher but the
 * compiled binary (whose modules are embedded, and which cannot be built
 * and tried here) runs with it.
 */
export const LAZY_IMPORTS_FLAG = "--unstable-lazy-dynamic-imports";

/** Flags the bundle (and, without {@linkcode LAZY_IMPORTS_FLAG}, the compiled binary) run with. */
export const RUNTIME_FLAGS = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-env",
  "--allow-sys",
  "--unstable-worker-options",
  LAZY_IMPORTS_FLAG,
  V8_FLAGS,
  MALLOC_TRIM_FLAG,
];

// CommonJS dependencies (ssh2's crypto glue, for the SSH sensor)
// read __dirname; an ES module has none, so the bundle defines it up front.
const BANNER = 'const __dirname = import.meta.dirname ?? "."; ' +
  'const __filename = import.meta.filename ?? "decnet.js";\n';

/** Runs `deno bundle` for decnet's entry points with `args` (output and entry) added. */
async function denoBundle(args: string[]): Promise<void> {
  const root = new URL("..", import.meta.url).pathname;
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "deno",
      "--minify",
      // Optional native add-ons of ssh2 (never used: we speak to Docker over its socket).
      "--external",
      "*.node",
      "--external",
      "cpu-features",
      "--config",
      `${root}deno.json`,
      ...args,
    ],
    stdout: "inherit",
    stderr: "piped",
  }).output();
  if (!success) throw new Error(`deno bundle failed:\n${new TextDecoder().decode(stderr)}`);
}

/** Bundles `entry` (main.ts unless a test names another) into `output`; returns its size in bytes. */
export async function buildBundle(output: string, entry?: string): Promise<number> {
  const raw = `${output}.raw.js`;
  await denoBundle(["-o", raw, entry ?? new URL("../main.ts", import.meta.url).pathname]);
  const code = await Deno.readTextFile(raw);
  await Deno.remove(raw);
  await Deno.writeTextFile(output, BANNER + code);
  return (await Deno.stat(output)).size;
}

/**
 * What `deno task build` ships: decnet in parts, `output` (dist/decnet.js, a
 * three-line entry) and its code in a folder of the same name beside it
 * (dist/decnet/), split where decnet imports lazily. Each of `decnet up`'s
 * Workers then parses and holds its own job's code, not the whole 4 MB as a
 * single-file bundle makes every isolate do. Runs like the single file, from
 * any directory with no node_modules. Returns the total size in bytes.
 */
export async function buildSplitBundle(output: string): Promise<number> {
  const parts = output.replace(/\.js$/, "");
  const folder = parts.slice(parts.lastIndexOf("/") + 1);
  await Deno.remove(parts, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  // Each worker's own entry too (cli/worker_entry_url.ts): parts/worker_entries/<name>.js.
  const workerEntries = new URL("../cli/worker_entries/", import.meta.url).pathname;
  await denoBundle([
    "--code-splitting",
    "--outdir",
    parts,
    new URL("../cli/run_entry.ts", import.meta.url).pathname,
    ...[...Deno.readDirSync(workerEntries)].map((e) => workerEntries + e.name),
  ]);
  let size = 0;
  for (const dir of [parts, `${parts}/worker_entries`]) {
    for (const entry of Deno.readDirSync(dir)) {
      if (!entry.isFile) continue;
      const path = `${dir}/${entry.name}`;
      await Deno.writeTextFile(path, BANNER + await Deno.readTextFile(path));
      size += (await Deno.stat(path)).size;
    }
  }
  // The same branch as main.ts: the CLI as the main module, a worker's job in a Worker.
  await Deno.writeTextFile(
    output,
    `import { runEntry } from "./${folder}/run_entry.js";\nawait runEntry(import.meta.main);\n`,
  );
  return size + (await Deno.stat(output)).size;
}

/**
 * Bundles the sensor program (sensor_main.ts) into `dir`, as the file
 * `sensorProgramOf()` looks for beside decnet.js; returns its path.
 */
export async function buildSensorBundle(dir: string): Promise<string> {
  const output = `${dir}/${SENSOR_BUNDLE_FILE}`;
  await buildBundle(output, new URL("../sensor_main.ts", import.meta.url).pathname);
  return output;
}

if (import.meta.main) {
  const output = new URL("../dist/decnet.js", import.meta.url).pathname;
  await Deno.mkdir(new URL("../dist", import.meta.url), { recursive: true });
  const size = await buildSplitBundle(output);
  console.log(`Built ${output} and dist/decnet/ (${(size / 1024 / 1024).toFixed(1)} MiB)`);
  const sensor = await buildSensorBundle(new URL("../dist", import.meta.url).pathname);
  console.log(`Built ${sensor} (${((await Deno.stat(sensor)).size / 1024).toFixed(0)} KiB)`);
  console.log(`Run: deno run ${RUNTIME_FLAGS.join(" ")} ${output} up`);
}
