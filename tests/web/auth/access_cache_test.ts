import assert from "node:assert/strict";
import { AccessCache } from "../../../web/auth/access_cache.ts";

Deno.test("AccessCache.get() answers until the TTL or the credential's own expiry, whichever comes first", () => {
  const cache = new AccessCache<string>({ ttlMs: 2000, maxEntries: 10 });
  cache.set("long", "alice", { now: 1000, notAfter: 60_000 });
  cache.set("short", "bob", { now: 1000, notAfter: 1500 });
  assert.equal(cache.get("long", 2999), "alice");
  assert.equal(cache.get("long", 3000), undefined);
  assert.equal(cache.get("short", 1499), "bob");
  assert.equal(cache.get("short", 1500), undefined);
  // Expired entries are forgotten when asked for.
  assert.equal(cache.size, 0);
});

Deno.test("AccessCache.set() keeps nothing already expired, and at most maxEntries, forgetting the oldest", () => {
  const cache = new AccessCache<number>({ ttlMs: 2000, maxEntries: 3 });
  cache.set("expired", 0, { now: 1000, notAfter: 1000 });
  assert.equal(cache.size, 0);
  for (let i = 0; i < 1000; i++) cache.set(`token-${i}`, i, { now: 0, notAfter: Infinity });
  assert.equal(cache.size, 3);
  assert.deepEqual(
    ["token-996", "token-997", "token-998", "token-999"].map((k) => cache.get(k, 1)),
    [undefined, 997, 998, 999],
  );
});

Deno.test("AccessCache.delete() and clear() forget at once", () => {
  const cache = new AccessCache<string>();
  cache.set("a", "alice", { now: 0, notAfter: Infinity });
  cache.set("b", "bob", { now: 0, notAfter: Infinity });
  cache.delete("a");
  assert.equal(cache.get("a", 1), undefined);
  assert.equal(cache.get("b", 1), "bob");
  cache.clear();
  assert.equal(cache.get("b", 1), undefined);
});

Deno.test("new AccessCache() refuses a size that is not a whole number >= 1, naming it", () => {
  assert.throws(() => new AccessCache({ maxEntries: 0 }), /maxEntries.*got "0"/);
});
