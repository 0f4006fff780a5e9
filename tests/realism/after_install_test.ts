import assert from "node:assert/strict";
import { afterInstall } from "../../realism/mod.ts";

Deno.test("afterInstall() moves times before the OS install into the machine's life", () => {
  const installedAt = new Date("2026-11-30T09:00:00Z");
  const now = new Date("2026-12-01T09:00:00Z");
  for (const rand of [0, 0.5, 0.999]) {
    const t = afterInstall(new Date("2026-10-02T10:00:00Z"), {
      installedAt,
      now,
      rand: () => rand,
    });
    assert.ok(t > installedAt && t < now, t.toISOString());
  }
  assert.equal(
    afterInstall(new Date("2026-10-02T10:00:00Z"), { installedAt, now, rand: () => 0.5 })
      .toISOString(),
    "2026-11-30T20:24:00.000Z",
  );
  const kept = new Date("2026-11-30T12:00:00Z");
  assert.equal(
    afterInstall(kept, { installedAt, now, rand: () => 0.5 }),
    kept,
    "after the install",
  );
  const early = new Date("2026-01-01T00:00:00Z");
  assert.equal(afterInstall(early, { installedAt: null, now, rand: () => 0.5 }), early, "unknown");
  assert.equal(
    afterInstall(early, { installedAt: new Date("2027-01-01T00:00:00Z"), now, rand: () => 0.5 }),
    early,
    "an install date after now is not believed",
  );
});
