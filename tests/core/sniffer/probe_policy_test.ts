import assert from "node:assert/strict";
import { ProbePolicy } from "../../../core/sniffer/probe_policy.ts";

Deno.test("ProbePolicy.decide() never probes outside the allow list; empty allows none", () => {
  const none = new ProbePolicy({ allow: [], ratePerMinute: 60 });
  assert.equal(none.decide("198.51.100.7", 0), "not_allowed");
  const policy = new ProbePolicy({
    allow: ["198.51.100.0/25", "203.0.113.9", "2001:db8::/32", "junk/99"],
    ratePerMinute: 60,
  });
  assert.equal(policy.decide("198.51.100.127", 0), "probe");
  assert.equal(policy.decide("198.51.100.128", 0), "not_allowed");
  assert.equal(policy.decide("203.0.113.9", 0), "probe");
  assert.equal(policy.decide("203.0.113.10", 0), "not_allowed");
  // IPv6 sources are never probed (the prober speaks IPv4), whatever the list says.
  assert.equal(policy.decide("2001:db8::1", 0), "not_allowed");
  assert.equal(
    new ProbePolicy({ allow: ["0.0.0.0/0"], ratePerMinute: 1 }).allows("192.0.2.1"),
    true,
  );
});

Deno.test("ProbePolicy.decide() probes a source once per period", () => {
  const policy = new ProbePolicy({
    allow: ["192.0.2.0/24"],
    ratePerMinute: 600,
    perSourceMs: 1000,
  });
  assert.equal(policy.decide("192.0.2.1", 0), "probe");
  assert.equal(policy.decide("192.0.2.1", 999), "source_limited");
  assert.equal(policy.decide("192.0.2.2", 999), "probe");
  assert.equal(policy.decide("192.0.2.1", 1000), "probe");
});

Deno.test("ProbePolicy.decide() keeps to the global rate, a minute's worth of burst at most", () => {
  const policy = new ProbePolicy({ allow: ["10.0.0.0/8"], ratePerMinute: 6 });
  const ip = (n: number) => `10.0.0.${n}`;
  for (let n = 1; n <= 6; n++) assert.equal(policy.decide(ip(n), 0), "probe");
  assert.equal(policy.decide(ip(7), 0), "rate_limited");
  // One token every 10 s.
  assert.equal(policy.decide(ip(7), 9_999), "rate_limited");
  assert.equal(policy.decide(ip(7), 10_000), "probe");
  assert.equal(policy.decide(ip(8), 10_000), "rate_limited");
  // A long quiet spell refills a minute's worth, not more.
  for (let n = 10; n < 16; n++) assert.equal(policy.decide(ip(n), 3_600_000), "probe");
  assert.equal(policy.decide(ip(16), 3_600_000), "rate_limited");
  assert.throws(() => new ProbePolicy({ allow: [], ratePerMinute: 0 }), RangeError);
});

Deno.test("ProbePolicy forgets the oldest sources past its bound", () => {
  const policy = new ProbePolicy({ allow: ["10.0.0.0/8"], ratePerMinute: 600, maxSources: 2 });
  assert.equal(policy.decide("10.0.0.1", 0), "probe");
  assert.equal(policy.decide("10.0.0.2", 0), "probe");
  assert.equal(policy.decide("10.0.0.3", 0), "probe");
  assert.equal(policy.decide("10.0.0.3", 1), "source_limited");
  assert.equal(policy.decide("10.0.0.1", 1), "probe", "forgotten, so probed again");
});
