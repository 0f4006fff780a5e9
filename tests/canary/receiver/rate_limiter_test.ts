import assert from "node:assert/strict";
import { RateLimiter } from "../../../canary/receiver/mod.ts";

Deno.test("RateLimiter.allow() lets a burst through then refills at the rate", () => {
  const limiter = new RateLimiter({ ratePerSecond: 10, burst: 3 });
  assert.deepEqual([1, 2, 3, 4].map(() => limiter.allow("a", 0)), [true, true, true, false]);
  assert.equal(limiter.allow("b", 0), true, "keys are independent");
  assert.equal(limiter.allow("a", 50), false);
  assert.equal(limiter.allow("a", 100), true);
  assert.equal(limiter.allow("a", 100), false);
});

Deno.test("RateLimiter.allow() forgets the least recently seen key past maxKeys", () => {
  const limiter = new RateLimiter({ ratePerSecond: 1, burst: 1, maxKeys: 2 });
  limiter.allow("a", 0);
  limiter.allow("b", 0);
  limiter.allow("c", 0);
  assert.equal(limiter.size, 2);
  assert.equal(limiter.allow("a", 0), true, "a was forgotten, so it starts full");
});
