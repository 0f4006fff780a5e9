import assert from "node:assert/strict";
import { hashApiKey, mintApiKey, validateApiKeyName } from "../../../web/auth/mod.ts";

Deno.test("mintApiKey() encodes 32 random bytes as dk_ + base64url, with its sha256 and prefix", async () => {
  const zeros = await mintApiKey({ random: (b) => b.fill(0) });
  assert.equal(zeros.key, `dk_${"A".repeat(43)}`);
  assert.equal(zeros.hash, "fd6b934cf75a2a47a3b66221bfbb67200964311fffd19d0d9e0fdc01d29a6bdc");
  assert.equal(zeros.prefix, "dk_AAAAAAAA");
  const mixed = await mintApiKey({
    random: (b) => {
      b.forEach((_, i) => b[i] = 200 + i);
      return b;
    },
  });
  // The bytes whose standard base64 holds "/" and "+": URL-safe characters, no padding.
  assert.equal(mixed.key, "dk_yMnKy8zNzs_Q0dLT1NXW19jZ2tvc3d7f4OHi4-Tl5uc");
  assert.equal(mixed.hash, await hashApiKey(mixed.key));
  const a = await mintApiKey();
  const b = await mintApiKey();
  assert.notEqual(a.key, b.key);
});

Deno.test("validateApiKeyName() takes 1-64 characters without control characters", () => {
  assert.equal(validateApiKeyName("splunk pull ✓"), "splunk pull ✓");
  assert.throws(() => validateApiKeyName(""), RangeError);
  assert.throws(() => validateApiKeyName("x".repeat(65)), RangeError);
  assert.throws(() => validateApiKeyName("a\nb"), SyntaxError);
});
