import assert from "node:assert/strict";
import { unplantableCallbackError } from "../../canary/mod.ts";

Deno.test("unplantableCallbackError() refuses local and documentation bases, accepts service names", async (t) => {
  const refused: [string, RegExp][] = [
    ["http://127.0.0.1:8088", /is a loopback address/],
    ["http://127.8.0.1", /is a loopback address/],
    ["http://[::1]:8088", /is a loopback address/],
    ["http://localhost:8088", /is a loopback name/],
    ["http://api.localhost", /is a loopback name/],
    ["http://192.0.2.10:8088", /documentation-range address/],
    ["http://198.51.100.7", /documentation-range address/],
    ["http://203.0.113.1", /documentation-range address/],
    ["http://[2001:db8::5]", /documentation-range address/],
    ["http://10.1.8.215", /is an IP literal/],
    ["https://93.184.216.34/api", /is an IP literal/],
    ["http://[2a00:1450::1]", /is an IP literal/],
    ["http://updates.example.net", /documentation name/],
    ["http://cdn.example", /reserved name/],
    ["http://intranet", /single-label name/],
  ];
  for (const [base, reason] of refused) {
    await t.step(`refuses ${base}`, () => {
      const error = unplantableCallbackError(base, { allowLocal: false });
      assert.ok(error, base);
      assert.match(error, reason);
      assert.match(error, /^Cannot plant bait: DECNET_CANARY_HTTP_BASE /);
      assert.match(error, /DECNET_CANARY_ALLOW_LOCAL=true/);
      assert.ok(error.endsWith(`got "${base}"`), error);
    });
  }
  await t.step("accepts public service names", () => {
    for (const base of ["https://updates.acme-corp.com", "http://cdn-7.fastassets.io:8080/x"]) {
      assert.equal(unplantableCallbackError(base, { allowLocal: false }), null, base);
    }
  });
  await t.step("the override accepts anything", () => {
    assert.equal(unplantableCallbackError("http://127.0.0.1:8088", { allowLocal: true }), null);
  });
});
