import assert from "node:assert/strict";
import { StampedCache } from "../../web/stamped_cache.ts";

Deno.test("StampedCache.get() answers only for the stamp the answer was computed at", () => {
  const cache = new StampedCache<string>();
  cache.set("limit=50", "7:12", "list");
  assert.equal(cache.get("limit=50", "7:12"), "list");
  assert.equal(cache.get("limit=50", "8:12"), undefined);
  assert.equal(cache.get("limit=10", "7:12"), undefined);
  cache.set("limit=50", "8:12", "newer");
  assert.equal(cache.get("limit=50", "7:12"), undefined);
  assert.equal(cache.get("limit=50", "8:12"), "newer");
});

Deno.test("StampedCache.set() keeps at most maxEntries answers, forgetting the oldest", () => {
  const cache = new StampedCache<number>({ maxEntries: 2 });
  for (let i = 0; i < 100; i++) cache.set(`offset=${i}`, "1:1", i);
  assert.equal(cache.size, 2);
  assert.deepEqual([97, 98, 99].map((i) => cache.get(`offset=${i}`, "1:1")), [undefined, 98, 99]);
  assert.throws(() => new StampedCache({ maxEntries: 0 }), /maxEntries.*got "0"/);
});
