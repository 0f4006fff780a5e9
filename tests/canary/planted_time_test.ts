import assert from "node:assert/strict";
import { plantedTime } from "../../canary/planted_time.ts";

const now = new Date("2026-11-18T14:00:00Z");

Deno.test("plantedTime() keeps the artifact's second and adds stable nanoseconds", () => {
  const a = plantedTime("2026-03-01T10:00:02.000Z", { installedAt: null, now, seed: "s:~/a" });
  assert.match(a, /^2026-03-01 10:00:02\.\d{9}$/);
  assert.notEqual(a.slice(-9), "000000000");
  assert.equal(plantedTime("2026-03-01T10:00:02Z", { installedAt: null, now, seed: "s:~/a" }), a);
  const b = plantedTime("2026-03-01T10:00:02Z", { installedAt: null, now, seed: "s:~/b" });
  assert.notEqual(b, a, "another file gets other digits");
});

Deno.test("plantedTime() moves a time before the OS install to after it", () => {
  const installedAt = new Date("2026-06-01T08:00:00Z");
  for (const seed of ["a", "b", "c", "d", "e"]) {
    const stamp = plantedTime("2025-01-01T10:00:00Z", { installedAt, now, seed });
    const at = Date.parse(stamp.replace(" ", "T").slice(0, 19) + "Z");
    assert.ok(at > installedAt.getTime() && at < now.getTime(), `${seed}: ${stamp}`);
  }
  const kept = plantedTime("2026-07-01T10:00:00Z", { installedAt, now, seed: "a" });
  assert.match(kept, /^2026-07-01 10:00:00\./, "a time after the install is kept");
});

Deno.test("plantedTime() names a bad time", () => {
  assert.throws(
    () => plantedTime("yesterday", { installedAt: null, now, seed: "a" }),
    /expected an ISO 8601 modification time, got "yesterday"/,
  );
});
