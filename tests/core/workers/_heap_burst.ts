// Child of reduce_heap_test.ts: grows the heap with garbage, then prints the heap's size before and
// after reduceHeap() (and whether it ran).
import { reduceHeap } from "../../../core/workers/reduce_heap.ts";

let keep: unknown[] = [];
for (let i = 0; i < 400_000; i++) keep.push({ i, s: `item-${i}`, a: [i, i + 1, i + 2] });
keep = [];
const before = Deno.memoryUsage().heapTotal;
const ran = reduceHeap();
const after = Deno.memoryUsage().heapTotal;
console.log(JSON.stringify({ ran, before, after, kept: keep.length }));
