import assert from "node:assert/strict";
import { soaSerial } from "../../../canary/receiver/mod.ts";

Deno.test("soaSerial() is a plausible YYYYMMDDnn, stable within a month and growing", () => {
  const at = (iso: string) => soaSerial("t.example.net", new Date(iso));
  const serial = at("2026-12-01T09:00:00Z");
  assert.match(String(serial), /^20261[12](0[1-9]|1\d|2[0-8])0[1-3]$/);
  assert.notEqual(serial, 2024061501);
  // A restart later the same day, or days later, gives the same serial until the zone's day comes again.
  assert.equal(at("2026-12-01T23:59:59Z"), serial);
  const serials = Array.from(
    { length: 400 },
    (_, d) => at(new Date(Date.UTC(2026, 0, 1 + d)).toISOString()),
  );
  for (let i = 1; i < serials.length; i++) assert.ok(serials[i] >= serials[i - 1]);
  assert.ok(new Set(serials).size >= 12 && new Set(serials).size <= 15);
});

Deno.test("soaSerial() differs between zones and ignores letter case", () => {
  const now = new Date("2026-12-01T09:00:00Z");
  const zones = ["t.example.net", "cdn.example.com", "x.example.org", "updates.example.io"];
  assert.ok(new Set(zones.map((z) => soaSerial(z, now))).size > 1);
  assert.equal(soaSerial("T.Example.NET", now), soaSerial("t.example.net", now));
});
