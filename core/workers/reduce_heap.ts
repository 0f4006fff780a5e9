/** What V8's `gc` extension takes (exposed by `--expose-gc`, see tools/build_bundle.ts V8_FLAGS). */
type GcExtension = (options: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;

/**
 * Runs V8's memory-reducing collection in this isolate: every garbage
 * collected until none is left, the heap compacted, the young generation
 * shrunk to its least and code not run lately dropped, so the pages go back
 * to the kernel. V8 does this only under memory pressure, and nothing in a
 * Deno process reports any: after start and after a load each isolate keeps
 * its grown heap (~23 MiB over the four workers of `decnet up` idle,
 * tests/bench/RESULTS.md "Heap reduction", #20). A pause of tens of
 * milliseconds on this thread: call it only when the process is quiet
 * (core/workers/malloc_trimmer.ts). Does nothing unless the runtime was
 * started with `--expose-gc`.
 *
 * @returns whether it ran
 * @example
 * ```ts
 * import { reduceHeap } from "./reduce_heap.ts";
 * reduceHeap(); // false without --v8-flags=--expose-gc
 * ```
 */
export function reduceHeap(): boolean {
  const gc = (globalThis as { gc?: GcExtension }).gc;
  if (typeof gc !== "function") return false;
  gc({ type: "major", execution: "sync", flavor: "last-resort" });
  return true;
}
