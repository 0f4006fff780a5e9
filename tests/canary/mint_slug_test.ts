import assert from "node:assert/strict";
import { mintSlug, SLUG_REGEXP, SlugRandom } from "../../canary/mod.ts";

Deno.test("mintSlug() gives 22 URL-safe characters usable as a DNS label", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const slug = mintSlug();
    assert.match(slug, SLUG_REGEXP);
    seen.add(slug);
  }
  assert.equal(seen.size, 200);
});

Deno.test("mintSlug() draws again when an edge character is not alphanumeric", () => {
  let call = 0;
  // First draw: byte 62 maps to "-" at the start; second draw: all zeros ("A…A").
  const slug = mintSlug((b) => b.fill(call++ === 0 ? 62 : 0));
  assert.equal(slug, "A".repeat(22));
  assert.equal(call, 2);
});

Deno.test("SlugRandom yields the same stream for the same slug and label", () => {
  const a = new SlugRandom("s", "x"), b = new SlugRandom("s", "x"), c = new SlugRandom("s", "y");
  assert.deepEqual(a.bytes(40), b.bytes(40));
  assert.notDeepEqual(new SlugRandom("s", "x").bytes(8), c.bytes(8));
  for (let i = 0; i < 100; i++) {
    const n = a.int(3, 5);
    assert.ok(n >= 3 && n <= 5);
  }
});
