import assert from "node:assert/strict";
import { createProxyMatcher, resolveClientIp } from "../../../canary/receiver/mod.ts";

Deno.test("resolveClientIp() uses the peer unless it is a trusted proxy", async (t) => {
  const proxies = createProxyMatcher(["10.0.0.0/8", "2001:db8::/32", "192.0.2.1"]);
  const cases: [string, string | null, string][] = [
    ["198.51.100.1", "203.0.113.9", "198.51.100.1"],
    ["10.1.2.3", null, "10.1.2.3"],
    ["10.1.2.3", "203.0.113.9", "203.0.113.9"],
    ["10.1.2.3", "203.0.113.9, 10.9.9.9", "203.0.113.9"],
    ["10.1.2.3", "1.1.1.1, 203.0.113.9, 10.9.9.9", "203.0.113.9"],
    ["10.1.2.3", "10.2.2.2, 10.9.9.9", "10.2.2.2"],
    ["10.1.2.3", "garbage, 10.9.9.9", "10.9.9.9"],
    ["::ffff:10.1.2.3", "203.0.113.9:4711", "203.0.113.9"],
    ["2001:db8::1", "[2001:db8:ffff::1]:80, 198.51.100.4", "198.51.100.4"],
    ["192.0.2.1", "203.0.113.9", "203.0.113.9"],
    ["192.0.2.2", "203.0.113.9", "192.0.2.2"],
  ];
  for (const [peer, xff, expected] of cases) {
    await t.step(`${peer} / ${xff}`, () => {
      assert.equal(resolveClientIp(peer, xff, proxies), expected);
    });
  }
  await t.step("no proxies trusted", () => {
    assert.equal(resolveClientIp("10.1.2.3", "203.0.113.9", createProxyMatcher([])), "10.1.2.3");
  });
});

Deno.test("createProxyMatcher() rejects entries that are not addresses", () => {
  assert.throws(() => createProxyMatcher(["nope/8"]), SyntaxError);
});
