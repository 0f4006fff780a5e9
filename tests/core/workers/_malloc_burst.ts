// Child of malloc_trimmer_test.ts: mallocs 64 MiB in 32 KiB blocks (below the mmap threshold, so
// they come from an arena), touches them, frees all but the last (which keeps the arena's top
// from shrinking), then lets a MallocTrimmer look once. Prints {held, released} in bytes.
import { LIBC_PATHS } from "../../../core/workers/open_malloc_trim.ts";
import { MallocTrimmer } from "../../../core/workers/malloc_trimmer.ts";

const BLOCK = 32n * 1024n;
const BLOCKS = 2048;
const path = LIBC_PATHS.find((p) => {
  try {
    return Deno.statSync(p).isFile;
  } catch {
    return false;
  }
});
if (!path) throw new Error(`Cannot find libc: none of ${LIBC_PATHS.join(", ")}`);
const libc = Deno.dlopen(path, {
  malloc: { parameters: ["usize"], result: "pointer" },
  free: { parameters: ["pointer"], result: "void" },
  memset: { parameters: ["pointer", "i32", "usize"], result: "pointer" },
});
// Never busy: this process's own CPU for the burst must not hold the trim back.
using trimmer = new MallocTrimmer({ quietCpuShare: Infinity });
const base = Deno.memoryUsage().rss;
const blocks = [];
for (let i = 0; i < BLOCKS; i++) {
  const block = libc.symbols.malloc(BLOCK);
  libc.symbols.memset(block, 1, BLOCK);
  blocks.push(block);
}
for (const block of blocks.slice(0, -1)) libc.symbols.free(block);
const held = Deno.memoryUsage().rss - base;
const released = trimmer.check() ?? 0;
libc.symbols.free(blocks.at(-1)!);
libc.close();
console.log(JSON.stringify({ held, released }));
