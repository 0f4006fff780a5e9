import assert from "node:assert/strict";
import { sourcePrefix } from "../../../core/db/mod.ts";

Deno.test("sourcePrefix() gives the /24 of IPv4 and the /64 of IPv6 sources", () => {
  assert.equal(sourcePrefix("198.51.100.7"), "198.51.100.0/24");
  assert.equal(sourcePrefix("::ffff:192.0.2.200"), "192.0.2.0/24");
  assert.equal(sourcePrefix("2001:db8:1:2:3::9"), "2001:db8:1:2::/64");
  assert.equal(sourcePrefix("2001:DB8::1"), "2001:db8:0:0::/64");
  assert.equal(sourcePrefix("2001:0db8:0001:0002:0003:0004:0005:0006"), "2001:db8:1:2::/64");
});

Deno.test("sourcePrefix() keeps anything else as its label, cut to 64 characters", () => {
  assert.equal(sourcePrefix("*"), "*");
  assert.equal(sourcePrefix("198.51.100.0/24"), "198.51.100.0/24");
  assert.equal(sourcePrefix("1:2:3"), "1:2:3");
  assert.equal(sourcePrefix("x".repeat(100)), "x".repeat(64));
});
